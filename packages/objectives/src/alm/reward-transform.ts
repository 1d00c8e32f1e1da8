/**
 * The logarithmic reward transform of ALM Appendix A.8 (Figures 6 and 12): the theory puts
 * log r and log Q in the objective; on a reward shifted by a large constant a,
 *
 *   a ( log(x + a) - log a ) ~ x,
 *
 * so the transformed objective keeps the scale of the plain one. `shift` 0 means no transform
 * (the paper's main results). Arguments below -a are clamped just above it so the log is finite.
 */
import { tf } from '@mbrl-ts/nn';

export type ValueTransform = (x: tf.Tensor) => tf.Tensor;

export function logRewardTransform(shift: number): ValueTransform | undefined {
  if (shift === 0) return undefined;
  if (!(shift > 0)) throw new RangeError(`logRewardTransform: shift a must be >= 0, got ${shift}`);
  const logShift = Math.log(shift);
  return (x) => tf.tidy(() => tf.mul(shift, tf.sub(tf.log(tf.maximum(tf.add(x, shift), 1e-6)), logShift)));
}

/** Apply an optional transform. */
export function applyTransform(transform: ValueTransform | undefined, x: tf.Tensor): tf.Tensor {
  return transform ? transform(x) : x;
}
