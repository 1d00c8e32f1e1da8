/**
 * SVG(1) (Heess et al. 2015, "Learning continuous control policies by stochastic value
 * gradients", Section 4 and Algorithm 2, SVG(1) with experience replay): a one-step value
 * gradient through a learned model and a learned state value V.
 *
 * Value loss (fitted policy evaluation, TD(0) with a target network V'):
 *   y = r + gamma (1 - terminated) V'(s'),   loss = mean((V(s) - y)^2)
 *
 * Policy loss, with the model's noise inferred from the replayed transition (their "xi" inferred
 * from the observed s', so the imagined next state stays on the data where the model is wrong):
 *   a ~ pi(.|s) (reparameterised),   s^' = s' + f(s, a) - f(s, a_replayed)
 *   loss = -mean( r(s, a) - alpha log pi(a|s) + gamma (1 - sigmoid(d(s, a))) V(s^') )
 *
 * alpha = 0 is Heess et al.'s objective; a positive alpha adds SAC's entropy term. The paper's
 * importance weights on replayed data are left out (the replay does not keep behaviour densities).
 */
import { tf, type Rng } from '@mbrl-ts/nn';
import { bellmanTarget } from '../bellman';
import type { ObjectiveResult, StochasticPolicy, TransitionTensors } from '../types';
import type { RecurrentDynamics, StateActionFunction, StateValueFunction } from './types';

export interface Svg1ValueInputs {
  readonly value: StateValueFunction;
  readonly targetValue: StateValueFunction;
  readonly batch: TransitionTensors;
  readonly gamma: number;
}

export function svg1ValueLoss(inputs: Svg1ValueInputs): ObjectiveResult {
  const { value, targetValue, batch, gamma } = inputs;
  const target = tf.tidy(() =>
    bellmanTarget(batch.reward, batch.terminated, targetValue.forward(batch.nextObservation), gamma),
  );
  const v = value.forward(batch.observation);
  const loss = tf.mean(tf.squaredDifference(v, target)) as tf.Scalar;
  return { loss, metrics: { value_loss: loss, value_mean: tf.mean(v) as tf.Scalar } };
}

export interface Svg1ActorInputs {
  readonly actor: StochasticPolicy;
  readonly dynamics: RecurrentDynamics;
  readonly reward: StateActionFunction;
  readonly done: StateActionFunction;
  readonly value: StateValueFunction;
  readonly batch: TransitionTensors;
  readonly gamma: number;
  readonly alpha: number;
  readonly rng: Rng;
}

/** One model step from zero recurrent state. */
function modelStep(dynamics: RecurrentDynamics, x: tf.Tensor, u: tf.Tensor): tf.Tensor {
  return dynamics.step(x, u, dynamics.initialState(x.shape[0])).nextObservation;
}

export function svg1ActorLoss(inputs: Svg1ActorInputs): ObjectiveResult {
  const { actor, dynamics, reward, done, value, batch, gamma, alpha, rng } = inputs;
  const s = batch.observation;
  const { action, logProb } = actor.sample(s, rng);
  const replayedPrediction = modelStep(dynamics, s, batch.action);
  const imagined = tf.add(batch.nextObservation, tf.sub(modelStep(dynamics, s, action), replayedPrediction));
  const notDone = tf.sub(1, tf.sigmoid(done.forward(s, action)));
  const oneStep = tf.add(
    tf.sub(reward.forward(s, action), tf.mul(alpha, logProb)),
    tf.mul(gamma, tf.mul(notDone, value.forward(imagined))),
  );
  const loss = tf.neg(tf.mean(oneStep)) as tf.Scalar;
  const logProbMean = tf.mean(logProb) as tf.Scalar;
  return {
    loss,
    metrics: { actor_loss: loss, log_prob_mean: logProbMean, entropy: tf.neg(logProbMean) as tf.Scalar },
  };
}
