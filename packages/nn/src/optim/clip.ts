/**
 * Global-norm gradient clipping, as torch.nn.utils.clip_grad_norm_: with
 * n = sqrt(sum of all squared gradient entries), every gradient is multiplied by
 * maxNorm / (n + 1e-6) when that factor is below 1. A non-finite norm throws instead.
 */
import * as tf from '@tensorflow/tfjs-core';
import { NonFiniteGradientError } from '../errors';
import { SUM_OF_SQUARES_KERNEL, backendHasKernel } from '../kernel-names';

/** The paper clips gradients at a global norm of 100 (Table 3). */
export const DEFAULT_MAX_GRAD_NORM = 100;

/**
 * sqrt(sum_i ||g_i||^2) as a scalar tensor. With the native optimizer kernels on the backend in
 * use, the squares are summed in one native call per gradient (in double).
 */
export function globalNorm(gradients: readonly tf.Tensor[]): tf.Scalar {
  return tf.tidy(() => {
    if (gradients.length === 0) return tf.scalar(0);
    if (backendHasKernel(SUM_OF_SQUARES_KERNEL) && gradients.every((g) => g.dtype === 'float32')) {
      // Concat's habit: an array of tensors as the named inputs (a typed boundary onto the engine).
      const squares = tf
        .engine()
        .runKernel(SUM_OF_SQUARES_KERNEL, gradients as unknown as tf.NamedTensorMap) as tf.Scalar;
      return tf.sqrt(squares) as tf.Scalar;
    }
    return tf.sqrt(tf.addN(gradients.map((g) => tf.sum(tf.square(g))))) as tf.Scalar;
  });
}

/** The factor the gradients are multiplied by for a given global norm (1 when no clipping). */
export function clipCoefficient(norm: number, maxNorm: number | null): number {
  if (!Number.isFinite(norm)) throw new NonFiniteGradientError(norm);
  if (maxNorm === null) return 1;
  const coefficient = maxNorm / (norm + 1e-6);
  return coefficient < 1 ? coefficient : 1;
}

/**
 * Clip `gradients` to global norm `maxNorm`. Returns new tensors (the caller disposes them and the
 * inputs) and the norm before clipping. Throws NonFiniteGradientError on a NaN/Inf norm.
 */
export function clipByGlobalNorm(
  gradients: readonly tf.Tensor[],
  maxNorm = DEFAULT_MAX_GRAD_NORM,
): { gradients: tf.Tensor[]; norm: number } {
  const normTensor = globalNorm(gradients);
  const norm = normTensor.dataSync()[0];
  normTensor.dispose();
  const coefficient = clipCoefficient(norm, maxNorm);
  return { gradients: gradients.map((g) => tf.tidy(() => tf.mul(g, coefficient))), norm };
}
