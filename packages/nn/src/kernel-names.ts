/**
 * The kernels nn's ops dispatch to, by name, and the question they ask before they do. nn only
 * names these kernels (as tfjs-core names its kernels); a backend package registers them
 * (@mbrl-ts/kernels registers them for the wasm backend when its native addon is in use). On a
 * backend without them, layerNorm, Adam, globalNorm and softUpdate compute with tfjs's ops.
 * DENSE_KERNEL lives with its op (./ops/dense), BOUNDED_GAUSSIAN_* with its head
 * (./distributions/bounded-gaussian), each next to its gradient.
 */
import * as tf from '@tensorflow/tfjs-core';

/** Whether the backend in use now has `kernelName`. */
export function backendHasKernel(kernelName: string): boolean {
  return tf.getKernel(kernelName, tf.getBackend()) !== undefined;
}

/** Inputs x [..., D], weight [D], bias [D]; attrs LayerNormAttrs; outputs [y, mean, rstd] (mean, rstd: x's shape without D). */
export const LAYER_NORM_KERNEL = 'MbrlLayerNorm';
/**
 * Inputs dy, x, weight, mean, rstd (as the forward's) and, after a forward with tanh, its output y;
 * outputs [dx, dweight, dbias].
 */
export const LAYER_NORM_GRAD_KERNEL = 'MbrlLayerNormGrad';

export interface LayerNormAttrs {
  /** Added to the variance before the square root. */
  eps: number;
  /** y = tanh(layer norm) (the reward, critic and classifier nets' first hidden layer). */
  tanh: boolean;
}

/** Inputs param, m, v, grad; attrs AdamStepAttrs; outputs [param', m', v']. */
export const ADAM_STEP_KERNEL = 'MbrlAdamStep';
/** Inputs: any number of float32 tensors (an array); output: the float32 scalar sum of their squares. */
export const SUM_OF_SQUARES_KERNEL = 'MbrlSumOfSquares';
/** Inputs target, online (same shape); attrs PolyakAttrs; output online * tau + target * (1 - tau). */
export const POLYAK_KERNEL = 'MbrlPolyak';

export interface PolyakAttrs {
  tau: number;
}

export interface AdamStepAttrs {
  beta1: number;
  beta2: number;
  epsilon: number;
  /** lr / (1 - beta1^t). */
  stepSize: number;
  /** sqrt(1 - beta2^t). */
  sqrtBiasCorrection2: number;
  /** The global-norm clip factor applied to the gradient (1: none). */
  scale: number;
}
