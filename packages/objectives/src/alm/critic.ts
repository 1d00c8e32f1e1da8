/**
 * ALM Eq. 10, the critics' TD loss on real transitions only (Appendix C; the authors'
 * `update_critic`):
 *
 *   a' ~ pi(. | z') with clipped noise
 *   y = r + gamma (1 - terminated) min(Q1_target, Q2_target)(z', a')
 *   loss = ( mean (Q1(z, a) - y)^2 + mean (Q2(z, a) - y)^2 ) / 2
 *
 * z and z' are target-encoder samples (Appendix D); y is a constant. Trains the online critics
 * only (Table 4): the encoder gets no signal from the critic (Appendix C).
 */
import { tf } from '@mbrl-ts/nn';
import { bellmanTarget } from '../bellman';
import type { ObjectiveResult, TwinQ } from '../types';
import type { LatentPolicy, PolicyNoise } from './types';

export interface AlmCriticInputs {
  readonly critic: TwinQ;
  readonly targetCritic: TwinQ;
  readonly actor: LatentPolicy;
  /** z_t [B, latent], a_t [B, act], r_t [B], z_{t+1} [B, latent], terminated [B]. */
  readonly latent: tf.Tensor;
  readonly action: tf.Tensor;
  readonly reward: tf.Tensor;
  readonly nextLatent: tf.Tensor;
  readonly terminated: tf.Tensor;
  readonly gamma: number;
  readonly noise: PolicyNoise;
  /** The TD target y. Default `almCriticTarget`, Eq. 10's. */
  readonly target?: AlmCriticTargetTerm;
}

/** A TD target y [B] in Eq. 10's place, from what the target needs (no online critic, no z, a). */
export type AlmCriticTargetTerm = (
  inputs: Omit<AlmCriticInputs, 'critic' | 'latent' | 'action' | 'target'>,
) => tf.Tensor;

/** The TD target y [B] of Eq. 10. */
export const almCriticTarget: AlmCriticTargetTerm = (inputs) => {
  const { targetCritic, actor, reward, nextLatent, terminated, gamma, noise } = inputs;
  return tf.tidy(() => {
    const nextAction = actor.distribution(nextLatent, noise.std).sample(noise.rng, noise.clip);
    const [q1, q2] = targetCritic.forward(nextLatent, nextAction);
    return bellmanTarget(reward, terminated, tf.minimum(q1, q2), gamma);
  });
};

export function almCriticLoss(inputs: AlmCriticInputs): ObjectiveResult {
  const target = (inputs.target ?? almCriticTarget)(inputs);
  const [q1, q2] = inputs.critic.forward(inputs.latent, inputs.action);
  const loss = tf.div(
    tf.add(tf.mean(tf.squaredDifference(q1, target)), tf.mean(tf.squaredDifference(q2, target))),
    2,
  ) as tf.Scalar;
  return {
    loss,
    metrics: {
      critic_loss: loss,
      q1_mean: tf.mean(q1) as tf.Scalar,
      target_mean: tf.mean(target) as tf.Scalar,
    },
  };
}
