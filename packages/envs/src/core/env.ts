/**
 * The environment contract of @mbrl-ts/envs: Gymnasium's `reset` / `step` semantics with
 * `terminated` (the task's own end: the agent fell) kept apart from `truncated` (an outside
 * limit: the TimeLimit wrapper), plus a JSON-serialisable state for checkpoints and replays.
 */
import type { RngState } from '@mbrl-ts/rng';
import type { Box } from './space';

/** What `step` accepts: any flat numeric array of the action space's length. */
export type ActionInput = Float32Array | Float64Array | readonly number[];

/** Episode totals that EpisodeStatistics puts in `info.episode` on the last step of an episode. */
export interface EpisodeSummary {
  /** Undiscounted sum of rewards of the episode. */
  readonly return: number;
  /** Number of steps of the episode. */
  readonly length: number;
}

/**
 * Per-step diagnostics, flat as in Gymnasium: reward terms (`reward_forward`, `reward_ctrl`,
 * ...), `x_position`, `x_velocity`, and `episode` at an episode's end when EpisodeStatistics wraps
 * the env. Read a numeric term with `infoNumber(info, key)`.
 */
export interface StepInfo {
  [term: string]: number | EpisodeSummary | undefined;
  episode?: EpisodeSummary;
}

export interface ResetOptions {
  /** Reseed the env's Rng (an unsigned 32-bit integer). Without it the Rng stream continues. */
  seed?: number;
}

export interface ResetResult {
  obs: Float64Array;
  info: StepInfo;
}

export interface StepResult {
  obs: Float64Array;
  reward: number;
  /** The task ended the episode (e.g. the hopper fell). Bootstrapping must stop here. */
  terminated: boolean;
  /** An outside limit ended the episode (TimeLimit). Bootstrapping may continue here. */
  truncated: boolean;
  info: StepInfo;
}

/** A JSON value, for the wrappers' parts of a saved state. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * Everything needed to continue an episode exactly: physics state, RNG state, step count and
 * whether a reset is due. Plain data: `JSON.parse(JSON.stringify(state))` restores to the same.
 */
export interface EnvState {
  readonly envId: string;
  /** Physics variables by name (`qpos`, `qvel`, `qacc_warmstart`, `time` for MuJoCo tasks). */
  readonly physics: { readonly [name: string]: readonly number[] | number };
  readonly rng: RngState;
  /** Steps taken in the current episode. */
  readonly elapsedSteps: number;
  /** True before the first reset and after `terminated`: `step` would throw. */
  readonly needsReset: boolean;
  /** State of the wrappers around the env, keyed by wrapper name. */
  readonly wrappers?: { readonly [wrapper: string]: JsonValue };
}

export interface Env {
  /** Registry id, e.g. 'HalfCheetah-v4'. */
  readonly id: string;
  readonly observationSpace: Box;
  readonly actionSpace: Box;
  /** Seconds of simulated time per `step` (MuJoCo: timestep * frame skip). */
  readonly dt: number;
  /** The innermost env (the task itself) below all wrappers. */
  readonly unwrapped: Env;
  reset(options?: ResetOptions): ResetResult;
  step(action: ActionInput): StepResult;
  getState(): EnvState;
  setState(state: EnvState): void;
  /** Free every native object. The env is unusable afterwards; calling close twice is harmless. */
  close(): void;
}

/** A numeric info term (throws if it is missing or not a number, naming the keys present). */
export function infoNumber(info: StepInfo, key: string): number {
  const value = info[key];
  if (typeof value !== 'number') {
    throw new TypeError(`info.${key} is not a number; info has: ${Object.keys(info).join(', ')}`);
  }
  return value;
}
