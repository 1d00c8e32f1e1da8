#!/usr/bin/env node
// Builds the optional native addon build/mbrl_blas.node with the system C compiler against oneDNN
// (Debian: `apt-get install libdnnl-dev`: the products, layer normalisation) and, when it is
// installed too, OpenBLAS (`libopenblas-dev`: a second product library, kept as the reference
// the benchmarks compare with). No download, no node-gyp: one `cc` call.
// Exits 0 with a one-line explanation when the compiler, Node's headers or oneDNN are missing and
// `--optional` is given (the project then keeps tfjs's wasm kernels); exits 1 otherwise.
// `--install` (the package's install script, run by `npm install @mbrl-ts/kernels`) is
// `--optional` that also never fails on anything unexpected, and skips the compiler when the addon
// is already built from the current sources (the monorepo's postinstall builds it too).
// Installed as the bin `mbrl-kernels-build`: `npx mbrl-kernels-build` builds it later, strictly.
// MBRL_PRODUCT_LIBRARIES=onednn builds without OpenBLAS even where it is installed.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const install = process.argv.includes('--install');
const optional = install || process.argv.includes('--optional');
const output = join(root, 'build', 'mbrl_blas.node');

function fail(message) {
  const line = `@mbrl-ts/kernels: native build skipped: ${message}`;
  if (optional) {
    console.log(`${line} (tfjs's wasm kernels stay in use; build it later with: npx mbrl-kernels-build)`);
    process.exit(0);
  }
  console.error(line);
  process.exit(1);
}

if (install) {
  // An install never fails because of the optional addon.
  process.on('uncaughtException', (error) => fail(`unexpected error: ${error?.message ?? error}`));
  const sources = [
    ...readdirSync(join(root, 'native')).map((name) => join(root, 'native', name)),
    fileURLToPath(import.meta.url),
  ];
  if (existsSync(output) && sources.every((file) => statSync(file).mtimeMs <= statSync(output).mtimeMs)) {
    console.log(`@mbrl-ts/kernels: ${output} is up to date`);
    process.exit(0);
  }
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
const hasLibrary = (name) => libDirs.some((dir) => existsSync(join(dir, `lib${name}.so`)));
const includeDirs = (process.env.MBRL_INCLUDE_DIRS ?? '/usr/include:/usr/local/include').split(':');
const hasHeader = (path) => includeDirs.some((dir) => existsSync(join(dir, path)));
const wanted = (process.env.MBRL_PRODUCT_LIBRARIES ?? 'onednn,openblas').split(',');
if (!hasLibrary('dnnl') || !hasHeader('oneapi/dnnl/dnnl.h')) {
  fail(
    `oneDNN not found (libdnnl.so in ${libDirs.join(', ') || 'no existing library directory'}, oneapi/dnnl/dnnl.h in ${includeDirs.join(', ')}; apt-get install -y gcc libdnnl-dev)`,
  );
}
const libraries = ['onednn'];
if (wanted.includes('openblas') && hasLibrary('openblas')) libraries.push('openblas');
const libraryFlags = [
  '-fopenmp',
  join(root, 'native', 'onednn.c'),
  ...(libraries.includes('openblas') ? ['-DMBRL_HAVE_OPENBLAS'] : []),
];
const libraryLinks = ['-ldnnl', ...(libraries.includes('openblas') ? ['-lopenblas'] : [])];
mkdirSync(dirname(output), { recursive: true });
const common = [
  ...libraryFlags,
  '-O3',
  '-std=gnu11',
  '-fno-math-errno',
  // Each multiply and add rounds on its own, as tfjs's kernels do (no fused multiply-adds).
  '-ffp-contract=off',
  '-fPIC',
  '-shared',
  '-Wall',
  '-DNODE_GYP_MODULE_NAME=mbrl_blas',
  `-I${nodeInclude}`,
  join(root, 'native', 'blas.c'),
  join(root, 'native', 'elementwise.c'),
  join(root, 'native', 'optim.c'),
  join(root, 'native', 'pool.c'),
  join(root, 'native', 'binary.c'),
  join(root, 'native', 'small_k.c'),
  ...libDirs.map((dir) => `-L${dir}`),
  ...libraryLinks,
  '-lm',
  '-lpthread',
  '-o',
  output,
];
// First with glibc's vector math (libmvec, glibc >= 2.35) and per-CPU clones, then plainer builds.
const attempts = [[], ['-DMBRL_NO_LIBMVEC'], ['-DMBRL_NO_LIBMVEC', '-DMBRL_PORTABLE']];
let lastError = '';
let built = false;
for (const extra of attempts) {
  try {
    execFileSync(compiler, [...extra, ...common], { stdio: ['ignore', 'inherit', 'pipe'] });
    built = true;
    if (extra.length > 0) console.log(`@mbrl-ts/kernels: built with ${extra.join(' ')}`);
    break;
  } catch (error) {
    lastError = error && error.stderr ? String(error.stderr).trim().split('\n').slice(-3).join(' | ') : '';
  }
}
if (!built) {
  fail(
    `${compiler} failed${lastError ? `: ${lastError}` : ''} (needs a C compiler and oneDNN: apt-get install -y gcc libdnnl-dev)`,
  );
}
console.log(`@mbrl-ts/kernels: built ${output} (products: ${libraries.join(', ')})`);
