export { Rng, type RngState } from '@mbrl-ts/rng';
/** The tfjs namespace this package computes with, so dependants share one engine and backend. */
export * as tf from '@tensorflow/tfjs';
export * from './errors';
export * from './kernel-names';
export * from './ops/dense';
export * from './ops/layer-norm';
export * from './modules/index';
export * from './distributions/index';
export * from './optim/index';
export * from './io/index';
