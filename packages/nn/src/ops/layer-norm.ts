/**
 * Layer normalisation over the last axis as one differentiable op:
 *
 *   y = (x - mean) / sqrt(variance + eps) * weight + bias
 *
 * with the row's mean and biased variance (torch.nn.LayerNorm's). Its gradient is written out by
 * hand (tf.customGrad) instead of left to autodiff, which expands the composite formula into
 * about twenty small kernels. With xhat = (x - mean) rstd, rstd = 1 / sqrt(variance + eps) and
 * g = dy weight:
 *
 *   dx = rstd (g - mean(g) - xhat mean(g xhat)),   dweight = sum dy xhat,   dbias = sum dy
 *
 * (means over the last axis, sums over every other). With `activation` 'tanh' the op is
 * tanh(layer norm) (the first hidden layer of the reward, critic and classifier nets), and dy is
 * taken through tanh first: dy (1 - y^2). On a backend with the native kernels
 * registered (wasm with @mbrl-ts/kernels' addon: its native-layer-norm) forward and backward are one
 * kernel each; on every other backend the same arithmetic runs as tfjs ops.
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  LAYER_NORM_GRAD_KERNEL,
  LAYER_NORM_KERNEL,
  backendHasKernel,
  type LayerNormAttrs,
} from '../kernel-names';

/** The forward's result and what its gradient needs. */
interface Forward {
  value: tf.Tensor;
  gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor[];
}

type SaveFunc = (tensors: tf.Tensor[]) => void;

/** What follows the normalisation: nothing, or tanh. */
export type LayerNormActivation = 'linear' | 'tanh';

/**
 * Layer normalisation of `x` ([..., D]) over its last axis with gain `weight` and `bias` (both
 * [D]), then `activation`. Differentiable in all three.
 */
export function layerNorm(
  x: tf.Tensor,
  weight: tf.Tensor,
  bias: tf.Tensor,
  eps = 1e-5,
  activation: LayerNormActivation = 'linear',
): tf.Tensor {
  const features = x.shape[x.rank - 1];
  if (x.rank === 0 || features === 0) {
    throw new RangeError(`layerNorm: x must have a non-empty last axis, got shape [${x.shape}]`);
  }
  for (const [name, t] of [
    ['weight', weight],
    ['bias', bias],
  ] as const) {
    if (t.rank !== 1 || t.shape[0] !== features) {
      throw new RangeError(
        `layerNorm: ${name} must have shape [${features}] (x's last axis), got [${t.shape}]`,
      );
    }
  }
  if (!(eps >= 0)) throw new RangeError(`layerNorm: eps must be >= 0, got ${eps}`);
  if (activation !== 'linear' && activation !== 'tanh') {
    throw new RangeError(`layerNorm: activation must be 'linear' or 'tanh', got ${String(activation)}`);
  }
  const tanh = activation === 'tanh';
  const native =
    backendHasKernel(LAYER_NORM_KERNEL) &&
    backendHasKernel(LAYER_NORM_GRAD_KERNEL) &&
    [x, weight, bias].every((t) => t.dtype === 'float32');
  const forward = native ? nativeForward(eps, tanh) : tfjsForward(eps, tanh);
  // customGrad's typing is variadic over tensors and the save function; ours takes exactly four.
  const op = tf.customGrad(forward as unknown as Parameters<typeof tf.customGrad>[0]);
  return op(x, weight, bias);
}

/** The forward and backward as tfjs ops (any backend). Saves xhat, rstd, weight (and y after tanh). */
function tfjsForward(eps: number, tanh: boolean) {
  return (x: tf.Tensor, weight: tf.Tensor, bias: tf.Tensor, save: SaveFunc): Forward => {
    const mean = tf.mean(x, -1, true);
    const centred = tf.sub(x, mean);
    const variance = tf.mean(tf.square(centred), -1, true);
    const rstd = tf.rsqrt(tf.add(variance, eps));
    const normalised = tf.mul(centred, rstd);
    const affine = tf.add(tf.mul(normalised, weight), bias);
    const value = tanh ? tf.tanh(affine) : affine;
    save(tanh ? [normalised, rstd, weight, value] : [normalised, rstd, weight]);
    return {
      value,
      gradFunc: (dyOut, [xhat, rstdSaved, weightSaved, y]) => {
        const features = xhat.shape[xhat.rank - 1];
        // tfjs's own tanh gradient: dy (1 - y^2).
        const dy = tanh ? tf.mul(dyOut, tf.sub(1, tf.square(y))) : dyOut;
        const g = tf.mul(dy, weightSaved);
        const meanG = tf.mean(g, -1, true);
        const meanGx = tf.mean(tf.mul(g, xhat), -1, true);
        const dx = tf.mul(tf.sub(tf.sub(g, meanG), tf.mul(xhat, meanGx)), rstdSaved);
        // Sums over every axis but the last, as one leading axis of a matrix.
        const rows = (t: tf.Tensor) => tf.reshape(t, [-1, features]);
        const dweight = tf.sum(rows(tf.mul(dy, xhat)), 0);
        const dbias = tf.sum(rows(dy), 0);
        return [dx, dweight, dbias];
      },
    };
  };
}

/** The forward and backward as the native kernels. Saves x, weight, the row statistics (and y after tanh). */
function nativeForward(eps: number, tanh: boolean) {
  const attrs: LayerNormAttrs = { eps, tanh };
  return (x: tf.Tensor, weight: tf.Tensor, bias: tf.Tensor, save: SaveFunc): Forward => {
    const [y, mean, rstd] = tf
      .engine()
      .runKernel(LAYER_NORM_KERNEL, { x, weight, bias }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
    save(tanh ? [x, weight, mean, rstd, y] : [x, weight, mean, rstd]);
    return {
      value: y,
      gradFunc: (dy, [xSaved, weightSaved, meanSaved, rstdSaved, ySaved]) =>
        tf.engine().runKernel(LAYER_NORM_GRAD_KERNEL, {
          dy,
          x: xSaved,
          weight: weightSaved,
          mean: meanSaved,
          rstd: rstdSaved,
          ...(tanh ? { y: ySaved } : {}),
        }) as tf.Tensor[],
    };
  };
}
