/**
 * Benchmark of the native element-wise arithmetic and small-inner-dimension products against the
 * wasm kernels, on the shapes that dominate an ALM update (batch 512, K = 3). Each entry is the
 * median time of one call (wasm backend, native kernels on and off), in microseconds. Products
 * compare the addon's own small-k loop with OpenBLAS's sgemm (the addon's small-k threshold set to
 * 0) and with the wasm kernel. Needs the addon (`npm run build:native`). Prints JSON.
 *
 *   MBRL_BLAS_THREADS=2 npx tsx bench/native-binary.ts     (from packages/kernels)
 */
import * as tf from '@tensorflow/tfjs';
import { Rng, standardNormal } from '@mbrl-ts/nn';
import {
  initBackend,
  installBlasKernels,
  installNativeBinary,
  loadBlas,
  uninstallBlasKernels,
  uninstallNativeBinary,
} from '../src/index';

const load = loadBlas();
if (load.blas === null) {
  console.log(JSON.stringify({ available: false, reason: load.reason }));
  process.exit(0);
}
const blas = load.blas;
await initBackend('wasm', { kernels: 'blas' });
const rng = new Rng(0);

/** Median microseconds of one call of `f`, over `batches` batches of `calls` calls. */
function micros(f: () => void, calls = 20, batches = 9): number {
  for (let i = 0; i < calls; i++) tf.tidy(f);
  const samples: number[] = [];
  for (let b = 0; b < batches; b++) {
    const start = performance.now();
    for (let i = 0; i < calls; i++) tf.tidy(f);
    samples.push(((performance.now() - start) * 1000) / calls);
  }
  samples.sort((p, q) => p - q);
  return Math.round(samples[batches >> 1]);
}

const ops = { Add: tf.add, Sub: tf.sub, Multiply: tf.mul, RealDiv: tf.div };
const binaryCases: Array<[keyof typeof ops, number[], number[]]> = [
  ['Multiply', [3, 512, 512], [3, 512, 512]],
  ['Add', [512, 512], [512]],
  ['Add', [512, 1024], [1024]],
  ['Add', [1536, 512], [512]],
  ['RealDiv', [3, 512, 512], []],
  ['RealDiv', [3, 512, 512], [3, 512, 1]],
  ['Sub', [3, 512, 512], [3, 512, 1]],
  ['Multiply', [3, 512, 512], [512]],
  ['Multiply', [3, 512, 1], [3, 512, 512]],
  ['Add', [512, 512], [512, 512]],
  ['Sub', [], [3, 512, 512]],
  ['Multiply', [512, 50], [512, 50]],
];

const binary: Record<string, { nativeUs: number; wasmUs: number }> = {};
for (const [name, left, right] of binaryCases) {
  const a = standardNormal(left, rng);
  const b = tf.tidy(() => tf.add(tf.abs(standardNormal(right, rng)), 0.5));
  const f = () => {
    ops[name](a, b);
  };
  installNativeBinary(blas);
  const nativeUs = micros(f);
  uninstallNativeBinary();
  const wasmUs = micros(f);
  installNativeBinary(blas);
  binary[`${name} [${left}] [${right}]`] = { nativeUs, wasmUs };
  tf.dispose([a, b]);
}
{
  const x = standardNormal([3, 512, 512], rng);
  const f = () => {
    tf.square(x);
  };
  const nativeUs = micros(f);
  uninstallNativeBinary();
  binary['Square [3,512,512]'] = { nativeUs, wasmUs: micros(f) };
  installNativeBinary(blas);
  x.dispose();
}

// [m, n, k, transposeA, transposeB] of the ALM update's small-k products.
const productCases: Array<[number, number, number, boolean, boolean]> = [
  [1536, 512, 1, false, true],
  [512, 512, 1, false, true],
  [512, 512, 2, false, true],
  [512, 512, 6, false, true],
  [2560, 512, 6, false, false],
  [512, 512, 6, true, false],
];
const products: Record<string, { nativeUs: number; sgemmUs: number; wasmUs: number }> = {};
for (const [m, n, k, ta, tb] of productCases) {
  const a = standardNormal(ta ? [k, m] : [m, k], rng);
  const b = standardNormal(tb ? [n, k] : [k, n], rng);
  const f = () => {
    tf.matMul(a, b, ta, tb);
  };
  const nativeUs = micros(f);
  const threshold = blas.smallK(0);
  const sgemmUs = micros(f);
  blas.smallK(threshold);
  uninstallBlasKernels();
  const wasmUs = micros(f, 5, 5);
  installBlasKernels(blas);
  products[`${m}x${n}x${k} tA${+ta} tB${+tb}`] = { nativeUs, sgemmUs, wasmUs };
  tf.dispose([a, b]);
}

console.log(JSON.stringify({ threads: blas.threads(), binary, products }, null, 2));
