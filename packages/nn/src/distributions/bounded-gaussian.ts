/**
 * The Gaussian head of the paper's encoder and latent model: the network emits 2 * d numbers per
 * row, split into a raw mean and a raw std. The mean is squashed smoothly into (-30, 30) by
 * 30 * tanh(m / 30); the std is soft-clamped into [0.1, 10] by two softplus steps,
 *   s = maxStd - softplus(maxStd - s);   s = minStd + softplus(s - minStd),
 * which is smooth, keeps gradients everywhere and never lets the std reach zero.
 *
 * With the native kernels registered for the current backend (wasm with the optional addon:
 * @mbrl-ts/kernels' native-bounded-gaussian) the head is one kernel forward and one backward, with the same
 * operations in the same order; otherwise it is the tfjs ops below.
 */
import * as tf from '@tensorflow/tfjs-core';
import { backendHasKernel } from '../kernel-names';
import { DiagGaussian } from './diag-gaussian';

/** The native head's name: input params [..., 2d]; attrs BoundedGaussianAttrs; outputs [mean, std] ([..., d]). */
export const BOUNDED_GAUSSIAN_KERNEL = 'MbrlBoundedGaussian';
/** Its gradient's: inputs dmean, dstd, params and the forward's mean; output dparams. */
export const BOUNDED_GAUSSIAN_GRAD_KERNEL = 'MbrlBoundedGaussianGrad';

export interface BoundedGaussianAttrs {
  bound: number;
  lo: number;
  hi: number;
}

/** dparams from both outputs' gradients (tfjs passes zeros for an unused one). */
export const boundedGaussianGradient: tf.GradConfig = {
  kernelName: BOUNDED_GAUSSIAN_KERNEL,
  inputsToSave: ['params'],
  outputsToSave: [true, false],
  gradFunc: (dy, saved, attrs) => {
    const [dmean, dstd] = dy as tf.Tensor[];
    const [params, mean] = saved;
    return {
      params: () =>
        tf
          .engine()
          .runKernel(BOUNDED_GAUSSIAN_GRAD_KERNEL, { dmean, dstd, params, mean }, attrs) as tf.Tensor,
    };
  },
};

export interface BoundedGaussianOptions {
  /** |mean| stays below this. Default 30. */
  meanBound?: number;
  /** Default 0.1. */
  minStd?: number;
  /** Default 10. */
  maxStd?: number;
}

/** Smoothly clamp raw values into [minStd, maxStd] (upper bound first, then lower bound). */
export function softClampStd(raw: tf.Tensor, minStd = 0.1, maxStd = 10): tf.Tensor {
  return tf.tidy(() => {
    const belowMax = tf.sub(maxStd, tf.softplus(tf.sub(maxStd, raw)));
    return tf.add(minStd, tf.softplus(tf.sub(belowMax, minStd)));
  });
}

/** Split `params` [..., 2d] into a bounded mean and std and return the Gaussian over d dims. */
export function boundedGaussian(params: tf.Tensor, options: BoundedGaussianOptions = {}): DiagGaussian {
  const { meanBound = 30, minStd = 0.1, maxStd = 10 } = options;
  const width = params.shape[params.shape.length - 1];
  if (width === undefined || width % 2 !== 0) {
    throw new RangeError(
      `boundedGaussian: last axis must hold 2 * d values (mean, std), got shape [${params.shape}]`,
    );
  }
  const native =
    params.dtype === 'float32' &&
    backendHasKernel(BOUNDED_GAUSSIAN_KERNEL) &&
    backendHasKernel(BOUNDED_GAUSSIAN_GRAD_KERNEL);
  if (native) {
    const attrs: BoundedGaussianAttrs = { bound: meanBound, lo: minStd, hi: maxStd };
    const [mean, std] = tf
      .engine()
      .runKernel(BOUNDED_GAUSSIAN_KERNEL, { params }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
    return new DiagGaussian(mean, std);
  }
  const [rawMean, rawStd] = tf.split(params, 2, -1);
  const mean = tf.tidy(() => tf.mul(meanBound, tf.tanh(tf.div(rawMean, meanBound))));
  const std = softClampStd(rawStd, minStd, maxStd);
  rawMean.dispose();
  rawStd.dispose();
  return new DiagGaussian(mean, std);
}
