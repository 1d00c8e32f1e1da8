/**
 * TD3 actor loss (Fujimoto et al. 2018, deterministic policy gradient through the first critic):
 *
 *   loss = -mean( Q1(s, pi(s)) )
 *
 * The caller differentiates with respect to the actor's variables only.
 */
import { tf } from '@mbrl-ts/nn';
import type { DeterministicPolicy, FirstQ, ObjectiveResult } from './types';

export interface Td3ActorInputs {
  readonly actor: DeterministicPolicy;
  readonly critic: FirstQ;
  readonly observation: tf.Tensor;
}

export function td3ActorLoss(inputs: Td3ActorInputs): ObjectiveResult {
  const q1 = inputs.critic.forwardQ1(inputs.observation, inputs.actor.forward(inputs.observation));
  const loss = tf.neg(tf.mean(q1)) as tf.Scalar;
  return { loss, metrics: { actor_loss: loss } };
}
