/**
 * Benchmark of @mbrl-ts/kernels on every backend that starts here: a 512x512x512 matMul (plain and with
 * a transposed operand) and one Adam step of an MLP 100-512-512-1 at batch 512 with an MSE loss;
 * on wasm with and without the transposed-product kernel fix, and with the native OpenBLAS
 * products when the addon is built (MBRL_BLAS_THREADS picks its threads). Prints JSON (median ms).
 *
 *   npm run bench -w @mbrl-ts/kernels         (BENCH_REPS=20 for more repetitions on wasm)
 */
import * as tf from '@tensorflow/tfjs';
import { cpus } from 'node:os';
import { Adam, Rng, mlp, standardNormal } from '@mbrl-ts/nn';
import { BACKEND_NAMES, BackendUnavailableError, initBackend, loadBlas } from '../src/index';
import { envInteger } from '../../../tools/bench/settings';
import { medianMs } from './timing';

const wasmReps = envInteger('BENCH_REPS', 10, 1);

interface Timings {
  matMulPlainMs: number;
  matMulTransposeAMs: number;
  matMulTransposeBMs: number;
  adamStepMlpMs: number;
  repetitions: number;
}

function measure(reps: number): Timings {
  const rng = new Rng(0);
  const a = standardNormal([512, 512], rng);
  const b = standardNormal([512, 512], rng);
  // The tidy callback returns nothing: returning the downloaded array would make tidy walk its
  // 262144 entries looking for tensors, which costs more than the product itself.
  const product = (ta: boolean, tb: boolean) => () =>
    tf.tidy(() => {
      tf.matMul(a, b, ta, tb).dataSync();
    });
  const net = mlp({ inputSize: 100, hiddenSizes: [512, 512], outputSize: 1, activation: 'relu', rng });
  const x = standardNormal([512, 100], rng);
  const y = standardNormal([512, 1], rng);
  const adam = new Adam({ learningRate: 3e-4 });
  const step = () => {
    adam.minimize(() => tf.tidy(() => tf.losses.meanSquaredError(y, net.forward(x)) as tf.Scalar), net);
  };
  const timings: Timings = {
    matMulPlainMs: medianMs(product(false, false), reps, 1, 2),
    matMulTransposeAMs: medianMs(product(true, false), reps, 1, 2),
    matMulTransposeBMs: medianMs(product(false, true), reps, 1, 2),
    adamStepMlpMs: medianMs(step, reps, 1, 2),
    repetitions: reps,
  };
  tf.dispose([a, b, x, y]);
  adam.dispose();
  net.dispose();
  return timings;
}

async function main(): Promise<void> {
  const results: Record<string, unknown> = {};
  for (const name of BACKEND_NAMES) {
    try {
      if (name === 'wasm') {
        await initBackend('wasm', { fixTransposedMatMul: false, kernels: 'wasm' });
        const withoutFix = measure(wasmReps);
        await initBackend('wasm', { fixTransposedMatMul: true, kernels: 'wasm' });
        const withFix = measure(wasmReps);
        // The native OpenBLAS products (npm run build:native), when the addon is built.
        const blas = loadBlas();
        let withBlas: unknown = { available: false, reason: blas.blas === null ? blas.reason : '' };
        if (blas.blas !== null) {
          const info = await initBackend('wasm', { kernels: 'blas' });
          withBlas = { available: true, threads: info.blas?.threads, ...measure(wasmReps) };
          await initBackend('wasm', { kernels: 'wasm' });
        }
        results['wasm'] = { available: true, withTransposedMatMulFix: withFix, withoutFix, withBlas };
      } else {
        await initBackend(name);
        // The pure-JS cpu backend takes about a second per product: keep its repetitions few.
        results[name] = { available: true, ...measure(name === 'cpu' ? 2 : wasmReps) };
      }
    } catch (error) {
      if (!(error instanceof BackendUnavailableError)) throw error;
      results[name] = { available: false, reason: error.reason, install: error.install };
    }
  }
  const report = {
    benchmark: '@mbrl-ts/kernels',
    shapes: {
      matMul: '512x512 @ 512x512',
      adamStep: 'MLP 100-512-512-1 (relu), batch 512, MSE, Adam + global-norm clip',
    },
    unit: 'median ms',
    node: process.version,
    cpu: `${cpus().length} x ${cpus()[0]?.model ?? 'unknown'}`,
    results,
  };
  console.log(JSON.stringify(report, null, 2));
}

await main();
