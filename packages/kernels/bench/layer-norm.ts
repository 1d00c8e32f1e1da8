/**
 * LayerNorm forward + backward (value and the gradients in x, weight and bias) on the shapes of
 * ALM's critics and reward model at batch 512: [1536, 512] (K = 3 steps stacked) and [512, 512].
 * Three implementations on the wasm backend: autodiff of the composite formula (tf.moments, sub,
 * div, sqrt, mul, add: what the LayerNorm module computed before the layerNorm op), the op's
 * hand-written gradient as tfjs ops, and the op on the native kernels (when the addon is built;
 * MBRL_BLAS_THREADS picks the addon's threads for the other kernels). Prints JSON (median ms).
 *
 *   npm run bench:layer-norm -w @mbrl-ts/kernels        (BENCH_REPS=50 for more repetitions)
 */
import * as tf from '@tensorflow/tfjs';
import { cpus } from 'node:os';
import { Rng, layerNorm, standardNormal } from '@mbrl-ts/nn';
import { initBackend, installNativeLayerNorm, loadBlas, uninstallNativeLayerNorm } from '../src/index';
import { envInteger } from '../../../tools/bench/settings';
import { median } from './timing';

const reps = envInteger('BENCH_REPS', 30, 1);

type Norm = (x: tf.Tensor, weight: tf.Tensor, bias: tf.Tensor) => tf.Tensor;

const composite: Norm = (x, weight, bias) => {
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5))), weight), bias);
};

const op: Norm = (x, weight, bias) => layerNorm(x, weight, bias, 1e-5);

/** Median wall and CPU ms of one forward + backward after two warm-up runs. */
function time(norm: Norm, shape: [number, number], reps: number): { wallMs: number; cpuMs: number } {
  const rng = new Rng(1);
  const x = standardNormal(shape, rng);
  const weight = standardNormal([shape[1]], rng);
  const bias = standardNormal([shape[1]], rng);
  const dy = standardNormal(shape, rng);
  const step = () => {
    const grads = tf.grads((a, w, b) => norm(a, w, b))([x, weight, bias], dy);
    tf.dispose(grads);
  };
  step();
  step();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < reps; i++) {
    const start = performance.now();
    const usage = process.cpuUsage();
    step();
    const used = process.cpuUsage(usage);
    wall.push(performance.now() - start);
    cpu.push((used.user + used.system) / 1000);
  }
  tf.dispose([x, weight, bias, dy]);
  return { wallMs: median(wall, 3), cpuMs: median(cpu, 3) };
}

async function main(): Promise<void> {
  const blas = loadBlas();
  const info = await initBackend('wasm', { kernels: blas.blas === null ? 'wasm' : 'blas', logger: () => {} });
  const shapes: Array<[number, number]> = [
    [1536, 512],
    [512, 512],
  ];
  const results: Record<string, Record<string, unknown>> = {};
  for (const shape of shapes) {
    const row: Record<string, unknown> = {};
    uninstallNativeLayerNorm();
    row.composite = time(composite, shape, reps);
    row.customGradTfjs = time(op, shape, reps);
    if (blas.blas !== null) {
      installNativeLayerNorm(blas.blas);
      row.native = time(op, shape, reps);
    } else {
      row.native = { available: false, reason: blas.reason };
    }
    results[`[${shape}]`] = row;
  }
  const report = {
    benchmark: '@mbrl-ts/nn layerNorm forward + backward (wasm backend)',
    unit: 'median ms per forward + backward',
    kernels: info.kernels,
    blasThreads: info.blas?.threads ?? null,
    repetitions: reps,
    node: process.version,
    cpu: `${cpus().length} x ${cpus()[0]?.model ?? 'unknown'}`,
    results,
  };
  console.log(JSON.stringify(report, null, 2));
}

await main();
