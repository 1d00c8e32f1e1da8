/**
 * Critic and actor losses of an ensemble of N Q-functions (Chen et al. 2021, "Randomized Ensembled
 * Double Q-Learning: Learning Fast Without a Model", Algorithm 1, and its SAC-AVG baseline):
 *
 *   a' ~ pi(.|s')
 *   REDQ     y = r + gamma (1 - terminated) [ min_{i in M} Qtarg_i(s', a') - alpha log pi(a'|s') ]
 *   SAC-AVG  y = r + gamma (1 - terminated) [ mean_{i in M} Qtarg_i(s', a') - alpha log pi(a'|s') ]
 *   critic loss = sum_i mean((Q_i(s, a) - y)^2)      (every member regresses on the same y)
 *   actor loss  = mean( alpha log pi(a|s) - mean_i Q_i(s, a) ),  a ~ pi(.|s)   (all N members)
 *
 * `targetMembers` is the set M: for REDQ a random subset of M distinct members that the agent draws
 * for each update from its seeded Rng; for SAC-AVG all N. Only those members' target weights are
 * multiplied. The target is a constant for the critic loss (the caller differentiates with respect
 * to the online ensemble only); the actor loss passes gradient through the critics to the action
 * but trains the actor only. The sum of the members' mean squared errors is REDQ's loss with each
 * member's 1/2 dropped, which Adam is invariant to.
 */
import { tf, type Rng } from '@mbrl-ts/nn';
import { bellmanTarget } from './bellman';
import type { ObjectiveResult, StochasticPolicy, TransitionTensors } from './types';

/** N Q-functions evaluated at once: [members.length or N, B]. */
export interface EnsembleQ {
  readonly ensembleSize: number;
  forward(observation: tf.Tensor, action: tf.Tensor, members?: readonly number[]): tf.Tensor;
}

export interface EnsembleCriticInputs {
  readonly critic: EnsembleQ;
  readonly targetCritic: EnsembleQ;
  readonly actor: StochasticPolicy;
  readonly batch: TransitionTensors;
  /** The members the target reduces over (REDQ: M drawn per update; SAC-AVG: all N). */
  readonly targetMembers: readonly number[];
  readonly alpha: number;
  readonly gamma: number;
  /** Draws the next-action noise. */
  readonly rng: Rng;
}

export interface EnsembleActorInputs {
  readonly actor: StochasticPolicy;
  readonly critic: EnsembleQ;
  readonly observation: tf.Tensor;
  readonly alpha: number;
  readonly rng: Rng;
}

/** How the target members' values [K, B] become one next value [B]. */
export type EnsembleReduction = 'min' | 'mean';

/** The soft Bellman target y [B] over `targetMembers`, reduced by `reduction`. */
export function ensembleSoftTarget(
  inputs: Omit<EnsembleCriticInputs, 'critic'>,
  reduction: EnsembleReduction,
): tf.Tensor {
  const { targetCritic, actor, batch, targetMembers, alpha, gamma, rng } = inputs;
  if (targetMembers.length === 0) throw new RangeError('ensembleSoftTarget: targetMembers is empty');
  return tf.tidy(() => {
    const next = actor.sample(batch.nextObservation, rng);
    const q = targetCritic.forward(batch.nextObservation, next.action, targetMembers);
    const value = reduction === 'min' ? tf.min(q, 0) : tf.mean(q, 0);
    const softValue = tf.sub(value, tf.mul(alpha, next.logProb));
    return bellmanTarget(batch.reward, batch.terminated, softValue, gamma);
  });
}

/** REDQ's target: the minimum over the drawn subset. */
export const redqTarget = (inputs: Omit<EnsembleCriticInputs, 'critic'>): tf.Tensor =>
  ensembleSoftTarget(inputs, 'min');

/** SAC-AVG's target: the mean over the members given (all N). */
export const sacAvgTarget = (inputs: Omit<EnsembleCriticInputs, 'critic'>): tf.Tensor =>
  ensembleSoftTarget(inputs, 'mean');

function ensembleCriticLoss(inputs: EnsembleCriticInputs, target: tf.Tensor): ObjectiveResult {
  const q = inputs.critic.forward(inputs.batch.observation, inputs.batch.action); // [N, B]
  const perMember = tf.mean(tf.squaredDifference(q, tf.expandDims(target, 0)), 1);
  const loss = tf.sum(perMember) as tf.Scalar;
  const qMean = tf.mean(q, 1);
  return {
    loss,
    metrics: {
      critic_loss: loss,
      q_mean: tf.mean(qMean) as tf.Scalar,
      // spread of the members' mean values: how far apart the ensemble is on this batch
      q_member_std: tf.sqrt(tf.moments(qMean).variance) as tf.Scalar,
      target_mean: tf.mean(target) as tf.Scalar,
    },
  };
}

/** REDQ's critic loss (Algorithm 1, lines 6-8): all N members on the min-over-subset target. */
export function redqCriticLoss(inputs: EnsembleCriticInputs): ObjectiveResult {
  return ensembleCriticLoss(inputs, redqTarget(inputs));
}

/** SAC-AVG's critic loss: all N members on the average target. */
export function sacAvgCriticLoss(inputs: EnsembleCriticInputs): ObjectiveResult {
  return ensembleCriticLoss(inputs, sacAvgTarget(inputs));
}

/** The actor's loss against the ensemble average (REDQ Algorithm 1, line 10; SAC-AVG the same). */
export function ensembleActorLoss(inputs: EnsembleActorInputs): ObjectiveResult {
  const { actor, critic, observation, alpha, rng } = inputs;
  const { action, logProb } = actor.sample(observation, rng);
  const q = tf.mean(critic.forward(observation, action), 0);
  const loss = tf.mean(tf.sub(tf.mul(alpha, logProb), q)) as tf.Scalar;
  const logProbMean = tf.mean(logProb) as tf.Scalar;
  return {
    loss,
    metrics: { actor_loss: loss, log_prob_mean: logProbMean, entropy: tf.neg(logProbMean) as tf.Scalar },
  };
}
