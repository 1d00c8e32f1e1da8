/**
 * MnM's model objective, as a loss to minimise: the model q is trained on the same bound as the
 * policy, so it makes transitions that look real to the classifier while leading to high return
 * (the GAN-like step of the paper's abstract), plus an optional Gaussian log-likelihood of the real
 * next observation:
 *
 *   loss = - mean_B L(s_0)  +  k_MLE mean_B ( - log q(s'_real | s, a_replay) )
 *
 * L is `mnmBound` (policy actions, H imagined steps, critic at the end); its gradient reaches the
 * model through every imagined s_{i+1}: the reward model, the classifier's log-odds and the critic.
 * Those networks and the policy are read, not trained (only the model's variables are handed to its
 * optimizer). k_MLE is our choice, not the bound's: the bound alone is an adversarial objective
 * whose early gradients come from an untrained classifier, and the likelihood term anchors the
 * model to the data (k_MLE = 0 gives the bound alone).
 */
import { tf } from '@mbrl-ts/nn';
import type { ObjectiveResult } from '../types';
import { mnmBound, type MnmBoundInputs } from './bound';

export interface MnmModelInputs extends MnmBoundInputs {
  /** a from replay for the likelihood term: [B, act] in [-1, 1]. */
  readonly action: tf.Tensor;
  /** s' from replay: [B, obs]. */
  readonly nextObservation: tf.Tensor;
  /** k_MLE >= 0, the weight of the negative log-likelihood. */
  readonly mleCoefficient: number;
}

export function mnmModelLoss(inputs: MnmModelInputs): ObjectiveResult {
  const { model, observation, action, nextObservation, mleCoefficient } = inputs;
  if (!(mleCoefficient >= 0)) {
    throw new RangeError(`mnmModelLoss: mleCoefficient must be >= 0, got ${mleCoefficient}`);
  }
  const terms = mnmBound(inputs);
  const boundMean = tf.mean(terms.bound);
  const nll = tf.neg(tf.mean(model.distribution(observation, action).logProb(nextObservation)));
  const loss = tf.add(tf.neg(boundMean), tf.mul(mleCoefficient, nll)) as tf.Scalar;
  return {
    loss,
    metrics: {
      model_loss: loss,
      model_bound: boundMean as tf.Scalar,
      model_nll: nll as tf.Scalar,
      model_reward: tf.mean(terms.reward) as tf.Scalar,
      model_classifier_reward: tf.mean(terms.classifierReward) as tf.Scalar,
      model_value: tf.mean(terms.value) as tf.Scalar,
    },
  };
}
