#!/usr/bin/env node
// Runs the TypeScript entry directly through tsx, with the app's tsconfig so workspace imports
// (@mbrl-ts/*) resolve to the packages' sources: works from a fresh clone after `npm ci`, no build.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
await import('../src/main.ts');
