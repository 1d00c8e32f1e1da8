/**
 * ALM Eq. 8, the policy objective, as a loss to minimise, with the lambda-weighted average of
 * Appendix A.3 / D (the authors' `_lambda_svg_loss`):
 *
 *   from z_0 (a target-encoder sample of a replay state), for i = 0..K-1:
 *     a_i ~ pi(. | sg(z_i)) (clipped noise),   z_{i+1} ~ m(. | z_i, a_i)   (reparameterised)
 *   a_K ~ pi(. | sg(z_K))
 *   reward_i = r(z_i, a_i) + c log C/(1-C)(z_i, a_i, sg(z_{i+1}))      (c = 0.1, Table 3)
 *   V_{i+1}  = min(Q1, Q2)(z_{i+1}, sg(a_{i+1}))
 *   G = lambdaReturns(reward, V, gamma, lambda)                          (lambda = 0.95)
 *   loss = - mean_{i, B} gamma^i G_i
 *
 * sg is stop-gradient, placed where the authors detach: the policy's input latent, the classifier's
 * next latent and the critic's action. Gradients reach the policy through its actions, directly
 * (reward, classifier) and through the model's next latents (everything downstream). Only the
 * policy is trained by this loss (Table 4); model, reward, classifier and critics are read.
 *
 * Terms: `classifierReward` is the intrinsic reward (`logOddsClassifierReward`, log C/(1-C), or your
 * own) and `classifierCoefficient` its weight c (0: Figure 5a's "no classifier reward"); `transform`
 * (Appendix A.8) replaces r and Q by a (log(x + a) - log a); `entropyCoefficient` alpha > 0 is
 * ALM-ENT (Table 5): rewards gain -alpha log pi(a_i | z_i) and values -alpha log pi(a_{i+1} | z_{i+1})
 * (soft returns, as SAC-SVG's actor).
 */
import { tf } from '@mbrl-ts/nn';
import type { ObjectiveResult, TwinQ } from '../types';
import { discountWeights, lambdaReturns } from './lambda-returns';
import { applyTransform, type ValueTransform } from './reward-transform';
import { stopGradient } from './stop-gradient';
import { logOddsClassifierReward, type ClassifierRewardTerm } from './terms';
import type { LatentClassifier, LatentDynamics, LatentPolicy, LatentReward, PolicyNoise } from './types';

export interface AlmPolicyTerms {
  /** The classifier's reward in the imagined reward. Default `logOddsClassifierReward`, log C/(1-C). */
  readonly classifierReward?: ClassifierRewardTerm;
  /** c, Table 3: 0.1 (the theory's 1; Figures 11, 16, 20 vary it; 0: "no classifier reward"). */
  readonly classifierCoefficient?: number;
  /** Appendix A.8 log transform of r and Q. Default none. */
  readonly transform?: ValueTransform;
  /** ALM-ENT's alpha. Default 0 (no entropy bonus). */
  readonly entropyCoefficient?: number;
}

export interface AlmPolicyInputs {
  readonly actor: LatentPolicy;
  readonly model: LatentDynamics;
  readonly reward: LatentReward;
  readonly classifier: LatentClassifier;
  readonly critic: TwinQ;
  /** z_0: [B, latent], a constant (sampled from the target encoder). */
  readonly latent: tf.Tensor;
  /** K, the rollout length. Table 3 / the paper's ALM(3): 3. */
  readonly horizon: number;
  readonly gamma: number;
  /** Table 3: 0.95. */
  readonly lambda: number;
  readonly noise: PolicyNoise;
  readonly terms?: AlmPolicyTerms;
}

/** The imagined K-step rollout of Eq. 8: latents z_0..z_K and actions a_0..a_K, time-major. */
export interface ImaginedRollout {
  readonly latents: tf.Tensor[];
  readonly actions: tf.Tensor[];
  /** log pi(a_i | sg(z_i)), i = 0..K (for ALM-ENT). */
  readonly logProbs: tf.Tensor[];
}

export function imagineRollout(
  actor: LatentPolicy,
  model: LatentDynamics,
  start: tf.Tensor,
  horizon: number,
  noise: PolicyNoise,
  withLogProbs = false,
): ImaginedRollout {
  const latents = [start];
  const actions: tf.Tensor[] = [];
  const logProbs: tf.Tensor[] = [];
  let latent = start;
  for (let i = 0; i <= horizon; i++) {
    const policy = actor.distribution(stopGradient(latent), noise.std);
    const action = policy.sample(noise.rng, noise.clip);
    actions.push(action);
    if (withLogProbs) logProbs.push(policy.logProb(action));
    if (i === horizon) break;
    latent = model.distribution(latent, action).rsample(noise.rng);
    latents.push(latent);
  }
  return { latents, actions, logProbs };
}

/**
 * A policy objective in Eq. 8's place: `almPolicyLoss` (the paper's) or `almTd3PolicyLoss`
 * (ALM-TD3), which reads only what it needs of the inputs.
 */
export type AlmPolicyObjective = (inputs: AlmPolicyInputs) => ObjectiveResult;

export function almPolicyLoss(inputs: AlmPolicyInputs): ObjectiveResult {
  const { actor, model, reward, classifier, critic, latent, horizon, gamma, lambda, noise } = inputs;
  const classifierReward = inputs.terms?.classifierReward ?? logOddsClassifierReward;
  const c = inputs.terms?.classifierCoefficient ?? 0.1;
  const transform = inputs.terms?.transform;
  const alpha = inputs.terms?.entropyCoefficient ?? 0;

  const rollout = imagineRollout(actor, model, latent, horizon, noise, alpha > 0);
  const from = tf.stack(rollout.latents.slice(0, horizon)); // z_0..z_{K-1}  [K, B, latent]
  const to = tf.stack(rollout.latents.slice(1)); // z_1..z_K
  const taken = tf.stack(rollout.actions.slice(0, horizon)); // a_0..a_{K-1}
  const next = stopGradient(tf.stack(rollout.actions.slice(1))); // a_1..a_K, constants for Q

  const extrinsic = applyTransform(transform, reward.forward(from, taken)); // [K, B]
  const intrinsic = classifierReward(classifier, from, taken, stopGradient(to)); // [K, B]
  let imagined = tf.add(extrinsic, tf.mul(c, intrinsic));
  const [q1, q2] = critic.forward(to, next);
  let values = applyTransform(transform, tf.minimum(q1, q2)); // V_1..V_K  [K, B]
  if (alpha > 0) {
    imagined = tf.sub(imagined, tf.mul(alpha, tf.stack(rollout.logProbs.slice(0, horizon))));
    values = tf.sub(values, tf.mul(alpha, tf.stack(rollout.logProbs.slice(1))));
  }
  const returns = lambdaReturns(imagined, values, gamma, lambda);
  const loss = tf.neg(tf.mean(tf.mul(discountWeights(horizon, gamma), returns))) as tf.Scalar;
  return {
    loss,
    metrics: {
      actor_loss: loss,
      imagined_reward: tf.mean(extrinsic) as tf.Scalar,
      imagined_classifier_reward: tf.mean(intrinsic) as tf.Scalar,
      imagined_value: tf.mean(values) as tf.Scalar,
    },
  };
}

export interface AlmTd3PolicyInputs {
  readonly actor: LatentPolicy;
  readonly critic: TwinQ;
  /** z: [B, latent], a constant (target-encoder sample). */
  readonly latent: tf.Tensor;
  readonly noise: PolicyNoise;
}

/**
 * ALM-TD3 (Figure 5c, the authors' `_td_loss`): the model-free actor loss on ALM's latents,
 * loss = -mean min(Q1, Q2)(z, a), a ~ pi(. | z) with clipped noise; gradients reach the policy
 * through a only.
 */
export function almTd3PolicyLoss(inputs: AlmTd3PolicyInputs): ObjectiveResult {
  const { actor, critic, latent, noise } = inputs;
  const action = actor.distribution(latent, noise.std).sample(noise.rng, noise.clip);
  const [q1, q2] = critic.forward(latent, action);
  const loss = tf.neg(tf.mean(tf.minimum(q1, q2))) as tf.Scalar;
  return { loss, metrics: { actor_loss: loss } };
}
