/**
 * SAC-SVG's dynamics loss (Amos et al. 2020, Section 4; the authors' `SeqDx.update_step`): the
 * model is unrolled from the first observation of a replayed sequence through its K actions and
 * each prediction is regressed on the observed observation, maximum likelihood under a fixed-
 * variance Gaussian, i.e. mean squared error:
 *
 *   x^_1..K = unroll(x_0, u_0..K-1),   loss = mean_{k, b, i} (x^_k - x_k)^2
 *
 * The observation fed back into each step is a stop-gradient (their detach_xt: true), so step k
 * is trained on its own error while the recurrent state still carries the sequence.
 */
import { tf } from '@mbrl-ts/nn';
import { stopGradient } from '../alm/stop-gradient';
import type { ObjectiveResult } from '../types';
import type { RecurrentDynamics } from './types';

export interface SvgDynamicsInputs {
  readonly dynamics: RecurrentDynamics;
  /** Observed (normalised) observations x_0..x_K, [K + 1, B, obs]. */
  readonly observations: tf.Tensor;
  /** Actions u_0..u_{K-1} in [-1, 1], [K, B, act]. */
  readonly actions: tf.Tensor;
}

export function svgDynamicsLoss(inputs: SvgDynamicsInputs): ObjectiveResult {
  const { dynamics, observations, actions } = inputs;
  const K = actions.shape[0];
  if (observations.shape[0] !== K + 1) {
    throw new RangeError(
      `svgDynamicsLoss: ${K} actions need ${K + 1} observations, got ${observations.shape[0]}`,
    );
  }
  const first = tf.squeeze(tf.slice(observations, [0], [1]), [0]);
  const targets = tf.slice(observations, [1], [K]);
  const predictions = dynamics.unroll(first, actions, stopGradient);
  const loss = tf.mean(tf.squaredDifference(predictions, targets)) as tf.Scalar;
  return { loss, metrics: { dynamics_loss: loss } };
}
