/**
 * ALM Eq. 11, the reward model's squared error on real transitions only (Appendix C):
 *
 *   loss = mean_B ( r(z_t, a_t) - r_t )^2,   z_t a target-encoder sample
 *
 * Trains the reward model only (Table 4).
 */
import { tf } from '@mbrl-ts/nn';
import type { ObjectiveResult } from '../types';
import type { LatentReward } from './types';

export interface AlmRewardInputs {
  readonly reward: LatentReward;
  readonly latent: tf.Tensor;
  readonly action: tf.Tensor;
  /** r_t: [B]. */
  readonly target: tf.Tensor;
}

export function almRewardLoss(inputs: AlmRewardInputs): ObjectiveResult {
  const loss = tf.mean(
    tf.squaredDifference(inputs.reward.forward(inputs.latent, inputs.action), inputs.target),
  ) as tf.Scalar;
  return { loss, metrics: { reward_loss: loss } };
}
