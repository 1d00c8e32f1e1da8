/**
 * SAC-SVG's reward-model loss (the authors' `update_rew_step`): regression of the learned reward
 * on replayed one-step rewards, mean((r(x, u) - r)^2).
 */
import { tf } from '@mbrl-ts/nn';
import type { ObjectiveResult } from '../types';
import type { StateActionFunction } from './types';

export interface SvgRewardInputs {
  readonly reward: StateActionFunction;
  readonly observation: tf.Tensor; // [B, obs]
  readonly action: tf.Tensor; // [B, act]
  readonly target: tf.Tensor; // [B]
}

export function svgRewardLoss(inputs: SvgRewardInputs): ObjectiveResult {
  const predicted = inputs.reward.forward(inputs.observation, inputs.action);
  const loss = tf.mean(tf.squaredDifference(predicted, inputs.target)) as tf.Scalar;
  return { loss, metrics: { reward_loss: loss } };
}
