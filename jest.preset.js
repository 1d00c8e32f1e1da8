// Shared jest settings. TypeScript runs through @swc/jest as native ESM (ESM-only dependencies
// such as @mujoco/mujoco import as they do in Node), so jest needs --experimental-vm-modules.
// Workspace imports (@mbrl-ts/<name>) resolve to each package's src, so tests need no build.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));

export const swcTransform = [
  '@swc/jest',
  {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'es6' },
    sourceMaps: 'inline',
  },
];

export function packageJestConfig(configUrl, overrides = {}) {
  const dir = dirname(fileURLToPath(configUrl));
  return {
    rootDir: dir,
    displayName: dir.slice(root.length + 1),
    testEnvironment: 'node',
    extensionsToTreatAsEsm: ['.ts'],
    transform: { '^.+\\.ts$': swcTransform },
    moduleNameMapper: {
      '^@mbrl-ts/([a-z0-9-]+)$': resolve(root, 'packages/$1/src/index.ts'),
    },
    testMatch: ['<rootDir>/test/**/*.test.ts'],
    testTimeout: 120_000,
    // tfjs keeps its engine on the global object; jest's between-file global cleanup would warn
    // when the next test file's backend initialisation touches it again.
    testEnvironmentOptions: { globalsCleanup: 'off' },
    ...overrides,
  };
}
