import { packageBuild } from '../../tsup.base.js';

// shims: the wasm backend's binaries and the native addon are located through import.meta.url,
// which the CJS build needs shimmed.
export default packageBuild({ shims: true });
