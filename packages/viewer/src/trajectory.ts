/**
 * Recording a trajectory: the deterministic-policy episodes of `eval`, through the same `evaluate`
 * (@mbrl-ts/eval), with every state, action and reward kept. The returns a recording reports are
 * eval's returns, step for step.
 */
import { evaluate, type EvaluationPolicy, type EvaluationResult } from '@mbrl-ts/eval';
import type { Env, ResetOptions, StepResult } from '@mbrl-ts/envs';
import {
  TRAJECTORY_FORMAT,
  TRAJECTORY_VERSION,
  TrajectoryError,
  type Trajectory,
  type TrajectoryEpisode,
} from './trajectory-format';

/** What a MuJoCo task offers beyond Env: its physical state (MujocoEnv). */
interface PhysicsEnv {
  getPhysics(): { qpos: Float64Array; qvel: Float64Array };
}

function physicsOf(env: Env): PhysicsEnv {
  const base = env.unwrapped as Partial<PhysicsEnv>;
  if (typeof base.getPhysics !== 'function') {
    throw new TrajectoryError(`${env.id} is not a MuJoCo task; only MuJoCo tasks can be recorded or drawn`);
  }
  return base as PhysicsEnv;
}

export interface RecordOptions {
  /** Seed of the first episode (episode i gets seed + i, as in eval). */
  readonly seed: number;
  /** The checkpoint's step, passed to the policy as eval does. */
  readonly step?: number;
  /** Cut each episode after this many steps (counted as truncated). */
  readonly maxSteps?: number;
  readonly algo?: string;
}

export interface Recording extends EvaluationResult {
  readonly trajectory: Trajectory;
}

/**
 * Run `episodes` deterministic-policy episodes as `eval` does (the same `evaluate`) and record
 * every state, action and reward on the way.
 */
export function recordEpisodes(
  policy: EvaluationPolicy,
  env: Env,
  episodes: number,
  options: RecordOptions,
): Recording {
  const physics = physicsOf(env);
  const recorded: TrajectoryEpisode[] = [];
  let current: TrajectoryEpisode | null = null;
  const snapshot = (episode: TrajectoryEpisode) => {
    const { qpos, qvel } = physics.getPhysics();
    episode.qpos.push(Array.from(qpos));
    episode.qvel.push(Array.from(qvel));
  };
  const recording = {
    reset(resetOptions?: ResetOptions) {
      const result = env.reset(resetOptions);
      current = {
        seed: resetOptions?.seed ?? 0,
        qpos: [],
        qvel: [],
        actions: [],
        rewards: [],
        terminated: false,
      };
      recorded.push(current);
      snapshot(current);
      return result;
    },
    step(action: Float32Array): StepResult {
      const episode = current as TrajectoryEpisode;
      const result = env.step(action);
      episode.actions.push(Array.from(action));
      episode.rewards.push(result.reward);
      snapshot(episode);
      const cut = options.maxSteps !== undefined && episode.rewards.length >= options.maxSteps;
      if (result.terminated) (episode as { terminated: boolean }).terminated = true;
      return cut && !result.terminated ? { ...result, truncated: true } : result;
    },
  };
  const result = evaluate(policy, recording, episodes, { seed: options.seed, step: options.step });
  const dt = (env.unwrapped as unknown as { dt?: number }).dt;
  return {
    ...result,
    trajectory: {
      format: TRAJECTORY_FORMAT,
      version: TRAJECTORY_VERSION,
      env: env.id,
      dt: typeof dt === 'number' ? dt : 0.05,
      ...(options.algo !== undefined ? { algo: options.algo } : {}),
      ...(options.step !== undefined ? { checkpointStep: options.step } : {}),
      episodes: recorded,
    },
  };
}
