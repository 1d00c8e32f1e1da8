/**
 * The registry: `makeEnv(id, options)` builds a task by id and wraps it in TimeLimit (and, on
 * request, EpisodeStatistics), as Gymnasium's `make` does.
 */
import type { Env } from './core/env';
import { InvalidOptionError, UnknownEnvError } from './core/errors';
import { createHalfCheetah, type HalfCheetahOptions } from './tasks/half-cheetah';
import { createHopper, type HopperOptions } from './tasks/hopper';
import { createInvertedPendulum, type InvertedPendulumOptions } from './tasks/inverted-pendulum';
import { createPendulum, type PendulumOptions } from './tasks/pendulum';
import { createWalker2d, type Walker2dOptions } from './tasks/walker2d';
import { EpisodeStatistics } from './wrappers/episode-statistics';
import { TimeLimit } from './wrappers/time-limit';

export interface EnvSpec {
  readonly id: string;
  /** Episode limit that makeEnv applies through TimeLimit. */
  readonly maxEpisodeSteps: number;
  /** Build the bare task (no wrappers) from its task options. */
  readonly create: (taskOptions: Record<string, unknown>) => Promise<Env>;
}

export interface MakeEnvOptions {
  /** Override the TimeLimit of the spec; `null` leaves the env without a TimeLimit. */
  maxEpisodeSteps?: number | null;
  /** Task options (e.g. `{ ctrlCostWeight: 0.2 }`); unknown keys are rejected with the accepted list. */
  task?: Record<string, unknown>;
  /** Wrap in EpisodeStatistics (outside TimeLimit): `info.episode` at each episode's end. */
  episodeStatistics?: boolean;
}

const specs = new Map<string, EnvSpec>();

/** Add a task to the registry (an id registered twice is an error). */
export function registerEnv(spec: EnvSpec): void {
  if (specs.has(spec.id)) throw new InvalidOptionError(spec.id, 'this id is already registered');
  specs.set(spec.id, spec);
}

/** Ids of every registered task, in registration order. */
export function listEnvs(): string[] {
  return [...specs.keys()];
}

/** The spec registered under `id` (throws UnknownEnvError with the known ids). */
export function envSpec(id: string): EnvSpec {
  const spec = specs.get(id);
  if (spec === undefined) throw new UnknownEnvError(id, listEnvs());
  return spec;
}

/**
 * Build the task `id`, wrapped in TimeLimit(spec.maxEpisodeSteps) unless told otherwise, and in
 * EpisodeStatistics on request.
 */
export async function makeEnv(id: string, options: MakeEnvOptions = {}): Promise<Env> {
  const spec = envSpec(id);
  const task = await spec.create(options.task ?? {});
  const limit = options.maxEpisodeSteps === undefined ? spec.maxEpisodeSteps : options.maxEpisodeSteps;
  let env: Env = task;
  try {
    if (limit !== null) env = new TimeLimit(env, limit);
    if (options.episodeStatistics === true) env = new EpisodeStatistics(env);
  } catch (error) {
    task.close();
    throw error;
  }
  return env;
}

// ---- The tasks --------------------------------------------------------------------------------

// Each factory validates its own options (unknown keys rejected), hence the casts.
registerEnv({ id: 'Pendulum-v1', maxEpisodeSteps: 200, create: (o) => createPendulum(o as Partial<PendulumOptions>) });
registerEnv({ id: 'InvertedPendulum-v4', maxEpisodeSteps: 1000, create: (o) => createInvertedPendulum(o as Partial<InvertedPendulumOptions>) });
registerEnv({ id: 'HalfCheetah-v4', maxEpisodeSteps: 1000, create: (o) => createHalfCheetah(o as Partial<HalfCheetahOptions>) });
registerEnv({ id: 'Hopper-v4', maxEpisodeSteps: 1000, create: (o) => createHopper(o as Partial<HopperOptions>) });
registerEnv({ id: 'Walker2d-v4', maxEpisodeSteps: 1000, create: (o) => createWalker2d(o as Partial<Walker2dOptions>) });
