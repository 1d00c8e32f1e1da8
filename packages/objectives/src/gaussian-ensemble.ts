/**
 * The maximum-likelihood loss of MBPO's probabilistic dynamics ensemble (Janner et al. 2019,
 * Sec. 4.1 and Appendix C; Chua et al. 2018, PETS, Eq. 1 and Appendix A.1), each member on its own
 * (bootstrapped) rows of normalised inputs x [N, B, in] and targets y [N, B, D] = [r, s' - s]:
 *
 *   member n:  mean_{b,d} [ (mu - y)^2 exp(-logVar) ] + mean_{b,d} logVar     (Gaussian NLL, no constant)
 *   loss = sum_n member n
 *        + boundCoefficient * (sum maxLogVar - sum minLogVar)     (pulls the learned bounds together)
 *        + sum_l weightDecay_l * |W_l|^2 / 2                       (per layer)
 *
 * The MBPO authors' values: boundCoefficient 0.01, weight decays 2.5e-5, 5e-5, 7.5e-5, 7.5e-5, 1e-4
 * for the four hidden layers and the output layer. The held-out error that picks the elites is the
 * plain mean squared error of the means, member by member (`ensembleHeldOutError`).
 */
import { tf } from '@mbrl-ts/nn';
import type { ObjectiveResult } from './types';

/** A probabilistic ensemble as these losses use it (structural: the models' ProbabilisticEnsemble fits). */
export interface GaussianEnsemble {
  predict(input: tf.Tensor): { mean: tf.Tensor; logVar: tf.Tensor };
  readonly maxLogVar: tf.Tensor;
  readonly minLogVar: tf.Tensor;
  weights(): readonly tf.Tensor[];
}

export interface GaussianEnsembleInputs {
  readonly model: GaussianEnsemble;
  /** Normalised [s, a] per member: [N, B, in]. */
  readonly input: tf.Tensor;
  /** [r, s' - s] per member: [N, B, D]. */
  readonly target: tf.Tensor;
  /** MBPO: 0.01. */
  readonly boundCoefficient: number;
  /** One per layer, input layer first (MBPO: 2.5e-5, 5e-5, 7.5e-5, 7.5e-5, 1e-4); [] for none. */
  readonly weightDecays: readonly number[];
}

export function gaussianEnsembleLoss(inputs: GaussianEnsembleInputs): ObjectiveResult {
  const { model, input, target, boundCoefficient, weightDecays } = inputs;
  const weights = model.weights();
  if (weightDecays.length !== 0 && weightDecays.length !== weights.length) {
    throw new RangeError(
      `gaussianEnsembleLoss: ${weightDecays.length} weight decays for ${weights.length} layers (give one per layer, or none)`,
    );
  }
  const { mean, logVar } = model.predict(input);
  const squared = tf.squaredDifference(mean, target);
  const fit = tf.mean(tf.mul(squared, tf.exp(tf.neg(logVar))), [1, 2]); // [N]
  const spread = tf.mean(logVar, [1, 2]); // [N]
  const nll = tf.sum(tf.add(fit, spread)) as tf.Scalar;
  const bounds = tf.mul(boundCoefficient, tf.sub(tf.sum(model.maxLogVar), tf.sum(model.minLogVar)));
  let loss = tf.add(nll, bounds) as tf.Scalar;
  weightDecays.forEach((decay, l) => {
    if (decay !== 0) loss = tf.add(loss, tf.mul(decay / 2, tf.sum(tf.square(weights[l])))) as tf.Scalar;
  });
  return {
    loss,
    metrics: {
      model_loss: loss,
      model_nll: nll,
      model_mse: tf.mean(squared) as tf.Scalar,
      model_log_var_mean: tf.mean(logVar) as tf.Scalar,
    },
  };
}

/** Each member's mean squared error of its means on held-out rows: [N]. */
export function ensembleHeldOutError(
  model: GaussianEnsemble,
  input: tf.Tensor,
  target: tf.Tensor,
): tf.Tensor1D {
  return tf.tidy(
    () => tf.mean(tf.squaredDifference(model.predict(input).mean, target), [1, 2]) as tf.Tensor1D,
  );
}

/**
 * The `count` members with the smallest held-out error, best first (ties by index): MBPO's elites
 * (5 of 7), the members its rollouts draw from.
 */
export function chooseElites(heldOutErrors: ArrayLike<number>, count: number): number[] {
  const n = heldOutErrors.length;
  if (!Number.isInteger(count) || count < 1 || count > n) {
    throw new RangeError(`chooseElites: count must be an integer in [1, ${n}], got ${count}`);
  }
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(heldOutErrors[i])) throw new RangeError(`chooseElites: member ${i}'s error is NaN`);
  }
  return Array.from({ length: n }, (_, i) => i)
    .sort((a, b) => heldOutErrors[a] - heldOutErrors[b] || a - b)
    .slice(0, count);
}
