/**
 * A dense layer as one differentiable op: y = x w + b, optionally followed by ELU (alpha 1).
 *
 * With the native kernel registered for the current backend (wasm with the optional addon:
 * @mbrl-ts/kernels' native-dense) the forward is one kernel, which adds the bias and applies ELU
 * to each block of y as soon as it is computed; its gradient is registered for that kernel's name and, like tfjs's
 * own, gives each input its gradient lazily, so only what the loss needs is computed. With
 * dz = dy (linear) or EluGrad(dy, y):
 *
 *   dx = dz w^T,   dw = x^T dz,   db = sum over rows of dz
 *
 * On every other backend the op is tfjs's matMul, add and elu, whose gradients are the same.
 */
import * as tf from '@tensorflow/tfjs-core';
import { backendHasKernel } from '../kernel-names';

/** The native kernel's name: inputs x [m, k], weight [k, n], bias [n]; attrs DenseAttrs; output y [m, n]. */
export const DENSE_KERNEL = 'MbrlDense';

/** What follows the affine map: nothing, or ELU with alpha 1. */
export type DenseActivation = 'linear' | 'elu';

export interface DenseAttrs {
  activation: DenseActivation;
}

/** dz from dy and the saved output, then the three input gradients on demand. */
export const denseGradient: tf.GradConfig = {
  kernelName: DENSE_KERNEL,
  inputsToSave: ['x', 'weight'],
  outputsToSave: [true],
  gradFunc: (dy, saved, attrs) => {
    const [x, weight, y] = saved;
    const { activation } = attrs as unknown as DenseAttrs;
    const dz =
      activation === 'elu'
        ? (tf.engine().runKernel('EluGrad', { dy: dy as tf.Tensor, y }) as tf.Tensor)
        : (dy as tf.Tensor);
    return {
      x: () => tf.matMul(dz, weight, false, true),
      weight: () => tf.matMul(x, dz, true, false),
      bias: () => tf.sum(dz, 0),
    };
  },
};

/**
 * x [m, k] times weight [k, n] plus bias [n], then `activation`. Differentiable in all three.
 */
export function dense(
  x: tf.Tensor,
  weight: tf.Tensor,
  bias: tf.Tensor,
  activation: DenseActivation = 'linear',
): tf.Tensor2D {
  if (x.rank !== 2 || weight.rank !== 2 || bias.rank !== 1) {
    throw new RangeError(
      `dense: expected x [m, k], weight [k, n] and bias [n]; got x [${x.shape}], weight [${weight.shape}], bias [${bias.shape}]`,
    );
  }
  if (weight.shape[0] !== x.shape[1] || bias.shape[0] !== weight.shape[1]) {
    throw new RangeError(
      `dense: x [${x.shape}], weight [${weight.shape}] and bias [${bias.shape}] do not fit ` +
        `(x's columns must equal weight's rows, and bias's length weight's columns)`,
    );
  }
  if (activation !== 'linear' && activation !== 'elu') {
    throw new RangeError(`dense: activation must be 'linear' or 'elu', got ${String(activation)}`);
  }
  const native = backendHasKernel(DENSE_KERNEL) && [x, weight, bias].every((t) => t.dtype === 'float32');
  if (native) {
    const attrs: DenseAttrs = { activation };
    return tf
      .engine()
      .runKernel(DENSE_KERNEL, { x, weight, bias }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor2D;
  }
  return tf.tidy(() => {
    const affine = tf.add(tf.matMul(x as tf.Tensor2D, weight as tf.Tensor2D), bias);
    return (activation === 'elu' ? tf.elu(affine) : affine) as tf.Tensor2D;
  });
}
