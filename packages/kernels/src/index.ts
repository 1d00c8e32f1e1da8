// The full library, once: importing it registers every op's gradient and the cpu backend on the
// one tfjs-core engine the kernels register on. The code and the published types use tfjs-core
// (whose declarations compile with skipLibCheck: false; the full library's layers API does not).
import '@tensorflow/tfjs';
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
export * from './wasm-identity';
export * from './wasm-slices';
export * from './reduction-gradients';
export {
  addonPath,
  loadBlas,
  productSettings,
  withProducts,
  type BlasLoad,
  type NativeBlas,
  type ProductLibrary,
  type ProductPrecision,
  type ProductSetting,
} from './native';
export { productFlops, productMix, type ProductShape } from './product-mix';
