/**
 * What the runner should do with one run directory: start it, resume it from its latest complete
 * checkpoint, skip it (it reached the asked steps), start it again (a run that died before its
 * first checkpoint: the harness would resume it from step 0 with the settings it recorded; the
 * runner clears it and starts it with the grid's current settings instead), or leave it alone (it
 * was created for another number of steps).
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CheckpointStore } from '@mbrl-ts/harness';

export type RunState =
  | { readonly kind: 'fresh' }
  | { readonly kind: 'finished'; readonly step: number }
  | { readonly kind: 'resume'; readonly step: number }
  | { readonly kind: 'restart' }
  /**
   * The run was created for another number of steps and has not reached the asked ones. The
   * harness resumes a run only to the steps it was created for (its replay buffer's capacity is
   * fixed at creation, at most totalSteps), so the runner does not touch it.
   */
  | { readonly kind: 'mismatch'; readonly step: number; readonly createdFor: number };

/** config.json's trainer.totalSteps, or undefined when it cannot be read (the child will say why). */
function createdForSteps(dir: string): number | undefined {
  try {
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as {
      trainer?: { totalSteps?: unknown };
    };
    const total = config?.trainer?.totalSteps;
    return Number.isInteger(total) ? (total as number) : undefined;
  } catch {
    return undefined;
  }
}

export function inspectRun(dir: string, steps: number): RunState {
  if (!existsSync(join(dir, 'config.json'))) return { kind: 'fresh' };
  const latest = new CheckpointStore(join(dir, 'checkpoints')).latest();
  if (latest && latest.step >= steps) return { kind: 'finished', step: latest.step };
  const createdFor = createdForSteps(dir);
  if (createdFor !== undefined && createdFor !== steps)
    return { kind: 'mismatch', step: latest?.step ?? 0, createdFor };
  return latest ? { kind: 'resume', step: latest.step } : { kind: 'restart' };
}

/** The files a harness run writes before its first checkpoint; removed for a restart (logs stay). */
const RUN_FILES = ['config.json', 'metrics.jsonl', 'evaluations.csv'];

export function clearUnresumableRun(dir: string): void {
  for (const name of RUN_FILES) rmSync(join(dir, name), { force: true });
  const checkpoints = join(dir, 'checkpoints');
  if (existsSync(checkpoints)) {
    // Only half-written checkpoints can be here (there is no complete one).
    for (const name of readdirSync(checkpoints)) {
      if (name.startsWith('.checkpoint-')) rmSync(join(checkpoints, name), { recursive: true, force: true });
    }
  }
}
