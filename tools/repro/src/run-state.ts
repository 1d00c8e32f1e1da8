/**
 * What the runner should do with one run directory: start it, resume it from its latest complete
 * checkpoint, skip it (it reached the asked steps), or start it again (a run that died before its
 * first checkpoint cannot be resumed, and the harness refuses to create a run over its config.json).
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CheckpointStore } from '@mbrl-ts/harness';

export type RunState =
  | { readonly kind: 'fresh' }
  | { readonly kind: 'finished'; readonly step: number }
  | { readonly kind: 'resume'; readonly step: number }
  | { readonly kind: 'restart' };

export function inspectRun(dir: string, steps: number): RunState {
  if (!existsSync(join(dir, 'config.json'))) return { kind: 'fresh' };
  const latest = new CheckpointStore(join(dir, 'checkpoints')).latest();
  if (!latest) return { kind: 'restart' };
  return latest.step >= steps
    ? { kind: 'finished', step: latest.step }
    : { kind: 'resume', step: latest.step };
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
