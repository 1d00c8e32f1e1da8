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
 * Terms (Figure 5a): `klCoefficient` k_KL weighs the KL sum (0: "no KL term"); `value` is the value
 * at the rollout's end (`minQValue`, or `noValue` for "no value term", or your own);
 * `transform` (Appendix A.8) replaces r and the value by a (log(x + a) - log a).
 */
import { DiagGaussian, tf } from '@mbrl-ts/nn';
import type { TwinQ } from '../types';
import type { ObjectiveResult } from '../types';
import { applyTransform, type ValueTransform } from './reward-transform';
import { stopGradient } from './stop-gradient';
import { minQValue, type RolloutValueTerm } from './terms';
import { timeSteps } from './time-steps';
import type { LatentDynamics, LatentEncoder, LatentPolicy, LatentReward, PolicyNoise } from './types';

export interface AlmEncoderModelTerms {
  /** Weight k_KL of the KL term. Default 1 (the lower bound's); 0 is Figure 5a's "no KL term". */
  readonly klCoefficient?: number;
  /** The value of (z_K, a_K) at the rollout's end. Default `minQValue`, min(Q1, Q2). */
  readonly value?: RolloutValueTerm;
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

/** An objective for the encoder and the model in Eq. 7's place (`almEncoderModelLoss` is the paper's). */
export type AlmEncoderModelObjective = (inputs: AlmEncoderModelInputs) => ObjectiveResult;

export function almEncoderModelLoss(inputs: AlmEncoderModelInputs): ObjectiveResult {
  const { encoder, model, reward, critic, actor, observation, actions, targetNext, noise } = inputs;
  const valueOf = inputs.terms?.value ?? minQValue;
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
  const value = applyTransform(transform, valueOf(critic, latent, finalAction)); // [B]

  const klSum = tf.div(tf.sum(kl), batch); // mean over B of the sum over steps
  const rewardSum = tf.div(tf.sum(rewards), batch);
  const valueMean = tf.mean(value);
  const loss = tf.sub(tf.add(tf.neg(rewardSum), tf.mul(klCoefficient, klSum)), valueMean);
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
