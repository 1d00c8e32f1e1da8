/**
 * MnM's critic: TD learning on the augmented reward of the bound, on model transitions from replay
 * states (the bound's expectation is under the model q, not the real dynamics):
 *
 *   s, a, r, terminated from replay;   s'^ ~ q(. | s, a) (a constant here)
 *   r~ = r + c log C/(1-C)(s, a, s'^)                                   (MnM's augmented reward)
 *   y  = r~ + gamma (1 - terminated) min Q_target(s'^, a'),  a' ~ pi(. | s'^) with clipped noise
 *   loss = ( mean (Q1(s, a) - y)^2 + mean (Q2(s, a) - y)^2 ) / 2
 *
 * The TD loss is ALM's Eq. 10 (`almCriticLoss`) with the observation as the latent; only the
 * reward and the next state change. r is the real reward of (s, a) (the replay action), and
 * `terminated` the real flag: the model does not predict termination.
 */
import { tf } from '@mbrl-ts/nn';
import { almCriticLoss } from '../alm/critic';
import type { LatentClassifier, LatentPolicy, PolicyNoise } from '../alm/types';
import type { ObjectiveResult, TwinQ } from '../types';

/** r + c log C/(1-C)(s, a, s'): [B]. */
export function mnmAugmentedReward(
  classifier: LatentClassifier,
  observation: tf.Tensor,
  action: tf.Tensor,
  nextObservation: tf.Tensor,
  reward: tf.Tensor,
  classifierCoefficient: number,
): tf.Tensor {
  return tf.tidy(() =>
    tf.add(reward, tf.mul(classifierCoefficient, classifier.reward(observation, action, nextObservation))),
  );
}

export interface MnmCriticInputs {
  readonly critic: TwinQ;
  readonly targetCritic: TwinQ;
  readonly actor: LatentPolicy;
  readonly classifier: LatentClassifier;
  /** s [B, obs], a [B, act], r [B], terminated [B] from replay. */
  readonly observation: tf.Tensor;
  readonly action: tf.Tensor;
  readonly reward: tf.Tensor;
  readonly terminated: tf.Tensor;
  /** s'^ ~ q(. | s, a): [B, obs]. */
  readonly imaginedNext: tf.Tensor;
  readonly gamma: number;
  readonly classifierCoefficient: number;
  readonly noise: PolicyNoise;
}

export function mnmCriticLoss(inputs: MnmCriticInputs): ObjectiveResult {
  const { classifier, observation, action, imaginedNext, classifierCoefficient } = inputs;
  const augmented = mnmAugmentedReward(
    classifier,
    observation,
    action,
    imaginedNext,
    inputs.reward,
    classifierCoefficient,
  );
  const td = almCriticLoss({
    critic: inputs.critic,
    targetCritic: inputs.targetCritic,
    actor: inputs.actor,
    latent: observation,
    action,
    reward: augmented,
    nextLatent: imaginedNext,
    terminated: inputs.terminated,
    gamma: inputs.gamma,
    noise: inputs.noise,
  });
  return {
    loss: td.loss,
    metrics: { ...td.metrics, augmented_reward: tf.mean(augmented) as tf.Scalar },
  };
}
