import * as tf from '@tensorflow/tfjs';
import {
  Adam,
  NonFiniteGradientError,
  Rng,
  VariableMismatchError,
  clipByGlobalNorm,
  hardUpdate,
  mlp,
  softUpdate,
} from '../src/index';
import { expectClose, useWasm, values } from './helpers';

describe('Adam', () => {
  beforeAll(useWasm);
  afterEach(() => tf.disposeVariables());

  it('first two steps match a hand calculation (torch defaults, bias-corrected)', () => {
    const p = tf.variable(tf.tensor1d([1, -2]));
    const adam = new Adam({ learningRate: 0.1, maxGradNorm: null });
    const loss = () => tf.sum(tf.square(p)) as tf.Scalar; // gradient 2p
    const first = adam.minimize(loss, [p]);
    expect(first.loss).toBeCloseTo(5, 5);
    expect(first.gradNorm).toBeCloseTo(Math.sqrt(4 + 16), 5);
    // Step 1: m = 0.1 g, v = 0.001 g^2, m_hat = g, v_hat = g^2 -> p -= 0.1 * g / (|g| + 1e-8) = 0.1 sign(g)
    expectClose(values(p), [0.9, -1.9], 1e-6);
    adam.minimize(loss, [p]);
    // Step 2 for element 0: g1 = 2, g2 = 1.8
    const m = 0.9 * (0.1 * 2) + 0.1 * 1.8;
    const v = 0.999 * (0.001 * 4) + 0.001 * 1.8 ** 2;
    const expected0 = 0.9 - ((0.1 / (1 - 0.9 ** 2)) * m) / (Math.sqrt(v) / Math.sqrt(1 - 0.999 ** 2) + 1e-8);
    const mB = 0.9 * (0.1 * -4) + 0.1 * -3.8;
    const vB = 0.999 * (0.001 * 16) + 0.001 * 3.8 ** 2;
    const expected1 =
      -1.9 - ((0.1 / (1 - 0.9 ** 2)) * mB) / (Math.sqrt(vB) / Math.sqrt(1 - 0.999 ** 2) + 1e-8);
    expectClose(values(p), [expected0, expected1], 1e-6);
    expect(adam.stepOf(p)).toBe(2);
    adam.dispose();
  });

  it('updates exactly the variables it is given; others get no gradient and keep their values', () => {
    const net = mlp({ inputSize: 3, hiddenSizes: [4], outputSize: 1, rng: new Rng(1) });
    const other = mlp({ inputSize: 3, hiddenSizes: [4], outputSize: 1, rng: new Rng(2) });
    const unused = tf.variable(tf.ones([2]));
    const before = new Map(
      [...net.variables('net'), ...other.variables('other')].map(([n, v]) => [n, values(v)]),
    );
    const x = tf.tensor2d([
      [1, 2, 3],
      [0, -1, 0.5],
    ]);
    const adam = new Adam({ learningRate: 0.01 });
    // The loss depends on both networks, but only `net` (and the unused variable) are selected.
    adam.minimize(
      () => tf.mean(tf.square(tf.add(net.forward(x), other.forward(x)))) as tf.Scalar,
      [...net.parameters(), unused],
    );
    for (const [name, variable] of [...net.variables('net'), ...other.variables('other')]) {
      const changed = values(variable).some((value, i) => value !== (before.get(name) as number[])[i]);
      expect([name, changed]).toEqual([name, name.startsWith('net.')]);
    }
    expect(values(unused)).toEqual([1, 1]);
    expect(adam.stepOf(unused)).toBe(0);
    x.dispose();
    adam.dispose();
  });

  it('clips the global gradient norm at maxGradNorm before the moments', () => {
    const p = tf.variable(tf.tensor1d([300, 400]));
    const adam = new Adam({ learningRate: 0.001, maxGradNorm: 100 });
    const { gradNorm } = adam.minimize(() => tf.mul(0.5, tf.sum(tf.square(p))) as tf.Scalar, [p]);
    expect(gradNorm).toBeCloseTo(500, 3);
    const state = adam.getState([p]);
    // m = (1 - beta1) * g * 100 / (500 + 1e-6)
    expectClose(
      values(state.get('0.adam_m') as tf.Tensor),
      [0.1 * 300 * (100 / (500 + 1e-6)), 0.1 * 400 * (100 / (500 + 1e-6))],
      1e-4,
    );
    expect(values(state.get('0.adam_step') as tf.Tensor)).toEqual([1]);
    tf.dispose([...state.values()]);
    adam.dispose();
  });

  it('throws NonFiniteGradientError on a NaN gradient and updates nothing', () => {
    const p = tf.variable(tf.tensor1d([1, 2]));
    const adam = new Adam({ learningRate: 0.1 });
    const before = tf.memory().numTensors;
    expect(() => adam.minimize(() => tf.sum(tf.sqrt(tf.sub(p, 5))) as tf.Scalar, [p])).toThrow(
      NonFiniteGradientError,
    );
    expect(values(p)).toEqual([1, 2]);
    expect(adam.stepOf(p)).toBe(0);
    expect(tf.memory().numTensors).toBe(before);
    adam.dispose();
  });
});

describe('clipByGlobalNorm', () => {
  beforeAll(useWasm);

  it('scales every gradient by maxNorm / (norm + 1e-6) when the norm is larger', () => {
    const grads = [tf.tensor1d([3, 0]), tf.tensor1d([4])];
    const { gradients, norm } = clipByGlobalNorm(grads, 1);
    expect(norm).toBeCloseTo(5, 6);
    const c = 1 / (5 + 1e-6);
    expectClose(values(gradients[0]), [3 * c, 0], 1e-7);
    expectClose(values(gradients[1]), [4 * c], 1e-7);
    const unclipped = clipByGlobalNorm(grads, 10);
    expect(values(unclipped.gradients[0])).toEqual([3, 0]);
    tf.dispose([...grads, ...gradients, ...unclipped.gradients]);
  });

  it('throws a typed error on an infinite norm', () => {
    const g = tf.tensor1d([Infinity, 1]);
    expect(() => clipByGlobalNorm([g])).toThrow(/Global gradient norm is Infinity/);
    g.dispose();
  });
});

describe('target updates', () => {
  beforeAll(useWasm);
  afterEach(() => tf.disposeVariables());

  it('softUpdate computes tau * online + (1 - tau) * target by name', () => {
    const online = mlp({ inputSize: 2, hiddenSizes: [], outputSize: 1, rng: new Rng(1) });
    const target = online.clone();
    online
      .variables()
      .get('0.weight')
      ?.assign(tf.tensor2d([[1], [2]]));
    target
      .variables()
      .get('0.weight')
      ?.assign(tf.tensor2d([[3], [-2]]));
    softUpdate(target, online, 0.25);
    expectClose(
      values(target.variables().get('0.weight') as tf.Variable),
      [0.25 * 1 + 0.75 * 3, 0.25 * 2 + 0.75 * -2],
      1e-6,
    );
    hardUpdate(target, online);
    expect(values(target.variables().get('0.weight') as tf.Variable)).toEqual([1, 2]);
  });

  it('refuses networks whose names or shapes differ', () => {
    const a = mlp({ inputSize: 2, hiddenSizes: [3], outputSize: 1, rng: new Rng(1) });
    const b = mlp({ inputSize: 2, hiddenSizes: [], outputSize: 1, rng: new Rng(1) });
    const c = mlp({ inputSize: 2, hiddenSizes: [4], outputSize: 1, rng: new Rng(1) });
    expect(() => softUpdate(b, a, 0.01)).toThrow(VariableMismatchError);
    expect(() => hardUpdate(c, a)).toThrow(/shape/);
    expect(() => softUpdate(a, a, 1.5)).toThrow(RangeError);
  });
});
