/**
 * The one-step Bellman target shared by SAC and TD3:
 *
 *   y = r + gamma * (1 - terminated) * nextValue
 *
 * Only `terminated` (the task ended the episode) stops bootstrapping. An episode cut by a time
 * limit (`truncated`) still bootstraps from its next state: that state has a value, the episode
 * was only stopped from outside (Pardo et al. 2018; Gymnasium's terminated/truncated split).
 */
import { tf } from '@mbrl-ts/nn';

export function bellmanTarget(
  reward: tf.Tensor,
  terminated: tf.Tensor,
  nextValue: tf.Tensor,
  gamma: number,
): tf.Tensor {
  return tf.tidy(() => tf.add(reward, tf.mul(tf.mul(tf.sub(1, terminated), gamma), nextValue)));
}

/** mean((q1 - y)^2) + mean((q2 - y)^2): both critics regress on the same target. */
export function twinSquaredError(q1: tf.Tensor, q2: tf.Tensor, target: tf.Tensor): tf.Scalar {
  return tf.tidy(() =>
    tf.add(tf.mean(tf.squaredDifference(q1, target)), tf.mean(tf.squaredDifference(q2, target))),
  ) as tf.Scalar;
}
