/**
 * ALM Eq. 7, the objective of the encoder and the latent-space model, as a loss to minimise:
 *
 *   z_0 ~ e(. | s_0),   z_{i+1} ~ m(. | z_i, a_i) with the replay actions a_0..a_{K-1}
 *   loss = mean_B [ sum_{i<K} ( k_KL KL( m(z_{i+1} | z_i, a_i) || e_target(z_{i+1} | s_{i+1}) )
 *                              - r(z_i, a_i) )
 *                   - min(Q1, Q2)(z_K, a_K) ],    a_K ~ pi(. | z_K) with clipped noise
 *
 * No gamma^i weights: "In our code, we do not use the gamma discounting for Equation 7" (footnote 2).
 * Samples are reparameterised, so gradients reach the encoder through z_0 and the model through
 * every z_{i+1} and every KL. The reward model and the critics are read (their gradients pass to
 * z) but this loss trains only the encoder and the model (Table 4); a_K is a constant (the
 * authors sample it without gradient). The target encoder's distributions over s_1..s_K come in
 * precomputed (`targetNext`, [K, B, latent]): they are constants here and are shared with the
 * other losses of the update.
 *
 * Ablations (Figure 5a, Fig. 11/20 for the coefficient): `klTerm: false` drops the KL sum,
 * `valueTerm: false` drops the Q term, `klCoefficient` scales the KL; `transform` (Appendix A.8)
 * replaces r and Q by a (log(x + a) - log a).
 */
import { DiagGaussian, tf } from '@mbrl-ts/nn';
import type { TwinQ } from '../types';
import type { ObjectiveResult } from '../types';
import { applyTransform, type ValueTransform } from './reward-transform';
import { stopGradient } from './stop-gradient';
import { timeSteps } from './time-steps';
import type { LatentDynamics, LatentEncoder, LatentPolicy, LatentReward, PolicyNoise } from './types';

export interface AlmEncoderModelTerms {
  /** Keep the KL consistency term (Figure 5a "no KL" when false). Default true. */
  readonly klTerm?: boolean;
  /** Keep the value term Q(z_K, pi(z_K)) (Figure 5a "no value" when false). Default true. */
  readonly valueTerm?: boolean;
  /** Weight of the KL term. Default 1 (the lower bound's). */
  readonly klCoefficient?: number;
  /** Appendix A.8 log transform of r and Q. Default none. */
  readonly transform?: ValueTransform;
}

export interface AlmEncoderModelInputs {
  readonly encoder: LatentEncoder;
  readonly model: LatentDynamics;
  readonly reward: LatentReward;
  readonly critic: TwinQ;
  readonly actor: LatentPolicy;
  /** s_t: [B, obs]. */
  readonly observation: tf.Tensor;
  /** a_t..a_{t+K-1} from replay: [K, B, act] in [-1, 1]. */
  readonly actions: tf.Tensor;
  /** e_target(. | s_{t+1..t+K}): a Gaussian over [K, B, latent]. */
  readonly targetNext: DiagGaussian;
  readonly noise: PolicyNoise;
  readonly terms?: AlmEncoderModelTerms;
}

export function almEncoderModelLoss(inputs: AlmEncoderModelInputs): ObjectiveResult {
  const { encoder, model, reward, critic, actor, observation, actions, targetNext, noise } = inputs;
  const klTerm = inputs.terms?.klTerm ?? true;
  const valueTerm = inputs.terms?.valueTerm ?? true;
  const klCoefficient = inputs.terms?.klCoefficient ?? 1;
  const transform = inputs.terms?.transform;
  const batch = observation.shape[0];

  let latent = encoder.distribution(observation).rsample(noise.rng);
  const latents: tf.Tensor[] = [];
  const priorMeans: tf.Tensor[] = [];
  const priorStds: tf.Tensor[] = [];
  for (const action of timeSteps(actions)) {
    const prior = model.distribution(latent, action);
    latents.push(latent);
    priorMeans.push(prior.mean);
    priorStds.push(prior.std);
    latent = prior.rsample(noise.rng);
  }
  // One batched KL and one batched reward pass over the K steps (same numbers as step by step).
  const prior = new DiagGaussian(tf.stack(priorMeans), tf.stack(priorStds));
  const kl = prior.klDivergence(targetNext); // [K, B]
  const rewards = applyTransform(transform, reward.forward(tf.stack(latents), actions)); // [K, B]

  const finalAction = stopGradient(actor.distribution(latent, noise.std).sample(noise.rng, noise.clip));
  const [q1, q2] = critic.forward(latent, finalAction);
  const value = applyTransform(transform, tf.minimum(q1, q2)); // [B]

  const klSum = tf.div(tf.sum(kl), batch); // mean over B of the sum over steps
  const rewardSum = tf.div(tf.sum(rewards), batch);
  const valueMean = tf.mean(value);
  let loss = tf.neg(rewardSum);
  if (klTerm) loss = tf.add(loss, tf.mul(klCoefficient, klSum));
  if (valueTerm) loss = tf.sub(loss, valueMean);
  return {
    loss: loss as tf.Scalar,
    metrics: {
      alm_loss: loss as tf.Scalar,
      kl: tf.mean(kl) as tf.Scalar,
      alm_reward: tf.mean(rewards) as tf.Scalar,
      alm_q: valueMean as tf.Scalar,
      prior_entropy: tf.mean(prior.entropy()) as tf.Scalar,
    },
  };
}
