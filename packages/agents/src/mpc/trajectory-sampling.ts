/**
 * PETS's trajectory sampling, TS-infinity (Chua et al. 2018, Section 5): each candidate action
 * sequence is scored by P particles started at the current state; each particle is assigned to one
 * ensemble member at random for the whole horizon, propagated by that member (sampling its Gaussian
 * head when it has one), and the candidate's score is the mean over its particles of the predicted
 * return (the sum of rewards, stopping at a predicted termination).
 *
 * The assignment is a random permutation of the N * P particles cut into B equal groups (so P * N
 * must be a multiple of B; the agent asks for P a multiple of B): group b is member b's [N P / B]
 * rows, and every horizon step is one batched product per layer over all B groups.
 */
import { standardNormal, tf, type Rng } from '@mbrl-ts/nn';
import { shuffleInPlace, type BootstrapEnsemble } from './bootstrap-ensemble';
import type { TaskReward } from './task-rewards';

export interface TrajectorySamplingOptions {
  readonly ensemble: BootstrapEnsemble;
  /** Particles per candidate. */
  readonly particles: number;
  readonly observationSize: number;
  /** The task's reward; without it the ensemble's last output is the learned reward. */
  readonly taskReward?: TaskReward;
  /** Sample the members' Gaussian heads (PETS); false propagates their means. */
  readonly sample: boolean;
}

/**
 * The candidate of each particle row, member by member: a shuffled [N * P] list of candidate
 * indices; rows [b N P / B, (b + 1) N P / B) go to member b.
 */
export function assignParticles(
  candidates: number,
  particles: number,
  members: number,
  rng: Rng,
): Int32Array {
  const rows = candidates * particles;
  if (rows % members !== 0) {
    throw new RangeError(
      `trajectory sampling: ${candidates} x ${particles} particles do not split over ${members} members`,
    );
  }
  const owner = new Int32Array(rows);
  for (let i = 0; i < rows; i++) owner[i] = Math.floor(i / particles);
  return shuffleInPlace(owner, rng);
}

/** Predicted returns [N] of action sequences [N, H, A] from `obs`, by TS-infinity. */
export function trajectorySamplingReturns(
  options: TrajectorySamplingOptions,
  obs: ArrayLike<number>,
  actions: tf.Tensor3D,
  rng: Rng,
): Float32Array {
  const { ensemble, particles, observationSize: O, taskReward } = options;
  const [n, horizon, A] = actions.shape;
  const B = ensemble.members;
  const owner = assignParticles(n, particles, B, rng);
  const perMember = (n * particles) / B;
  const rowReturns = tf.tidy(() => {
    const ownerT = tf.tensor1d(owner, 'int32');
    const particleActions = tf.gather(actions, ownerT).reshape([B, perMember, horizon, A]);
    let state: tf.Tensor3D = tf.tensor1d(Float32Array.from(obs)).reshape([1, 1, O]).tile([B, perMember, 1]);
    let total = tf.zeros([B, perMember]);
    let alive = tf.ones([B, perMember]);
    for (let t = 0; t < horizon; t++) {
      const step = tf.tidy(() => {
        const action = particleActions.slice([0, 0, t, 0], [B, perMember, 1, A]).reshape([B, perMember, A]);
        const { mean, logVar } = ensemble.predict(tf.concat([state, action], 2) as tf.Tensor3D);
        const out =
          options.sample && logVar
            ? mean.add(logVar.mul(0.5).exp().mul(standardNormal(mean.shape, rng)))
            : mean;
        const delta = out.slice([0, 0, 0], [B, perMember, O]);
        const next = state.add(delta) as tf.Tensor3D;
        const reward = taskReward
          ? taskReward.reward(state, action, next)
          : out.slice([0, 0, O], [B, perMember, 1]).reshape([B, perMember]);
        const newTotal = total.add(reward.mul(alive));
        const newAlive = taskReward?.terminated
          ? alive.mul(tf.scalar(1).sub(taskReward.terminated(next)))
          : alive.clone();
        return { next, newTotal, newAlive };
      });
      tf.dispose([state, total, alive]);
      state = step.next;
      total = step.newTotal;
      alive = step.newAlive;
    }
    return total.reshape([n * particles]);
  });
  const values = rowReturns.dataSync() as Float32Array;
  rowReturns.dispose();
  const returns = new Float32Array(n);
  for (let i = 0; i < values.length; i++) {
    // a diverged particle scores as the worst possible outcome
    returns[owner[i]] += (Number.isFinite(values[i]) ? values[i] : -1e9) / particles;
  }
  return returns;
}
