/**
 * A time-major tensor [K, ...] as K tensors [...]. tf.unstack's gradient fails for K = 1 (its
 * Unpack gradient receives one tensor instead of a list), so a single step is a reshape.
 */
import { tf } from '@mbrl-ts/nn';

export function timeSteps(x: tf.Tensor): tf.Tensor[] {
  return x.shape[0] === 1 ? [tf.reshape(x, x.shape.slice(1))] : tf.unstack(x);
}
