#!/usr/bin/env node
// Installed from npm, the package has no src/: this runs the built JavaScript (dist/main.js, made
// by `npm run build`). In a checkout of the repository, src/ is there and this runs the TypeScript
// sources through tsx (a development dependency) with the package's tsconfig, so workspace imports
// (@mbrl-ts/*) resolve to the packages' sources and no build is needed.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const source = new URL('../src/main.ts', import.meta.url);
if (existsSync(fileURLToPath(source))) {
  const { register } = await import('tsx/esm/api');
  register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
  await import(source.href);
} else {
  await import('../dist/main.js');
}
