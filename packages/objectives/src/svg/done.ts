/**
 * SAC-SVG's termination-model loss (the authors' `update_done_step`): binary cross-entropy of the
 * done logit d(x, u) against `terminated`, with the positive class weighted by
 * (B - n_done) / n_done so the rare terminal transitions count as much as the rest (weight 1 when
 * the batch has none). Time-limit truncations are not terminal.
 *
 *   loss = mean( -w y log sigmoid(d) - (1 - y) log(1 - sigmoid(d)) )
 *
 * written with log sigmoid(d) = -softplus(-d) and log(1 - sigmoid(d)) = -softplus(d) so it stays
 * finite for large logits.
 */
import { tf } from '@mbrl-ts/nn';
import type { ObjectiveResult } from '../types';
import type { StateActionFunction } from './types';

export interface SvgDoneInputs {
  readonly done: StateActionFunction;
  readonly observation: tf.Tensor; // [B, obs]
  readonly action: tf.Tensor; // [B, act]
  /** 1 where the transition terminated, [B]. */
  readonly terminated: tf.Tensor;
}

/** The positive-class weight (B - n) / n, or 1 when no transition of the batch terminated. */
export function donePositiveWeight(terminated: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const n = tf.sum(terminated);
    const total = terminated.size;
    return tf.where(tf.greater(n, 0), tf.div(tf.sub(total, n), tf.maximum(n, 1)), tf.scalar(1)) as tf.Scalar;
  });
}

export function svgDoneLoss(inputs: SvgDoneInputs): ObjectiveResult {
  const logits = inputs.done.forward(inputs.observation, inputs.action);
  const y = inputs.terminated;
  const weight = donePositiveWeight(y);
  const positive = tf.mul(tf.mul(weight, y), tf.softplus(tf.neg(logits)));
  const negative = tf.mul(tf.sub(1, y), tf.softplus(logits));
  const loss = tf.mean(tf.add(positive, negative)) as tf.Scalar;
  return { loss, metrics: { done_loss: loss } };
}
