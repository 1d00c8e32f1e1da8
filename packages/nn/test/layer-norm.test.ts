/**
 * The layerNorm op: a hand-checked case, its forward and hand-written gradients against autodiff
 * of the composite formula (tf.moments, sub, div, sqrt, mul, add) on the cpu and wasm backends,
 * and the native kernels against the tfjs ops (skipped, and saying so, without the addon).
 */
import * as tf from '@tensorflow/tfjs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  LayerNorm,
  Rng,
  initBackend,
  installBlasKernels,
  isNativeLayerNormInstalled,
  layerNorm,
  loadParameters,
  mlp,
  saveParameters,
  standardNormal,
  uninstallBlasKernels,
} from '../src/index';
import {
  blasSuites,
  expectAgreeScaled as expectAgree,
  expectClose,
  valueAndInputGrads,
  values,
  withNativeKernels,
} from './helpers';

type Inputs = [tf.Tensor, tf.Tensor, tf.Tensor];

/** LayerNorm as the module computed it before the op: autodiff differentiates this. */
function composite(x: tf.Tensor, weight: tf.Tensor, bias: tf.Tensor, eps: number): tf.Tensor {
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, eps))), weight), bias);
}

/** The value and the gradients of sum(f(x, weight, bias) * dy) in x, weight and bias. */
function valueAndGrads(
  f: (...inputs: Inputs) => tf.Tensor,
  inputs: Inputs,
  dy: tf.Tensor,
): { value: number[]; dx: number[]; dweight: number[]; dbias: number[] } {
  const { value, grads } = valueAndInputGrads((x, w, b) => f(x, w, b), inputs, dy);
  const [dx, dweight, dbias] = grads;
  return { value, dx, dweight, dbias };
}

function randomCase(shape: number[], seed: number): { inputs: Inputs; dy: tf.Tensor } {
  const rng = new Rng(seed);
  const features = shape[shape.length - 1];
  // An offset and a scale per row, as the pre-activations LayerNorm sees.
  const x = tf.tidy(() => tf.add(tf.mul(standardNormal(shape, rng), 3), 1.5));
  const weight = tf.tidy(() => tf.add(standardNormal([features], rng), 1));
  const bias = standardNormal([features], rng);
  return { inputs: [x, weight, bias], dy: standardNormal(shape, rng) };
}

/**
 * Rows with mean 2 and 1 and variance 1 (eps 0), so xhat is [-1, -1, 1, 1] and [1, -1, -1, 1].
 * Row 1: g = dy weight = [1, 0, 0, 0], mean(g) = 1/4, mean(g xhat) = -1/4, dx = g - 1/4 - xhat / 4.
 * Row 2: g = [0, 2, 0, 0], mean(g) = 1/2, mean(g xhat) = -1/2, dx = g - 1/2 + xhat / 2.
 */
function handCase(): void {
  const x = tf.tensor2d([
    [1, 1, 3, 3],
    [2, 0, 0, 2],
  ]);
  const weight = tf.tensor1d([1, 2, 3, 4]);
  const bias = tf.tensor1d([0, 0, 0, 1]);
  const dy = tf.tensor2d([
    [1, 0, 0, 0],
    [0, 1, 0, 0],
  ]);
  const got = valueAndGrads((a, w, b) => layerNorm(a, w, b, 0), [x, weight, bias], dy);
  expectClose(got.value, [-1, -2, 3, 5, 1, -2, -3, 5], 1e-6);
  expectClose(got.dx, [0.5, -0.5, 0, 0, 0, 1, -1, 0], 1e-6);
  expectClose(got.dweight, [-1, -1, 0, 0], 1e-6);
  expectClose(got.dbias, [1, 1, 0, 0], 1e-6);
  tf.dispose([x, weight, bias, dy]);
}

describe.each(['cpu', 'wasm'] as const)('layerNorm on %s', (backend) => {
  beforeAll(async () => {
    await initBackend(backend, { kernels: 'wasm', logger: () => {} });
  });

  it('matches a hand-computed case: values, dx, dweight and dbias', handCase);

  it.each([[[6, 16]], [[3, 5, 32]], [[7]]])(
    'agrees with autodiff of the composite formula on shape %j',
    (shape) => {
      const { inputs, dy } = randomCase(shape, 3);
      const op = valueAndGrads((a, w, b) => layerNorm(a, w, b), inputs, dy);
      const reference = valueAndGrads((a, w, b) => composite(a, w, b, 1e-5), inputs, dy);
      expectAgree(op, reference, 1e-5);
      tf.dispose([...inputs, dy]);
    },
  );

  it.each([[[6, 16]], [[3, 5, 32]]])(
    'with tanh, agrees with autodiff of tanh of the composite formula on shape %j',
    (shape) => {
      const { inputs, dy } = randomCase(shape, 4);
      const op = valueAndGrads((a, w, b) => layerNorm(a, w, b, 1e-5, 'tanh'), inputs, dy);
      const reference = valueAndGrads((a, w, b) => tf.tanh(composite(a, w, b, 1e-5)), inputs, dy);
      expectAgree(op, reference, 1e-5);
      tf.dispose([...inputs, dy]);
    },
  );

  it('passes the gradient through to what x came from and to the module variables only', () => {
    const rng = new Rng(5);
    const z = standardNormal([4, 3], rng);
    const a = standardNormal([3, 8], rng);
    const norm = new LayerNorm(8);
    norm.weight.assign(tf.tidy(() => tf.add(standardNormal([8], rng), 1)));
    const loss = (f: (x: tf.Tensor) => tf.Tensor) => () =>
      tf.tidy(() => tf.sum(tf.square(tf.add(f(tf.matMul(z, a)), 0.3))) as tf.Scalar);
    const before = tf.memory().numTensors;
    const ours = tf.variableGrads(loss((x) => norm.forward(x)));
    const theirs = tf.variableGrads(loss((x) => composite(x, norm.weight, norm.bias, norm.eps)));
    expect(Object.keys(ours.grads).sort()).toEqual([norm.bias.name, norm.weight.name].sort());
    expect(ours.value.dataSync()[0]).toBeCloseTo(theirs.value.dataSync()[0], 4);
    for (const name of Object.keys(ours.grads))
      expectClose(values(ours.grads[name]), values(theirs.grads[name]), 1e-4);
    const dz = (f: (x: tf.Tensor) => tf.Tensor) =>
      tf.grad((zz: tf.Tensor) => tf.sum(tf.square(tf.add(f(tf.matMul(zz, a)), 0.3))))(z);
    const [dzOurs, dzTheirs] = [
      dz((x) => norm.forward(x)),
      dz((x) => composite(x, norm.weight, norm.bias, norm.eps)),
    ];
    expectClose(values(dzOurs), values(dzTheirs), 1e-4);
    tf.dispose([ours.value, theirs.value, ...Object.values(ours.grads), ...Object.values(theirs.grads)]);
    tf.dispose([dzOurs, dzTheirs]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([z, a]);
    norm.dispose();
  });

  it('says which shape was wrong', () => {
    const [x, scalar, three, four, oneByFour] = [
      tf.zeros([2, 4]),
      tf.scalar(1),
      tf.ones([3]),
      tf.ones([4]),
      tf.zeros([1, 4]),
    ];
    expect(() => layerNorm(x, three, four)).toThrow(
      "layerNorm: weight must have shape [4] (x's last axis), got [3]",
    );
    expect(() => layerNorm(x, four, oneByFour)).toThrow('bias must have shape [4]');
    expect(() => layerNorm(scalar, four, four)).toThrow('non-empty last axis');
    expect(() => layerNorm(x, four, four, -1)).toThrow('eps must be >= 0');
    expect(() => layerNorm(x, four, four, 1e-5, 'elu' as 'tanh')).toThrow(
      "layerNorm: activation must be 'linear' or 'tanh', got elu",
    );
    tf.dispose([x, scalar, three, four, oneByFour]);
  });
});

describe('LayerNorm module', () => {
  let dir: string;
  beforeAll(async () => {
    await initBackend('wasm', { kernels: 'wasm', logger: () => {} });
    dir = await mkdtemp(join(tmpdir(), 'nn-layer-norm-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('saves and loads its gain and bias, and the loaded module computes the same', async () => {
    const rng = new Rng(2);
    const source = new LayerNorm(6);
    source.weight.assign(standardNormal([6], rng));
    source.bias.assign(standardNormal([6], rng));
    await saveParameters(join(dir, 'norm'), source.variables('norm'));
    const restored = new LayerNorm(6);
    await loadParameters(join(dir, 'norm'), restored.variables('norm'));
    const x = standardNormal([3, 6], rng);
    const [a, b] = [source.forward(x), restored.forward(x)];
    expect(values(b)).toEqual(values(a));
    tf.dispose([x, a, b]);
    source.dispose();
    restored.dispose();
  });
});

const { load, describeWithBlas } = blasSuites('layer-norm.test: native layer-norm tests');

describeWithBlas('native layer-norm kernels against the tfjs ops (wasm)', () => {
  withNativeKernels();

  /** The op with the native kernels and without them, on the same inputs. */
  function bothPaths(shape: number[], seed: number, activation: 'linear' | 'tanh' = 'linear') {
    const { inputs, dy } = randomCase(shape, seed);
    const run = () => valueAndGrads((a, w, b) => layerNorm(a, w, b, 1e-5, activation), inputs, dy);
    const native = run();
    uninstallBlasKernels();
    expect(isNativeLayerNormInstalled()).toBe(false);
    const tfjs = run();
    installBlasKernels(load.blas!);
    tf.dispose([...inputs, dy]);
    return { native, tfjs };
  }

  it('match the hand-computed case', handCase);

  it('are registered with the other native kernels', () => {
    expect(isNativeLayerNormInstalled()).toBe(true);
    expect(tf.getKernel('MbrlLayerNorm', 'wasm')).toBeDefined();
    expect(tf.getKernel('MbrlLayerNormGrad', 'wasm')).toBeDefined();
  });

  it.each([[[3, 64, 512]], [[37, 13]], [[5]]])('agree on shape %j (value, dx, dweight, dbias)', (shape) => {
    const { native, tfjs } = bothPaths(shape, 7);
    expectAgree(native, tfjs, 1e-5);
  });

  it.each([[[3, 64, 512]], [[37, 13]]])(
    'agree with tanh on shape %j (value, dx, dweight, dbias)',
    (shape) => {
      const { native, tfjs } = bothPaths(shape, 8, 'tanh');
      expectAgree(native, tfjs, 1e-5);
    },
  );

  it('run a LayerNorm and its tanh in a Sequential as one kernel each way', async () => {
    const net = mlp({
      inputSize: 6,
      hiddenSizes: [32, 32],
      outputSize: 1,
      layerNormTanhFirst: true,
      rng: new Rng(3),
    });
    const x = standardNormal([16, 6], new Rng(4));
    const info = await tf.profile(() => {
      const { value, grads } = tf.variableGrads(() => tf.sum(net.forward(x)) as tf.Scalar, net.parameters());
      tf.dispose([value, ...Object.values(grads)]);
    });
    const names = info.kernels.map((k) => k.name);
    expect(names.filter((n) => n === 'MbrlLayerNorm')).toHaveLength(1);
    expect(names.filter((n) => n === 'MbrlLayerNormGrad')).toHaveLength(1);
    expect(names).not.toContain('Tanh');
    tf.dispose(x);
    net.dispose();
  });

  it('keep tf.memory flat through a gradient step', () => {
    const { inputs, dy } = randomCase([8, 16], 1);
    valueAndGrads((a, w, b) => layerNorm(a, w, b), inputs, dy); // warm-up
    const before = tf.memory().numTensors;
    valueAndGrads((a, w, b) => layerNorm(a, w, b), inputs, dy);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([...inputs, dy]);
  });
});
