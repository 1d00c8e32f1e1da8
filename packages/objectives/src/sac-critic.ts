/**
 * SAC critic loss (Haarnoja et al. 2018, "SAC algorithms and applications", Eq. 5-6 with the
 * clipped double-Q trick of Section 5):
 *
 *   a' ~ pi(.|s'),  y = r + gamma (1 - terminated) [ min(Q1targ(s', a'), Q2targ(s', a')) - alpha log pi(a'|s') ]
 *   loss = mean((Q1(s, a) - y)^2) + mean((Q2(s, a) - y)^2)
 *
 * The target is a constant for this loss: the caller differentiates with respect to the online
 * critics' variables only, so neither the target critics nor the actor receive gradient.
 * The paper writes 1/2 (Q - y)^2 per critic; the sum of plain mean squared errors used here (as in
 * the TD3 authors' code) only rescales the gradient, which Adam is invariant to.
 */
import { tf, type Rng } from '@mbrl-ts/nn';
import { bellmanTarget, twinSquaredError } from './bellman';
import type { ObjectiveResult, StochasticPolicy, TransitionTensors, TwinQ } from './types';

export interface SacCriticInputs {
  readonly critic: TwinQ;
  readonly targetCritic: TwinQ;
  readonly actor: StochasticPolicy;
  readonly batch: TransitionTensors;
  /** Entropy temperature alpha (a constant here). */
  readonly alpha: number;
  /** Discount. */
  readonly gamma: number;
  /** Draws the next-action noise. */
  readonly rng: Rng;
}

/** The soft Bellman target y of the SAC critic loss, shape [B]. */
export function sacSoftTarget(inputs: Omit<SacCriticInputs, 'critic'>): tf.Tensor {
  const { targetCritic, actor, batch, alpha, gamma, rng } = inputs;
  return tf.tidy(() => {
    const next = actor.sample(batch.nextObservation, rng);
    const [q1, q2] = targetCritic.forward(batch.nextObservation, next.action);
    const softValue = tf.sub(tf.minimum(q1, q2), tf.mul(alpha, next.logProb));
    return bellmanTarget(batch.reward, batch.terminated, softValue, gamma);
  });
}

export function sacCriticLoss(inputs: SacCriticInputs): ObjectiveResult {
  const target = sacSoftTarget(inputs);
  const [q1, q2] = inputs.critic.forward(inputs.batch.observation, inputs.batch.action);
  const loss = twinSquaredError(q1, q2, target);
  return {
    loss,
    metrics: {
      critic_loss: loss,
      q1_mean: tf.mean(q1) as tf.Scalar,
      q2_mean: tf.mean(q2) as tf.Scalar,
      target_mean: tf.mean(target) as tf.Scalar,
    },
  };
}
