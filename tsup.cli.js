// Shared tsup settings of the command-line packages (apps/alm, apps/baselines, tools/repro): one
// ESM bundle of the program from src/main.ts, which the package's bin runs once installed. The
// @mbrl-ts libraries and npm dependencies stay external (installed beside it).
export function cliBuild(overrides = {}) {
  return {
    entry: { main: 'src/main.ts' },
    format: ['esm'],
    dts: false,
    sourcemap: true,
    clean: true,
    target: 'es2022',
    platform: 'node',
    tsconfig: 'tsconfig.json',
    ...overrides,
  };
}
