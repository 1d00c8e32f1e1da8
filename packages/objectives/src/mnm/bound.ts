/**
 * The MnM lower bound (Eysenbach et al. 2022) on a short imagined rollout, with the critic closing
 * the horizon. From a replay state s_0 (a constant), the policy acts and the learned model q
 * imagines the next observations:
 *
 *   a_i ~ pi(. | sg(s_i)),   s_{i+1} ~ q(. | s_i, a_i)   (reparameterised),   i = 0..H-1
 *   L(s_0) = sum_{i<H} gamma^i ( r(s_i, a_i) + c log C/(1-C)(s_i, a_i, s_{i+1}) ) + gamma^H min Q(s_H, a_H)
 *
 * log C/(1-C) is the classifier's estimate of log p(s'|s,a) - log q(s'|s,a), the term of MnM's
 * augmented reward that penalises transitions the real dynamics would not produce (c = 1 in the
 * bound). The critic Q is trained on the same augmented reward (`mnmCriticLoss`), so the
 * classifier term reaches every step of the infinite horizon: ALM Appendix F's "K -> infinity".
 *
 * With the observation as the latent this is ALM's K-step bound term for term (ALM Appendix F: an
 * identity encoder), and it reuses ALM's rollout (`imagineRollout`, stop-gradient on the policy's
 * input) and discount weights. Unlike ALM's policy loss, the classifier sees the model's next
 * observation *with* its gradient: the model is trained through it to look real (`mnmModelLoss`).
 */
import { tf } from '@mbrl-ts/nn';
import { discountWeights } from '../alm/lambda-returns';
import { imagineRollout } from '../alm/policy';
import type { LatentClassifier, LatentDynamics, LatentPolicy, LatentReward, PolicyNoise } from '../alm/types';
import type { TwinQ } from '../types';

export interface MnmBoundInputs {
  readonly actor: LatentPolicy;
  /** q(s' | s, a), the learned dynamics in observation space. */
  readonly model: LatentDynamics;
  readonly reward: LatentReward;
  readonly classifier: LatentClassifier;
  readonly critic: TwinQ;
  /** s_0: [B, obs], a constant (replay states). */
  readonly observation: tf.Tensor;
  /** H, the imagined steps before the critic takes over (>= 1). */
  readonly horizon: number;
  readonly gamma: number;
  /** c, the weight of log C/(1-C): 1 in MnM's bound. */
  readonly classifierCoefficient: number;
  readonly noise: PolicyNoise;
}

/** The bound per row and the pieces it sums. */
export interface MnmBoundTerms {
  /** L(s_0): [B]. */
  readonly bound: tf.Tensor;
  /** r(s_i, a_i): [H, B]. */
  readonly reward: tf.Tensor;
  /** log C/(1-C)(s_i, a_i, s_{i+1}): [H, B]. */
  readonly classifierReward: tf.Tensor;
  /** min Q(s_H, a_H): [B]. */
  readonly value: tf.Tensor;
}

export function mnmBound(inputs: MnmBoundInputs): MnmBoundTerms {
  const { actor, model, reward, classifier, critic, observation, horizon, gamma, noise } = inputs;
  if (!Number.isInteger(horizon) || horizon < 1) {
    throw new RangeError(`mnmBound: horizon must be an integer >= 1, got ${horizon}`);
  }
  const rollout = imagineRollout(actor, model, observation, horizon, noise);
  const from = tf.stack(rollout.latents.slice(0, horizon)); // s_0..s_{H-1}  [H, B, obs]
  const to = tf.stack(rollout.latents.slice(1)); // s_1..s_H
  const taken = tf.stack(rollout.actions.slice(0, horizon)); // a_0..a_{H-1}
  const rewards = reward.forward(from, taken); // [H, B]
  const classifierReward = classifier.reward(from, taken, to); // [H, B], gradient reaches s_{i+1}
  const augmented = tf.add(rewards, tf.mul(inputs.classifierCoefficient, classifierReward));
  const [q1, q2] = critic.forward(rollout.latents[horizon], rollout.actions[horizon]);
  const value = tf.minimum(q1, q2);
  const discounted = tf.sum(tf.mul(discountWeights(horizon, gamma), augmented), 0); // [B]
  const bound = tf.add(discounted, tf.mul(gamma ** horizon, value));
  return { bound, reward: rewards, classifierReward, value };
}
