/**
 * The native Adam step and sum of squares (this package's optional addon) against the tfjs-ops
 * Adam: same seed, same gradients, same parameters and state within float tolerance, clipping
 * included; save/load of the state across the two paths. Skipped (and said so) without the addon.
 */
import * as tf from '@tensorflow/tfjs';
import {
  Adam,
  ADAM_STEP_KERNEL,
  globalNorm,
  Linear,
  mlp,
  softUpdate,
  Rng,
  standardNormal,
} from '@mbrl-ts/nn';
import { installBlasKernels, isNativeOptimInstalled, uninstallBlasKernels } from '../src/index';
import { blasSuites, expectClose, values, withNativeKernels } from './helpers';

const { load, describeWithBlas } = blasSuites('native-optim.test: native optimizer tests');

interface Trained {
  losses: number[];
  norms: number[];
  params: number[][];
  state: Map<string, number[]>;
}

/** A small regression trained for `steps` Adam steps with a tight clip (so the scale is < 1). */
function train(steps: number, native: boolean, maxGradNorm: number | null): Trained {
  if (load.blas === null) throw new Error('unreachable without the addon');
  if (native) installBlasKernels(load.blas);
  else uninstallBlasKernels();
  const rng = new Rng(7);
  const layer = new Linear(6, 3, { rng });
  const x = standardNormal([32, 6], rng);
  const y = standardNormal([32, 3], rng);
  const adam = new Adam({ learningRate: 0.01, maxGradNorm });
  const losses: number[] = [];
  const norms: number[] = [];
  for (let i = 0; i < steps; i++) {
    const step = adam.minimize(() => tf.mean(tf.square(tf.sub(layer.forward(x), y))) as tf.Scalar, layer);
    losses.push(step.loss);
    norms.push(step.gradNorm);
  }
  const params = layer.parameters().map(values);
  const stateTensors = adam.getState(layer);
  const state = new Map([...stateTensors].map(([k, t]) => [k, values(t)]));
  tf.dispose([...stateTensors.values(), x, y]);
  layer.dispose();
  adam.dispose();
  return { losses, norms, params, state };
}

describeWithBlas('native Adam on the wasm backend', () => {
  withNativeKernels();

  it('is registered with the BLAS kernels and removed with them', () => {
    if (load.blas === null) return;
    installBlasKernels(load.blas);
    expect(isNativeOptimInstalled()).toBe(true);
    uninstallBlasKernels();
    expect(isNativeOptimInstalled()).toBe(false);
    expect(tf.getKernel(ADAM_STEP_KERNEL, 'wasm')).toBeUndefined();
  });

  for (const clip of [null, 0.5]) {
    it(`matches the tfjs-ops Adam step for step (clip ${clip})`, () => {
      const plain = train(20, false, clip);
      const fused = train(20, true, clip);
      expectClose(fused.losses, plain.losses, 1e-6);
      expectClose(fused.norms, plain.norms, 1e-5);
      if (clip !== null) expect(Math.max(...plain.norms)).toBeGreaterThan(clip); // the clip was active
      for (let i = 0; i < plain.params.length; i++) expectClose(fused.params[i], plain.params[i], 1e-6);
      expect([...fused.state.keys()]).toEqual([...plain.state.keys()]);
      for (const [key, value] of plain.state) expectClose(fused.state.get(key) as number[], value, 1e-7);
      expect(fused.state.get('weight.adam_step')).toEqual([20]);
    });
  }

  it('computes one exactly known step', () => {
    if (load.blas === null) return;
    installBlasKernels(load.blas);
    // First step from zero moments: m = 0.1 g, v = 0.001 g^2, p' = p - lr * sign(g) (up to eps).
    const v = tf.variable(tf.tensor1d([1, -2, 3, 0.5]));
    const adam = new Adam({ learningRate: 0.1, maxGradNorm: null });
    adam.minimize(() => tf.sum(tf.mul(v, tf.tensor1d([2, -3, 0.5, 4]))) as tf.Scalar, [v]);
    expectClose(values(v), [0.9, -1.9, 2.9, 0.4], 1e-6);
    const state = adam.getState([v]);
    expectClose(values(state.get('0.adam_m') as tf.Tensor), [0.2, -0.3, 0.05, 0.4], 1e-7);
    expectClose(values(state.get('0.adam_v') as tf.Tensor), [0.004, 0.009, 0.00025, 0.016], 1e-9);
    tf.dispose([...state.values(), v]);
    adam.dispose();
  });

  it('continues from a state saved by the tfjs-ops Adam exactly as that Adam would', () => {
    if (load.blas === null) return;
    const run = (resumeNative: boolean) => {
      uninstallBlasKernels();
      const v = tf.variable(tf.tensor1d([1, -2, 3]));
      const loss = () => tf.sum(tf.square(tf.sub(v, tf.tensor1d([0.5, 0.5, 0.5])))) as tf.Scalar;
      const first = new Adam({ learningRate: 0.05 });
      for (let i = 0; i < 3; i++) first.minimize(loss, [v]);
      const saved = first.getState([v]);
      first.dispose();
      if (resumeNative) installBlasKernels(load.blas as NonNullable<typeof load.blas>);
      const second = new Adam({ learningRate: 0.05 });
      second.setState([v], saved);
      for (let i = 0; i < 3; i++) second.minimize(loss, [v]);
      const out = values(v);
      tf.dispose([...saved.values(), v]);
      second.dispose();
      return out;
    };
    expectClose(run(true), run(false), 1e-6);
  });

  it('sums squares for the global norm as tfjs does, and leaks nothing', () => {
    if (load.blas === null) return;
    installBlasKernels(load.blas);
    const before = tf.memory().numTensors;
    const gs = [tf.tensor1d([1, 2, 2]), tf.tensor2d([[4]]), tf.zeros([0])];
    const norm = globalNorm(gs);
    expectClose(values(norm), [5], 1e-6); // sqrt(1 + 4 + 4 + 16)
    tf.dispose([...gs, norm]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('soft-updates a target network exactly as the tfjs ops do, in one kernel per variable', async () => {
    if (load.blas === null) return;
    for (const tau of [0.005, 0.3, 1]) {
      const updated = (native: boolean) => {
        if (native) installBlasKernels(load.blas!);
        else uninstallBlasKernels();
        const online = mlp({ inputSize: 5, hiddenSizes: [16], outputSize: 2, rng: new Rng(1) });
        const target = mlp({ inputSize: 5, hiddenSizes: [16], outputSize: 2, rng: new Rng(2) });
        softUpdate(target, online, tau);
        softUpdate(target, online, tau);
        const out = target.parameters().map((p) => values(p));
        online.dispose();
        target.dispose();
        return out.flat();
      };
      const tfjs = updated(false);
      const native = updated(true);
      expect(native).toEqual(tfjs); // bit for bit: the same float32 products and sum
    }
    installBlasKernels(load.blas);
    const [online, target] = [1, 2].map((seed) =>
      mlp({ inputSize: 3, hiddenSizes: [4], outputSize: 1, rng: new Rng(seed) }),
    );
    const before = tf.memory().numTensors;
    const info = await tf.profile(() => softUpdate(target, online, 0.005));
    expect(info.kernels.map((k) => k.name)).toEqual(Array(4).fill('MbrlPolyak'));
    expect(tf.memory().numTensors).toBe(before);
    online.dispose();
    target.dispose();
  });
});
