/**
 * SAC-SVG(H)'s actor objective (Amos et al. 2020, Eq. 5-6; the authors' `expand_Q`): an H-step
 * stochastic value gradient through the learned model, the soft value of a short imagined
 * rollout ended by the critic (model-based value expansion):
 *
 *   u_t ~ pi(.|x_t) (reparameterised),   x_{t+1} = f(x_t, u_t, h_t)   for t = 0..H-1 from replayed x_0
 *   c_t  = prod_{k<=t} (1 - sigmoid(d(x_k, u_k)))                     (probability of not being done)
 *   v_t  = c_t r(x_t, u_t) for t < H - 1,   v_{H-1} = c_{H-1} min(Q1, Q2)(x_{H-1}, u_{H-1})
 *   V_H(x_0) = sum_t gamma^t ( v_t - alpha log pi(u_t|x_t) )
 *   loss = -mean_b V_H(x_0) / H
 *
 * Gradients run through the sampled actions, the model's states, the reward, done and critic
 * networks into the actor; the caller updates the actor's variables only. H = 1 is SAC's actor
 * loss with the done factor; the log-probability of the first action is returned for the
 * temperature loss.
 */
import { tf, type Rng } from '@mbrl-ts/nn';
import type { ObjectiveResult, StochasticPolicy, TwinQ } from '../types';
import type { RecurrentDynamics, StateActionFunction } from './types';

export interface ValueExpansionInputs {
  readonly actor: StochasticPolicy;
  readonly dynamics: RecurrentDynamics;
  readonly reward: StateActionFunction;
  /** The done model's logit. */
  readonly done: StateActionFunction;
  readonly critic: TwinQ;
  /** Replayed (normalised) start observations x_0, [B, obs]. */
  readonly observation: tf.Tensor;
  /** H >= 1: actions taken in the rollout (H - 1 model steps, then the critic). */
  readonly horizon: number;
  readonly gamma: number;
  readonly alpha: number;
  readonly rng: Rng;
}

export interface ValueExpansion {
  /** V_H(x_0) per start observation, [B]. */
  readonly value: tf.Tensor;
  /** log pi(u_t|x_t) for every step, [H, B]. */
  readonly logProbs: tf.Tensor;
}

/** The H-step soft value estimate of each start observation. */
export function stochasticValueExpansion(inputs: ValueExpansionInputs): ValueExpansion {
  const { actor, dynamics, reward, done, critic, observation, horizon, gamma, alpha, rng } = inputs;
  if (!Number.isInteger(horizon) || horizon < 1) {
    throw new RangeError(`stochasticValueExpansion: horizon must be an integer >= 1, got ${horizon}`);
  }
  return tf.tidy(() => {
    const B = observation.shape[0];
    let state = horizon > 1 ? dynamics.initialState(B) : [];
    let x = observation;
    const xs: tf.Tensor[] = [];
    const us: tf.Tensor[] = [];
    const logProbs: tf.Tensor[] = [];
    for (let t = 0; t < horizon; t++) {
      const { action, logProb } = actor.sample(x, rng);
      xs.push(x);
      us.push(action);
      logProbs.push(logProb);
      if (t < horizon - 1) {
        const next = dynamics.step(x, action, state);
        x = next.nextObservation;
        state = next.state;
      }
    }
    const allX = tf.stack(xs);
    const allU = tf.stack(us);
    // c_t as a running product over the H steps (tfjs has no gradient for cumprod)
    // (slices, not unstack: tfjs's unstack gradient fails for a single slice, H = 1)
    const stay = tf.sub(1, tf.sigmoid(done.forward(allX, allU)));
    const survival: tf.Tensor[] = [];
    for (let t = 0; t < horizon; t++) {
      const p = tf.reshape(tf.slice(stay, [t], [1]), [B]);
      survival.push(t === 0 ? p : tf.mul(survival[t - 1], p));
    }
    const notDone = tf.stack(survival); // [H, B]
    const last = tf.minimum(...critic.forward(xs[horizon - 1], us[horizon - 1]));
    const values =
      horizon > 1
        ? tf.concat(
            [reward.forward(tf.stack(xs.slice(0, -1)), tf.stack(us.slice(0, -1))), tf.expandDims(last, 0)],
            0,
          )
        : tf.expandDims(last, 0);
    const logP = tf.stack(logProbs);
    const discounts = tf
      .tensor1d(Array.from({ length: horizon }, (_, t) => gamma ** t))
      .reshape([horizon, 1]);
    const soft = tf.sub(tf.mul(notDone, values), tf.mul(alpha, logP));
    return { value: tf.sum(tf.mul(discounts, soft), 0), logProbs: logP };
  });
}

export function sacSvgActorLoss(inputs: ValueExpansionInputs): ObjectiveResult {
  const { value, logProbs } = stochasticValueExpansion(inputs);
  const loss = tf.div(tf.neg(tf.mean(value)), inputs.horizon) as tf.Scalar;
  const firstLogProbMean = tf.mean(tf.squeeze(tf.slice(logProbs, [0], [1]), [0])) as tf.Scalar;
  return {
    loss,
    metrics: {
      actor_loss: loss,
      expanded_value_mean: tf.mean(value) as tf.Scalar,
      log_prob_mean: firstLogProbMean,
      entropy: tf.neg(firstLogProbMean) as tf.Scalar,
    },
  };
}
