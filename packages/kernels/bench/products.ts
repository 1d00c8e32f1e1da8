/**
 * The matrix products of one ALM update through the addon, without tfjs: the 183 products (47
 * shapes, 41.3 GFLOP) a paper-preset update does at HalfCheetah sizes, as recorded from the
 * update's BatchMatMul calls (alm-products-halfcheetah.json), run back to back on one heap for each
 * thread count. Prints JSON: milliseconds per update's worth of products (median and best of the
 * repetitions) and GFLOP/s. Isolates the BLAS side (library, kernels, threading) from everything
 * else an update does. Each product library built into the addon (oneDNN, OpenBLAS) runs in the
 * same process, in f32 and, where this CPU has oneDNN's bf16 kernels, with bf16 operands;
 * OPENBLAS_CORETYPE in the environment picks OpenBLAS's kernels.
 *
 *   npm run bench:products -w @mbrl-ts/kernels
 *   BENCH_THREADS=1,2 BENCH_REPS=15 npm run bench:products -w @mbrl-ts/kernels
 */
import { readFileSync } from 'node:fs';
import { envInteger, envIntegers } from '@mbrl-ts/bench-settings';
import {
  loadBlas,
  productFlops,
  productMix,
  productSettings,
  withProducts,
  type ProductShape,
} from '../src/index';

const products = JSON.parse(
  readFileSync(new URL('./alm-products-halfcheetah.json', import.meta.url), 'utf8'),
) as ProductShape[];
const threadCounts = envIntegers('BENCH_THREADS', [1, 2], 1);
const reps = envInteger('BENCH_REPS', 9, 1);
const load = loadBlas();
if (load.blas === null) {
  console.error(`bench:products needs the addon: ${load.reason}`);
  process.exit(2);
}
const blas = load.blas;

const flops = productFlops(products);
const runMix = productMix(blas, products);

const results: Record<string, { msMedian: number; msBest: number; gflopPerSecond: number }> = {};
const libraries: Record<string, string> = {};
const before = blas.threads();
for (const { library, precision } of productSettings(blas)) {
  withProducts(blas, library, precision, () => {
    libraries[library] = blas.config();
    for (const threads of threadCounts) {
      blas.setThreads(threads);
      runMix();
      const times = Array.from({ length: reps }, runMix).sort((a, b) => a - b);
      const median = times[reps >> 1];
      results[`${library}-${precision}-threads-${threads}`] = {
        msMedian: Number(median.toFixed(1)),
        msBest: Number(times[0].toFixed(1)),
        gflopPerSecond: Number((flops / median / 1e6).toFixed(1)),
      };
    }
  });
}
blas.setThreads(before);
console.log(
  JSON.stringify(
    {
      products: products.reduce((sum, p) => sum + p.calls, 0),
      shapes: products.length,
      gflop: Number((flops / 1e9).toFixed(2)),
      libraries,
      bf16: blas.bf16Available() ? 'available' : 'not on this CPU',
      coretype: process.env.OPENBLAS_CORETYPE ?? 'auto',
      repetitions: reps,
      ...results,
    },
    null,
    2,
  ),
);
