/**
 * SAC temperature loss (Haarnoja et al. 2018, "SAC algorithms and applications", Eq. 18), learned
 * in log space as the authors' code does so alpha = exp(log alpha) stays positive:
 *
 *   loss = -log_alpha * ( mean log pi(a|s) + targetEntropy ),   targetEntropy = -|A| (Section 5)
 *
 * mean log pi is a constant here (a number or a scalar the caller computed); only log alpha moves.
 * When the policy's entropy -mean log pi is below the target, alpha grows, and vice versa.
 */
import { tf } from '@mbrl-ts/nn';
import type { Metric, ObjectiveResult } from './types';

export interface SacTemperatureInputs {
  readonly logAlpha: tf.Variable;
  /** Batch mean of log pi(a|s) for fresh policy samples. */
  readonly logProbMean: Metric;
  readonly targetEntropy: number;
}

/** SAC v2's heuristic target entropy: minus the action dimension. */
export function defaultTargetEntropy(actionSize: number): number {
  return -actionSize;
}

export function sacTemperatureLoss(inputs: SacTemperatureInputs): ObjectiveResult {
  const { logAlpha, logProbMean, targetEntropy } = inputs;
  const loss = tf.neg(tf.mul(logAlpha, tf.add(logProbMean, targetEntropy))) as tf.Scalar;
  return { loss, metrics: { temperature_loss: loss, alpha: tf.exp(logAlpha) as tf.Scalar } };
}
