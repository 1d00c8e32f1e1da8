/**
 * Latent rollout of Figure 7 for one recorded trajectory s_0, a_0, s_1, a_1, ...: the encoder's
 * latent of every true state, e(s_t) (the online encoder, the one the policy acts through; its
 * mean), and the model unrolled from the first of them with the trajectory's own actions,
 * z_0 = e(s_0), z_{t+1} = mean of m(. | z_t, a_t). No sampling: the analysis is deterministic
 * given the trajectory.
 */
import { ActionScaling, type AlmAgent } from '@mbrl-ts/agents';
import { tf } from '@mbrl-ts/nn';
import type { EpisodeRecord } from './monte-carlo';

export interface LatentRollout {
  /** Steps t = 0 .. steps-1. */
  readonly steps: number;
  readonly latentSize: number;
  /** e(s_t), [steps * latentSize] */
  readonly encoded: Float64Array;
  /** z_t of the model rollout, [steps * latentSize]; z_0 = e(s_0) */
  readonly predicted: Float64Array;
}

/**
 * Roll out `horizon` model steps (or as many as the trajectory has: states s_0 .. s_{length-1},
 * so at most length - 1 steps).
 */
export function latentRollout(
  agent: AlmAgent,
  episode: EpisodeRecord,
  horizon: number,
  bounds: { readonly low: ArrayLike<number>; readonly high: ArrayLike<number> },
): LatentRollout {
  const length = episode.rewards.length;
  const obsSize = episode.observations.length / length;
  const actSize = episode.actions.length / length;
  const steps = Math.min(horizon, length - 1) + 1;
  const scaling = new ActionScaling(bounds.low, bounds.high);
  const unitActions = scaling.toUnitInPlace(
    Float32Array.from(episode.actions.subarray(0, (steps - 1) * actSize)),
  );
  const [encoded, predicted] = tf.tidy(() => {
    const states = tf.tensor2d(Float32Array.from(episode.observations.subarray(0, steps * obsSize)), [
      steps,
      obsSize,
    ]);
    const truth = agent.encoder.distribution(states).mean;
    let latent = tf.slice(truth, [0, 0], [1, -1]);
    const rollout = [latent];
    for (let t = 0; t + 1 < steps; t++) {
      const action = tf.tensor2d(unitActions.subarray(t * actSize, (t + 1) * actSize), [1, actSize]);
      latent = agent.model.distribution(latent, action).mean;
      rollout.push(latent);
    }
    return [truth, tf.concat(rollout, 0)];
  });
  const latentSize = encoded.shape[1] ?? 0;
  const out = {
    steps,
    latentSize,
    encoded: Float64Array.from(encoded.dataSync()),
    predicted: Float64Array.from(predicted.dataSync()),
  };
  tf.dispose([encoded, predicted]);
  return out;
}
