/**
 * What MBPO knows about each task (Janner et al. 2019, Appendix C, and the authors' per-task
 * configurations): the rollout-length schedule, the epoch length the schedule counts in, and the
 * termination function that ends a model rollout. The termination functions read the next
 * observation in this project's (Gymnasium v4) layouts, the same tests the tasks themselves apply.
 */
import { ConfigError } from '@mbrl-ts/contract';

/**
 * Rollout length k: linear in the epoch from minLength at minEpoch to maxLength at maxEpoch,
 * constant outside, rounded down (MBPO Appendix C: "linearly increasing from a to b over epochs
 * x to y"; written [x, y, a, b]).
 */
export interface RolloutSchedule {
  readonly minEpoch: number;
  readonly maxEpoch: number;
  readonly minLength: number;
  readonly maxLength: number;
}

export interface MbpoTask {
  /** Environment steps per MBPO epoch (1000; InvertedPendulum 250). */
  readonly epochLength: number;
  readonly schedule: RolloutSchedule;
  /** Whether a model transition ends its rollout, from the next observation. */
  readonly terminated: (nextObservation: Float32Array) => boolean;
}

const schedule = (
  minEpoch: number,
  maxEpoch: number,
  minLength: number,
  maxLength: number,
): RolloutSchedule => ({
  minEpoch,
  maxEpoch,
  minLength,
  maxLength,
});

const finite = (o: Float32Array) => o.every(Number.isFinite);
const never = () => false;

const hopperTerminated = (o: Float32Array) => {
  // height o[0] > 0.7, |pitch| o[1] < 0.2, every state entry below 100 in magnitude
  const healthy =
    finite(o) && o[0] > 0.7 && Math.abs(o[1]) < 0.2 && o.subarray(1).every((v) => Math.abs(v) < 100);
  return !healthy;
};
const walkerTerminated = (o: Float32Array) => !(o[0] > 0.8 && o[0] < 2 && o[1] > -1 && o[1] < 1);
const antTerminated = (o: Float32Array) => !(finite(o) && o[0] >= 0.2 && o[0] <= 1);
const humanoidTerminated = (o: Float32Array) => !(o[0] > 1 && o[0] < 2);

/** MBPO's tasks by this project's env ids; schedules from the authors' configurations. */
export const MBPO_TASKS: Readonly<Record<string, MbpoTask>> = {
  'InvertedPendulum-v4': {
    epochLength: 250,
    schedule: schedule(1, 15, 1, 1),
    terminated: (o) => !finite(o) || Math.abs(o[1]) > 0.2,
  },
  'Hopper-v4': { epochLength: 1000, schedule: schedule(20, 150, 1, 15), terminated: hopperTerminated },
  'Walker2d-v4': { epochLength: 1000, schedule: schedule(20, 150, 1, 1), terminated: walkerTerminated },
  'HalfCheetah-v4': { epochLength: 1000, schedule: schedule(20, 150, 1, 1), terminated: never },
  'Ant-v4': { epochLength: 1000, schedule: schedule(20, 100, 1, 25), terminated: antTerminated },
  'AntTruncatedObs-v2': { epochLength: 1000, schedule: schedule(20, 100, 1, 25), terminated: antTerminated },
  'Humanoid-v4': { epochLength: 1000, schedule: schedule(20, 300, 1, 20), terminated: humanoidTerminated },
  'HumanoidTruncatedObs-v2': {
    epochLength: 1000,
    schedule: schedule(20, 300, 1, 20),
    terminated: humanoidTerminated,
  },
  // not an MBPO task: no termination, one-step rollouts (our choice)
  'Pendulum-v1': { epochLength: 1000, schedule: schedule(1, 15, 1, 1), terminated: never },
};

/** k at `epoch` (MBPO's schedule, rounded down). */
export function rolloutLength(s: RolloutSchedule, epoch: number): number {
  const span = s.maxEpoch - s.minEpoch;
  const progress =
    span <= 0 ? (epoch >= s.maxEpoch ? 1 : 0) : Math.min(Math.max((epoch - s.minEpoch) / span, 0), 1);
  return Math.floor(s.minLength + progress * (s.maxLength - s.minLength));
}

/** The task entry for an env id; an env MBPO has no termination function for is a config error. */
export function mbpoTask(envId: string): MbpoTask {
  const task = MBPO_TASKS[envId];
  if (task === undefined) {
    throw new ConfigError(
      `mbpo: no rollout schedule and termination function for ${envId} (known: ${Object.keys(MBPO_TASKS).join(', ')})`,
    );
  }
  return task;
}
