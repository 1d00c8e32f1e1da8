/**
 * The fused ops of the ALM update against what they replace, on the shapes an update runs them at
 * (paper preset, batch 512), each forward + backward (the gradients of sum(y * dy) in every input):
 *
 *  - dense ELU: one MbrlDense kernel vs matMul, add and elu (the products native either way);
 *  - layerNorm with tanh: one kernel each way vs layerNorm then tf.tanh;
 *  - boundedGaussian: one kernel each way vs the ~10 forward ops of the tfjs head;
 *  - softUpdate of the target encoder and both target critics (forward only): MbrlPolyak vs two
 *    products and a sum per variable.
 *
 * Needs the addon (the unfused side runs on its element-wise kernels too). Prints JSON: median ms.
 *
 *   npm run bench:fused -w @mbrl-ts/kernels        (BENCH_REPS=50 for more repetitions)
 */
import * as tf from '@tensorflow/tfjs';
import { cpus } from 'node:os';
import { Rng, boundedGaussian, dense, layerNorm, mlp, softUpdate, standardNormal } from '@mbrl-ts/nn';
import {
  initBackend,
  installNativeBoundedGaussian,
  installNativeDense,
  installNativeOptim,
  loadBlas,
  unregisterWasmKernels,
  type NativeBlas,
} from '../src/index';
import { envInteger } from '../../../tools/bench/settings';
import { medianMs } from './timing';

const reps = envInteger('BENCH_REPS', 30, 1);

/** Median ms of the value and every input's gradient of sum(f(inputs) * dy). */
function forwardBackward(f: (...xs: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[], dy: tf.Tensor): number {
  return medianMs(() => tf.dispose(tf.grads((...xs: tf.Tensor[]) => f(...xs))(inputs, dy)), reps, 2, 3);
}

/** Fused (kernels installed) and unfused (`remove` unregistered) timings of `run`. */
function pair(blas: NativeBlas, install: (b: NativeBlas) => void, remove: string[], run: () => number) {
  install(blas);
  const fused = run();
  unregisterWasmKernels(remove);
  const unfused = run();
  install(blas);
  return { fusedMs: fused, unfusedMs: unfused };
}

async function main(): Promise<void> {
  const load = loadBlas();
  if (load.blas === null) {
    console.error(`bench:fused needs the addon: ${load.reason}`);
    process.exit(2);
  }
  const blas = load.blas;
  const info = await initBackend('wasm', { kernels: 'blas', logger: () => {} });
  const rng = new Rng(1);
  const results: Record<string, unknown> = {};
  const tensorsBefore = tf.memory().numTensors;

  for (const [m, k, n] of [
    [512, 1024, 1024],
    [512, 512, 512],
  ]) {
    const inputs = [standardNormal([m, k], rng), standardNormal([k, n], rng), standardNormal([n], rng)];
    const dy = standardNormal([m, n], rng);
    results[`dense ELU [${m},${k}] x [${k},${n}]`] = pair(blas, installNativeDense, ['MbrlDense'], () =>
      forwardBackward((x, w, b) => dense(x, w, b, 'elu'), inputs, dy),
    );
    tf.dispose([...inputs, dy]);
  }

  for (const rows of [1536, 512]) {
    const inputs = [standardNormal([rows, 512], rng), standardNormal([512], rng), standardNormal([512], rng)];
    const dy = standardNormal([rows, 512], rng);
    const fused = forwardBackward((x, w, b) => layerNorm(x, w, b, 1e-5, 'tanh'), inputs, dy);
    const unfused = forwardBackward((x, w, b) => tf.tanh(layerNorm(x, w, b, 1e-5)), inputs, dy);
    results[`layerNorm + tanh [${rows},512]`] = { fusedMs: fused, unfusedMs: unfused };
    tf.dispose([...inputs, dy]);
  }

  {
    const params = standardNormal([512, 100], rng);
    const [a, b] = [standardNormal([512, 50], rng), standardNormal([512, 50], rng)];
    const head = (p: tf.Tensor) => {
      const g = boundedGaussian(p);
      return tf.add(tf.sum(tf.mul(g.mean, a)), tf.sum(tf.mul(g.std, b)));
    };
    const one = tf.scalar(1);
    results['boundedGaussian [512,100]'] = pair(
      blas,
      installNativeBoundedGaussian,
      ['MbrlBoundedGaussian', 'MbrlBoundedGaussianGrad'],
      () => forwardBackward(head, [params], one),
    );
    tf.dispose([params, a, b, one]);
  }

  {
    // The ALM agent's target networks at HalfCheetah sizes: encoder 17 -> 512 -> 512 -> 100, two critics.
    const nets = () => [
      mlp({ inputSize: 17, hiddenSizes: [512, 512], outputSize: 100, rng }),
      mlp({ inputSize: 56, hiddenSizes: [512, 512], outputSize: 1, layerNormTanhFirst: true, rng }),
      mlp({ inputSize: 56, hiddenSizes: [512, 512], outputSize: 1, layerNormTanhFirst: true, rng }),
    ];
    const [online, target] = [nets(), nets()];
    results['softUpdate, target encoder + critics (tau 0.005)'] = pair(
      blas,
      installNativeOptim,
      ['MbrlPolyak'],
      () => medianMs(() => online.forEach((net, i) => softUpdate(target[i], net, 0.005)), reps, 2, 3),
    );
    [...online, ...target].forEach((net) => net.dispose());
  }

  console.log(
    JSON.stringify(
      {
        benchmark: '@mbrl-ts/nn fused ops vs the ops they replace (wasm backend, native kernels)',
        unit: 'median ms per forward + backward (softUpdate: per call over the three networks)',
        blasThreads: info.blas?.threads ?? null,
        repetitions: reps,
        node: process.version,
        cpu: `${cpus().length} x ${cpus()[0]?.model ?? 'unknown'}`,
        tensorsLeft: tf.memory().numTensors - tensorsBefore,
        results,
      },
      null,
      2,
    ),
  );
}

await main();
