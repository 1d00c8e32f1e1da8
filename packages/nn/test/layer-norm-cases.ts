/**
 * The layerNorm op's cases, shared by nn's tests (the op on tfjs's backends) and @mbrl-ts/kernels'
 * (the native kernels against the tfjs ops): a hand-checked case, random cases, the composite
 * formula.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng, layerNorm, standardNormal } from '../src/index';
import { expectClose, valueAndInputGrads } from './helpers';

export type Inputs = [tf.Tensor, tf.Tensor, tf.Tensor];

/** LayerNorm as the module computed it before the op: autodiff differentiates this. */
export function composite(x: tf.Tensor, weight: tf.Tensor, bias: tf.Tensor, eps: number): tf.Tensor {
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, eps))), weight), bias);
}

/** The value and the gradients of sum(f(x, weight, bias) * dy) in x, weight and bias. */
export function valueAndGrads(
  f: (...inputs: Inputs) => tf.Tensor,
  inputs: Inputs,
  dy: tf.Tensor,
): { value: number[]; dx: number[]; dweight: number[]; dbias: number[] } {
  const { value, grads } = valueAndInputGrads((x, w, b) => f(x, w, b), inputs, dy);
  const [dx, dweight, dbias] = grads;
  return { value, dx, dweight, dbias };
}

export function randomCase(shape: number[], seed: number): { inputs: Inputs; dy: tf.Tensor } {
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
export function handCase(): void {
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
