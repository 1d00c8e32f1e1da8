export { Rng, type RngState } from '@mbrl-ts/rng';
// The full library, once: importing it registers every op's gradient and the cpu backend on the
// one tfjs-core engine this package computes with. The code and the published types use
// tfjs-core (whose declarations compile with skipLibCheck: false; the full library's layers API
// does not).
import '@tensorflow/tfjs';
/** The tfjs namespace this package computes with, so dependants share one engine and backend. */
export * as tf from '@tensorflow/tfjs-core';
export * from './errors';
export * from './kernel-names';
export * from './ops/dense';
export * from './ops/layer-norm';
export * from './modules/index';
export * from './distributions/index';
export * from './optim/index';
export * from './io/index';
