import { packageBuild } from '../../tsup.base.js';

// The declarations import tfjs-core (see src/index.ts); its chained ops' types (t.reshape(), ...)
// come from a module that only augments, which the declaration bundler would drop: keep it.
export default packageBuild({
  dts: {
    compilerOptions: { paths: {} },
    banner: "import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';",
  },
});
