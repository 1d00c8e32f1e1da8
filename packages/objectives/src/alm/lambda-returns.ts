/**
 * Lambda-returns over a K-step imagined rollout (ALM Appendix A.3, "lambda-weighted SVG(K)";
 * Schulman et al. 2015, Hafner et al. 2019), the recursion of the authors' code:
 *
 *   G_{K-1} = r_{K-1} + gamma V_K
 *   G_t     = r_t + gamma ( (1 - lambda) V_{t+1} + lambda G_{t+1} ),   t = K-2 .. 0
 *
 * `rewards` [K, B] are r_0..r_{K-1}; `nextValues` [K, B] are V_1..V_K (V_K bootstraps). With
 * lambda = 1 this is the K-step return; with lambda = 0 the one-step TD target at every t.
 * Returns G [K, B]. A pure function of its inputs (gradients flow through both).
 */
import { tf } from '@mbrl-ts/nn';
import { timeSteps } from './time-steps';

export function lambdaReturns(
  rewards: tf.Tensor,
  nextValues: tf.Tensor,
  gamma: number,
  lambda: number,
): tf.Tensor {
  if (rewards.shape.join(',') !== nextValues.shape.join(',') || rewards.rank < 1) {
    throw new RangeError(
      `lambdaReturns: rewards [${rewards.shape}] and nextValues [${nextValues.shape}] must have the same shape [K, ...]`,
    );
  }
  return tf.tidy(() => {
    const r = timeSteps(rewards);
    const v = timeSteps(nextValues);
    const horizon = r.length;
    const returns: tf.Tensor[] = new Array<tf.Tensor>(horizon);
    let last = v[horizon - 1];
    for (let t = horizon - 1; t >= 0; t--) {
      // r_t + gamma (1 - lambda) V_{t+1} + gamma lambda G_{t+1}, with G_K = V_K
      last = tf.add(tf.add(r[t], tf.mul(gamma * (1 - lambda), v[t])), tf.mul(gamma * lambda, last));
      returns[t] = last;
    }
    return tf.stack(returns);
  });
}

/** The discount weights gamma^t, t = 0..K-1, shaped [K, 1] to weigh G [K, B] (the authors' cumprod). */
export function discountWeights(horizon: number, gamma: number): tf.Tensor {
  return tf.tensor2d(
    Array.from({ length: horizon }, (_, t) => gamma ** t),
    [horizon, 1],
  );
}
