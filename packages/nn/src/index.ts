export { Rng, type RngState } from '@mbrl-ts/rng';
/** The tfjs namespace this package computes with, so dependants share one engine and backend. */
export * as tf from '@tensorflow/tfjs';
export * from './errors';
export * from './backend';
export * from './wasm-matmul-fix';
export * from './blas-kernels';
export * from './kernel-layers';
export * from './native-binary';
export * from './native-elementwise';
export * from './native-optim';
export * from './native-layer-norm';
export * from './native-kernels';
export * from './native-dense';
export * from './native-bounded-gaussian';
export * from './ops/dense';
export * from './ops/layer-norm';
export * from './wasm-identity';
export * from './wasm-slices';
export * from './reduction-gradients';
export {
  loadBlas,
  productFlops,
  productMix,
  type NativeBlas,
  type ProductLibrary,
  type ProductPrecision,
  type ProductShape,
} from '@mbrl-ts/blas';
export * from './modules/index';
export * from './distributions/index';
export * from './optim/index';
export * from './io/index';
