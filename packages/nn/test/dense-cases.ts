/**
 * The dense op's cases, shared by nn's tests (the op on tfjs's backends) and @mbrl-ts/kernels'
 * (the native kernel against the tfjs ops): a hand-computed case, random cases, the op as tfjs ops.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng, dense, standardNormal, type DenseActivation } from '../src/index';
import { expectClose, valueAndInputGrads } from './helpers';

export type Inputs = [tf.Tensor, tf.Tensor, tf.Tensor];

/** The layer as tfjs ops: autodiff differentiates this. */
export function composite(x: tf.Tensor, w: tf.Tensor, b: tf.Tensor, activation: DenseActivation): tf.Tensor {
  const affine = tf.add(tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D), b);
  return activation === 'elu' ? tf.elu(affine) : affine;
}

/** The value and the gradients of sum(f(x, w, b) * dy) in x, w and b. */
export function valueAndGrads(f: (...inputs: Inputs) => tf.Tensor, inputs: Inputs, dy: tf.Tensor) {
  const { value, grads } = valueAndInputGrads((x, w, b) => f(x, w, b), inputs, dy);
  const [dx, dw, db] = grads;
  return { value, dx, dw, db };
}

export function randomCase(m: number, k: number, n: number, seed: number): { inputs: Inputs; dy: tf.Tensor } {
  const rng = new Rng(seed);
  return {
    inputs: [standardNormal([m, k], rng), standardNormal([k, n], rng), standardNormal([n], rng)],
    dy: standardNormal([m, n], rng),
  };
}

/**
 * x = [[1, -2], [0.5, 3]], w = [[1, 2], [-1, 1]], b = [0.5, -4]: x w + b = [[3.5, -4], [-2, 0]].
 * With dy = ones: linear dz = ones, so dx = dz w^T = [[3, 0], [3, 0]], dw = x^T dz = [[1.5, 1.5], [1, 1]],
 * db = [2, 2]. ELU: y = [[3.5, e^-4 - 1], [e^-2 - 1, 0]], dz = [[1, e^-4], [e^-2, 1]] (y + 1 below 0).
 */
export function handCase(): void {
  const x = tf.tensor2d([
    [1, -2],
    [0.5, 3],
  ]);
  const w = tf.tensor2d([
    [1, 2],
    [-1, 1],
  ]);
  const b = tf.tensor1d([0.5, -4]);
  const dy = tf.ones([2, 2]);
  const linear = valueAndGrads((a, ww, bb) => dense(a, ww, bb), [x, w, b], dy);
  expectClose(linear.value, [3.5, -4, -2, 0], 1e-6);
  expectClose(linear.dx, [3, 0, 3, 0], 1e-6);
  expectClose(linear.dw, [1.5, 1.5, 1, 1], 1e-6);
  expectClose(linear.db, [2, 2], 1e-6);
  const elu = valueAndGrads((a, ww, bb) => dense(a, ww, bb, 'elu'), [x, w, b], dy);
  const [e4, e2] = [Math.exp(-4), Math.exp(-2)];
  expectClose(elu.value, [3.5, e4 - 1, e2 - 1, 0], 1e-6);
  // dz = [[1, e4], [e2, 1]]: dx = dz w^T, dw = x^T dz, db = column sums of dz.
  expectClose(elu.dx, [1 + 2 * e4, -1 + e4, e2 + 2, -e2 + 1], 1e-6);
  expectClose(elu.dw, [1 + 0.5 * e2, e4 + 0.5, -2 + 3 * e2, -2 * e4 + 3], 1e-6);
  expectClose(elu.db, [1 + e2, e4 + 1], 1e-6);
  tf.dispose([x, w, b, dy]);
}
