export { addonPath, loadBlas, type BlasLoad, type NativeBlas } from './native';
export { productFlops, productMix, type ProductShape } from './product-mix';
