/**
 * SAC actor loss (Haarnoja et al. 2018, "SAC algorithms and applications", Eq. 7 with the
 * reparameterisation a = tanh(mean + std * eps)):
 *
 *   loss = mean( alpha log pi(a|s) - min(Q1(s, a), Q2(s, a)) ),  a ~ pi(.|s)
 *
 * The caller differentiates with respect to the actor's variables only; the critics pass gradient
 * to the action but are not changed. The batch's mean log pi is returned as `log_prob_mean` for
 * the temperature loss (so the actor is sampled once per update).
 */
import { tf, type Rng } from '@mbrl-ts/nn';
import type { ObjectiveResult, StochasticPolicy, TwinQ } from './types';

export interface SacActorInputs {
  readonly actor: StochasticPolicy;
  readonly critic: TwinQ;
  readonly observation: tf.Tensor;
  readonly alpha: number;
  readonly rng: Rng;
}

export function sacActorLoss(inputs: SacActorInputs): ObjectiveResult {
  const { actor, critic, observation, alpha, rng } = inputs;
  const { action, logProb } = actor.sample(observation, rng);
  const [q1, q2] = critic.forward(observation, action);
  const loss = tf.mean(tf.sub(tf.mul(alpha, logProb), tf.minimum(q1, q2))) as tf.Scalar;
  const logProbMean = tf.mean(logProb) as tf.Scalar;
  return {
    loss,
    metrics: { actor_loss: loss, log_prob_mean: logProbMean, entropy: tf.neg(logProbMean) as tf.Scalar },
  };
}
