export { addonPath, loadBlas, type BlasLoad, type NativeBlas } from './native';
