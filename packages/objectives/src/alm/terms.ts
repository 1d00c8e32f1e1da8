/**
 * The pieces of ALM's objectives that an ablation or a variant swaps, as values with the paper's
 * as defaults. Each is a plain function: pass another with the same signature to change that one
 * term and nothing else.
 *
 *   ClassifierRewardTerm  Eq. 8's intrinsic reward, log C/(1-C)(z, a, z') (scaled by c in Eq. 8)
 *   RolloutValueTerm      the value at a rollout's end: Eq. 7's last term, the lower bound's bootstrap
 *   AlmCriticTargetTerm   Eq. 10's TD target y
 *   AlmEncoderModelObjective / AlmPolicyObjective   the whole of Eq. 7 / Eq. 8 (or ALM-TD3)
 */
import { tf } from '@mbrl-ts/nn';
import type { TwinQ } from '../types';
import type { LatentClassifier } from './types';

/** Eq. 8's classifier reward for (z_i, a_i, z_{i+1}): any leading axes, one value per row. */
export type ClassifierRewardTerm = (
  classifier: LatentClassifier,
  latent: tf.Tensor,
  action: tf.Tensor,
  nextLatent: tf.Tensor,
) => tf.Tensor;

/** The paper's: log C/(1-C), the classifier's log-odds that (z, a, z') is real (Eq. 8). */
export const logOddsClassifierReward: ClassifierRewardTerm = (classifier, latent, action, nextLatent) =>
  classifier.reward(latent, action, nextLatent);

/** The value of (z_K, a_K) at the end of a rollout: [B] for latents [B, latent]. */
export type RolloutValueTerm = (critic: TwinQ, latent: tf.Tensor, action: tf.Tensor) => tf.Tensor;

/** The paper's: min(Q1, Q2)(z_K, a_K). */
export const minQValue: RolloutValueTerm = (critic, latent, action) => {
  const [q1, q2] = critic.forward(latent, action);
  return tf.minimum(q1, q2);
};

/** Figure 5a "no value term": the rollout ends without a value (zero, no gradient). */
export const noValue: RolloutValueTerm = (_critic, latent) => tf.zeros(latent.shape.slice(0, -1));
