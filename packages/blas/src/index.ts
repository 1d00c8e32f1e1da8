export {
  addonPath,
  loadBlas,
  type BlasLoad,
  type NativeBlas,
  type ProductLibrary,
  type ProductPrecision,
} from './native';
export { productFlops, productMix, type ProductShape } from './product-mix';
