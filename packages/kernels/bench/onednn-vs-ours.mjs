#!/usr/bin/env node
// Builds bench/onednn-vs-ours.c against the addon's own C sources and oneDNN, runs it, and
// passes its JSON through: oneDNN's primitives against our loops for the update's non-product
// kernels, one thread. Needs gcc and libdnnl-dev.
//
//   npm run bench:onednn -w @mbrl-ts/kernels
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const native = (name) => join(root, 'native', name);
const binary = join(mkdtempSync(join(tmpdir(), 'mbrl-onednn-bench-')), 'bench');
try {
  execFileSync(
    process.env.CC ?? 'cc',
    [
      '-O3',
      '-std=gnu11',
      '-fno-math-errno',
      '-ffp-contract=off',
      '-fopenmp',
      join(root, 'bench', 'onednn-vs-ours.c'),
      native('onednn.c'),
      native('elementwise.c'),
      native('small_k.c'),
      '-ldnnl',
      '-lmvec',
      '-lm',
      '-o',
      binary,
    ],
    { stdio: ['ignore', 'inherit', 'pipe'] },
  );
} catch (error) {
  console.error(
    `bench:onednn: build failed (needs gcc and libdnnl-dev): ${String(error.stderr ?? error)
      .trim()
      .split('\n')
      .slice(-2)
      .join(' | ')}`,
  );
  process.exit(2);
}
process.stdout.write(execFileSync(binary, { env: { ...process.env, OMP_NUM_THREADS: '1' } }));
