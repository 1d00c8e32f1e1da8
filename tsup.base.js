// Shared tsup settings: every package ships ESM + CJS + type declarations from src/index.ts.
// Workspace dependencies and npm dependencies stay external (they are resolved at install time).
export function packageBuild(overrides = {}) {
  return {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: { compilerOptions: { paths: {} } },
    sourcemap: true,
    clean: true,
    target: 'es2022',
    platform: 'node',
    tsconfig: 'tsconfig.json',
    // Gives the CJS build a working import.meta.url (kernels locates the wasm binaries and its addon with it).
    shims: true,
    ...overrides,
  };
}
