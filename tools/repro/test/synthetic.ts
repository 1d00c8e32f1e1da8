/** Writes small synthetic harness run directories for the report tests. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SyntheticRun {
  readonly env: string;
  readonly algo: string;
  readonly seed: number;
  /** [step, return_mean, wall_s] rows. */
  readonly evals: ReadonlyArray<readonly [number, number, number]>;
  readonly totalSteps?: number;
  readonly warmupSteps?: number;
}

export function tempGrid(prefix = 'repro-report-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function runConfig(env: string, algo: string, seed: number, totalSteps = 1000, warmupSteps = 100) {
  return {
    algo,
    env,
    preset: 'paper',
    backend: 'auto',
    trainer: {
      totalSteps,
      warmupSteps,
      updatesPerStep: 1,
      evalEvery: 100,
      evalEpisodes: 2,
      checkpointEvery: 500,
      keepCheckpoints: 2,
      logEvery: 100,
      seed,
    },
    agent: {},
  };
}

export function writeRun(root: string, run: SyntheticRun): string {
  const dir = join(root, run.env, run.algo, `seed${run.seed}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'config.json'),
    JSON.stringify(runConfig(run.env, run.algo, run.seed, run.totalSteps, run.warmupSteps)),
  );
  const lines = ['step,episodes,return_mean,return_std,length_mean,wall_s'];
  for (const [step, ret, wall] of run.evals) lines.push(`${step},2,${ret},1.5,200,${wall}`);
  writeFileSync(join(dir, 'evaluations.csv'), lines.join('\n') + '\n');
  writeFileSync(join(dir, 'metrics.jsonl'), '');
  return dir;
}

export function writeManifest(
  root: string,
  manifest: { steps: number; seeds: number; envs: string[]; algos: string[] },
): void {
  writeFileSync(join(root, 'grid.json'), JSON.stringify({ ...manifest, preset: 'paper' }));
}
