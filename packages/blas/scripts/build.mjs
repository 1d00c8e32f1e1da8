#!/usr/bin/env node
// Builds the optional native addon build/mbrl_blas.node with the system C compiler against
// OpenBLAS (Debian: `apt-get install libopenblas-dev`). No download, no node-gyp: one `cc` call.
// Exits 0 with a one-line explanation when the compiler, Node's headers or OpenBLAS are missing
// and `--optional` is given (the project then keeps its wasm products); exits 1 otherwise.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const optional = process.argv.includes('--optional');
const output = join(root, 'build', 'mbrl_blas.node');

function fail(message) {
  const line = `@mbrl-ts/blas: native build skipped: ${message}`;
  if (optional) {
    console.log(`${line} (the wasm products stay in use)`);
    process.exit(0);
  }
  console.error(line);
  process.exit(1);
}

const includeCandidates = [
  process.env.MBRL_NODE_INCLUDE,
  join(dirname(process.execPath), '..', 'include', 'node'),
  '/usr/include/node',
  '/usr/local/include/node',
].filter(Boolean);
const nodeInclude = includeCandidates.find((dir) => existsSync(join(dir, 'node_api.h')));
if (nodeInclude === undefined) {
  fail(
    `node_api.h not found in ${includeCandidates.join(', ')} (install Node's headers or set MBRL_NODE_INCLUDE)`,
  );
}
const compiler = process.env.CC ?? 'cc';
const libDirs = (process.env.MBRL_BLAS_LIBDIR ?? '/usr/lib/x86_64-linux-gnu:/usr/lib64:/usr/lib')
  .split(':')
  .filter((dir) => existsSync(dir));
mkdirSync(dirname(output), { recursive: true });
const args = [
  '-O2',
  '-std=c11',
  '-fPIC',
  '-shared',
  '-Wall',
  '-DNODE_GYP_MODULE_NAME=mbrl_blas',
  `-I${nodeInclude}`,
  join(root, 'native', 'blas.c'),
  ...libDirs.map((dir) => `-L${dir}`),
  '-lopenblas',
  '-o',
  output,
];
try {
  execFileSync(compiler, args, { stdio: ['ignore', 'inherit', 'pipe'] });
} catch (error) {
  const stderr = error && error.stderr ? String(error.stderr).trim().split('\n').slice(-3).join(' | ') : '';
  fail(
    `${compiler} failed${stderr ? `: ${stderr}` : ''} (needs a C compiler and OpenBLAS: apt-get install -y gcc libopenblas-dev)`,
  );
}
console.log(`@mbrl-ts/blas: built ${output}`);
