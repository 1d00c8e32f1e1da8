/**
 * What a run directory says about the run, read without the training loop: which algorithm with
 * which settings on which task (config.json), and where its complete checkpoints and the agent's
 * files in them are. The harness writes this layout; an agent package reads it (`loadAgent`):
 *
 *   <run>/config.json                           { algo, env, agent: {...}, trainer: {...}, ... }
 *   <run>/checkpoints/checkpoint-<step>/        committed once its manifest COMPLETE.json is written last
 *   <run>/checkpoints/checkpoint-<step>/agent/  the agent's own save()
 *
 * A checkpoint is used only after its manifest verifies (checkpoint-manifest.ts); the newest that
 * does is the latest, as the harness's resume and eval pick it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHECKPOINT_MANIFEST, CheckpointDamagedError, verifyCheckpoint } from './checkpoint-manifest';

export const RUN_CONFIG_FILE = 'config.json';
export const RUN_CHECKPOINTS_DIR = 'checkpoints';
export const CHECKPOINT_AGENT_DIR = 'agent';
const CHECKPOINT_PATTERN = /^checkpoint-(\d+)$/;

/** The part of config.json that says what was trained (the harness writes more). */
export interface RunIdentity {
  /** The algorithm's name as the CLI spells it ('alm', 'sac', ...). */
  readonly algo: string;
  /** The task's id, e.g. 'Pendulum-v1'. */
  readonly env: string;
  /** The algorithm's resolved settings, every default filled in. */
  readonly agent: Record<string, unknown>;
}

export interface RunCheckpoint {
  readonly step: number;
  readonly dir: string;
  /** The agent's files inside the checkpoint. */
  readonly agentDir: string;
}

export class RunIdentityError extends Error {
  override readonly name = 'RunIdentityError';
}

/** Read and check config.json of `runDir`. */
export function readRunIdentity(runDir: string): RunIdentity {
  const path = join(runDir, RUN_CONFIG_FILE);
  if (!existsSync(path)) {
    throw new RunIdentityError(
      `${runDir} is not a run directory (no ${RUN_CONFIG_FILE}); pass the folder a train command wrote`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new RunIdentityError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
  const config = parsed as Partial<RunIdentity> | null;
  if (
    typeof config !== 'object' ||
    config === null ||
    typeof config.algo !== 'string' ||
    typeof config.env !== 'string' ||
    typeof config.agent !== 'object' ||
    config.agent === null ||
    Array.isArray(config.agent)
  ) {
    throw new RunIdentityError(
      `${path} does not name an algorithm, a task and the agent's settings (algo, env, agent)`,
    );
  }
  return { algo: config.algo, env: config.env, agent: config.agent };
}

/** The run's committed checkpoints, oldest first (a half-written one has no manifest); not yet verified. */
export function checkpointsOf(runDir: string): RunCheckpoint[] {
  const root = join(runDir, RUN_CHECKPOINTS_DIR);
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .map((name) => ({ name, match: CHECKPOINT_PATTERN.exec(name) }))
    .filter(({ name, match }) => match !== null && existsSync(join(root, name, CHECKPOINT_MANIFEST)))
    .map(({ name, match }) => {
      const dir = join(root, name);
      return { step: Number(match![1]), dir, agentDir: join(dir, CHECKPOINT_AGENT_DIR) };
    })
    .sort((a, b) => a.step - b.step);
}

/**
 * The newest checkpoint whose manifest and files verify. A damaged newer one is passed over (the
 * harness falls back the same way); none at all, or none that verifies, is an error saying so.
 */
export function latestCheckpoint(runDir: string): RunCheckpoint {
  const damaged: string[] = [];
  for (const checkpoint of checkpointsOf(runDir).reverse()) {
    try {
      verifyCheckpoint(checkpoint);
      return checkpoint;
    } catch (error) {
      if (!(error instanceof CheckpointDamagedError)) throw error;
      damaged.push(error.message);
    }
  }
  if (damaged.length > 0) {
    throw new RunIdentityError(`${runDir} has no usable checkpoint: ${damaged.join('; ')}`);
  }
  throw new RunIdentityError(
    `${runDir} has no complete checkpoint yet; train it further (checkpoints are written every checkpointEvery steps and at the end)`,
  );
}

/** The checkpoint of `step`, verified; an error naming the steps there are when it is not one. */
export function checkpointAt(runDir: string, step: number): RunCheckpoint {
  const all = checkpointsOf(runDir);
  const found = all.find((c) => c.step === step);
  if (!found) {
    throw new RunIdentityError(
      `${runDir} has no complete checkpoint at step ${step} (it has ${all.map((c) => c.step).join(', ') || 'none'})`,
    );
  }
  verifyCheckpoint(found);
  return found;
}
