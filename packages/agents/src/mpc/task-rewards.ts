/**
 * Rewards the planner computes itself, as tensor functions of (state, action, next state), for the
 * tasks whose reward is such a function of the observations. Each formula is the task's own (see
 * @mbrl-ts/envs, Gymnasium's definitions); a test steps the real env and compares.
 *
 *   Pendulum-v1          exact: -(atan2(sin, cos)^2 + 0.1 thetaDot^2 + 0.001 clip(u, -2, 2)^2), from
 *                        the state before the step
 *   InvertedPendulum-v4  exact: 1 per step; the episode terminates after a step whose next state
 *                        has |pole angle| > 0.2 or a non-finite entry (its reward still counts)
 *   HalfCheetah-v4       not a function of the observations: the forward reward is the root's x
 *                        displacement over the step / dt, and x is not observed (qvel's x velocity
 *                        is the end-of-step velocity, not the mean over the frame skip), so the MPC
 *                        agent learns the reward with the dynamics
 *   every other task     learned
 *
 * `shapedRewardFor` gives planning rewards that are not the task's (setting reward=shaped): for
 * InvertedPendulum-v4, 1 - (angle / 0.2)^2 - x^2 per step with the same termination (our choice).
 * The task's constant 1 tells apart only the sequences whose pole falls within the horizon, so
 * among the many that keep it up for H steps the planner picks at random, and the cart drifts to
 * its rail's end; the shaped reward prefers the pole upright and the cart centred.
 */
import { tf } from '@mbrl-ts/nn';

export interface TaskReward {
  /** The env id this reward is for. */
  readonly envId: string;
  /**
   * Rewards of a batch of steps: obs [..., O], action [..., A], nextObs [..., O] -> [...].
   */
  reward(obs: tf.Tensor, action: tf.Tensor, nextObs: tf.Tensor): tf.Tensor;
  /** 1 where the step ends the episode, else 0 ([...]); absent for tasks that never terminate. */
  terminated?(nextObs: tf.Tensor): tf.Tensor;
}

function column(x: tf.Tensor, i: number): tf.Tensor {
  const size = x.shape.map((s, k) => (k === x.rank - 1 ? 1 : s));
  const begin = x.shape.map((_, k) => (k === x.rank - 1 ? i : 0));
  return x.slice(begin, size).squeeze([x.rank - 1]);
}

const pendulum: TaskReward = {
  envId: 'Pendulum-v1',
  reward: (obs, action) =>
    tf.tidy(() => {
      const theta = tf.atan2(column(obs, 1), column(obs, 0));
      const thetaDot = column(obs, 2);
      const u = column(action, 0).clipByValue(-2, 2);
      return theta.square().add(thetaDot.square().mul(0.1)).add(u.square().mul(0.001)).neg();
    }),
};

const invertedPendulum: TaskReward = {
  envId: 'InvertedPendulum-v4',
  reward: (obs) => tf.ones(obs.shape.slice(0, -1)),
  terminated: (nextObs) =>
    tf.tidy(() => {
      const angle = column(nextObs, 1);
      const finite = tf.logicalNot(tf.logicalOr(tf.isNaN(nextObs), tf.isInf(nextObs))).all(-1);
      return tf.logicalOr(angle.abs().greater(0.2), tf.logicalNot(finite)).cast('float32');
    }),
};

const TASK_REWARDS: readonly TaskReward[] = [pendulum, invertedPendulum];

const invertedPendulumShaped: TaskReward = {
  envId: 'InvertedPendulum-v4',
  reward: (_obs, _action, nextObs) =>
    tf.tidy(() => {
      const angle = column(nextObs, 1).div(0.2);
      const x = column(nextObs, 0);
      return tf.scalar(1).sub(angle.square()).sub(x.square());
    }),
  terminated: invertedPendulum.terminated,
};

const SHAPED_REWARDS: readonly TaskReward[] = [invertedPendulumShaped];

/** A shaped planning reward for `envId` (not the task's; see above), or undefined. */
export function shapedRewardFor(envId: string): TaskReward | undefined {
  return SHAPED_REWARDS.find((r) => r.envId === envId);
}

/** The tasks that have a shaped planning reward. */
export const SHAPED_REWARD_TASKS: readonly string[] = SHAPED_REWARDS.map((r) => r.envId);

/** The task's own reward function for `envId`, or undefined when the planner must learn it. */
export function taskRewardFor(envId: string): TaskReward | undefined {
  return TASK_REWARDS.find((r) => r.envId === envId);
}
