/**
 * TD3 critic loss (Fujimoto et al. 2018, Algorithm 1) with target policy smoothing:
 *
 *   a' = clip( pi_targ(s') + clip(eps, -c, c), -1, 1 ),   eps ~ N(0, sigma^2),  sigma 0.2, c 0.5
 *   y  = r + gamma (1 - terminated) min(Q1targ(s', a'), Q2targ(s', a'))
 *   loss = mean((Q1(s, a) - y)^2) + mean((Q2(s, a) - y)^2)
 *
 * Actions are in [-1, 1] (the paper's noise numbers are in units of the maximum action). Only the
 * online critics' variables are differentiated by the caller; the targets are constants.
 */
import { tf, type Rng, standardNormal } from '@mbrl-ts/nn';
import { bellmanTarget, twinSquaredError } from './bellman';
import type { DeterministicPolicy, ObjectiveResult, TransitionTensors, TwinQ } from './types';

export interface Td3CriticInputs {
  readonly critic: TwinQ;
  readonly targetCritic: TwinQ;
  readonly targetActor: DeterministicPolicy;
  readonly batch: TransitionTensors;
  readonly gamma: number;
  /** Std of the target-smoothing noise, sigma. TD3 paper: 0.2. */
  readonly policyNoise: number;
  /** Noise clip c. TD3 paper: 0.5. */
  readonly noiseClip: number;
  readonly rng: Rng;
}

/** The smoothed target action clip(pi_targ(s') + clip(sigma eps, -c, c), -1, 1): [B, A]. */
export function smoothedTargetAction(
  targetActor: DeterministicPolicy,
  nextObservation: tf.Tensor,
  policyNoise: number,
  noiseClip: number,
  rng: Rng,
): tf.Tensor {
  return tf.tidy(() => {
    const action = targetActor.forward(nextObservation);
    const noise = tf.clipByValue(
      tf.mul(standardNormal(action.shape, rng), policyNoise),
      -noiseClip,
      noiseClip,
    );
    return tf.clipByValue(tf.add(action, noise), -1, 1);
  });
}

/** The TD3 target y, shape [B]. */
export function td3Target(inputs: Omit<Td3CriticInputs, 'critic'>): tf.Tensor {
  const { targetCritic, targetActor, batch, gamma, policyNoise, noiseClip, rng } = inputs;
  return tf.tidy(() => {
    const nextAction = smoothedTargetAction(targetActor, batch.nextObservation, policyNoise, noiseClip, rng);
    const [q1, q2] = targetCritic.forward(batch.nextObservation, nextAction);
    return bellmanTarget(batch.reward, batch.terminated, tf.minimum(q1, q2), gamma);
  });
}

export function td3CriticLoss(inputs: Td3CriticInputs): ObjectiveResult {
  const target = td3Target(inputs);
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
