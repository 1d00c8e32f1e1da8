/**
 * What every objective returns and the structural shapes of what it consumes, so any network with
 * the right methods (the @mbrl-ts/models classes, or a tiny hand-built one in a test) fits.
 */
import type { Rng, tf } from '@mbrl-ts/nn';

/** A scalar diagnostic: a plain number, or a scalar tensor to read after the update. */
export type Metric = number | tf.Scalar;

export interface ObjectiveResult {
  /** The scalar to minimise. */
  readonly loss: tf.Scalar;
  /** Named diagnostics (e.g. { critic_loss, q1_mean }). */
  readonly metrics: Readonly<Record<string, Metric>>;
}

/** A batch of transitions as tensors. Actions are in the networks' [-1, 1] space. */
export interface TransitionTensors {
  readonly observation: tf.Tensor; // [B, obs]
  readonly action: tf.Tensor; // [B, act]
  readonly reward: tf.Tensor; // [B]
  readonly nextObservation: tf.Tensor; // [B, obs]
  /** 1 where the episode terminated (no bootstrap); time-limit truncation is 0 here. */
  readonly terminated: tf.Tensor; // [B]
}

/** Twin critics: Q1(s, a) and Q2(s, a), each of shape [B]. */
export interface TwinQ {
  forward(observation: tf.Tensor, action: tf.Tensor): [tf.Tensor, tf.Tensor];
}

/** TD3's actor loss needs the first critic alone. */
export interface FirstQ {
  forwardQ1(observation: tf.Tensor, action: tf.Tensor): tf.Tensor;
}

/** A reparameterised stochastic policy (SAC): action [B, A] and log pi(a|s) [B]. */
export interface StochasticPolicy {
  sample(observation: tf.Tensor, rng: Rng): { action: tf.Tensor; logProb: tf.Tensor };
}

/** A deterministic policy (TD3): action [B, A] in [-1, 1]. */
export interface DeterministicPolicy {
  forward(observation: tf.Tensor): tf.Tensor;
}
