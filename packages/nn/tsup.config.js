import { packageBuild } from '../../tsup.base.js';

// shims: the wasm backend locates its binaries through import.meta.url, which the CJS build needs shimmed.
export default packageBuild({ shims: true });
