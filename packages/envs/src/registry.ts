/**
 * The registry: `makeEnv(id, options)` builds a task by id and wraps it in TimeLimit (and, on
 * request, EpisodeStatistics), as Gymnasium's `make` does.
 */
import type { Env } from './core/env';
import { InvalidOptionError, UnknownEnvError } from './core/errors';
import { createHalfCheetah, type HalfCheetahOptions } from './tasks/half-cheetah';
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

/** Build the task `id`, wrapped in TimeLimit(spec.maxEpisodeSteps) unless told otherwise. */
export async function makeEnv(id: string, options: MakeEnvOptions = {}): Promise<Env> {
  const spec = envSpec(id);
  const env = await spec.create(options.task ?? {});
  const limit = options.maxEpisodeSteps === undefined ? spec.maxEpisodeSteps : options.maxEpisodeSteps;
  if (limit === null) return env;
  try {
    return new TimeLimit(env, limit);
  } catch (error) {
    env.close();
    throw error;
  }
}

// ---- The tasks --------------------------------------------------------------------------------

registerEnv({
  id: 'HalfCheetah-v4',
  maxEpisodeSteps: 1000,
  create: (o) => createHalfCheetah(o as Partial<HalfCheetahOptions>),
});
