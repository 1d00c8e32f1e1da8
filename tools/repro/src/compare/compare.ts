/**
 * Our ALM runs against the paper's released curves, at equal updates.
 *
 * A run's evaluation at environment step s lies at (s - warmupSteps) * updatesPerStep updates; the
 * paper's curves (paper-curves.ts) are logged against updates already. For each task the
 * comparison holds our seeds' mean and sample std at every update count both have, beside the
 * paper's 5 seeds, and says whether our mean lies inside the paper's mean +- one std.
 * Diagnostics (metrics.jsonl: KL, classifier accuracy, losses, gradient norms before the clip)
 * are read per seed against the same update axis.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { aggregateCurves, summarize, type AggregatedPoint } from '@mbrl-ts/eval';
import { RunDirectoryProblem, ReproInputError } from '../errors';
import { readEvaluations, type Evaluation } from '../report/read-runs';
import { paperCurveFor, type PaperCurveSource } from './paper-curves';

/** The logged training metrics drawn over time, in the order of the diagnostics figure. */
export const DIAGNOSTIC_METRICS = [
  'kl',
  'classifier_accuracy',
  'critic_loss',
  'reward_loss',
  'model_grad_norm',
  'actor_grad_norm',
  'critic_grad_norm',
  'alm_q',
] as const;

export interface ComparedRun {
  readonly dir: string;
  readonly envId: string;
  readonly seed: number;
  readonly preset: string;
  readonly precision: string;
  readonly warmupSteps: number;
  readonly updatesPerStep: number;
  readonly evaluations: readonly Evaluation[];
  /** metric -> [updates, value] in logged order. */
  readonly diagnostics: Readonly<Record<string, ReadonlyArray<readonly [number, number]>>>;
}

export type Verdict = 'inside' | 'below' | 'above';

export interface ComparisonRow {
  readonly updates: number;
  /** Our environment step at these updates (for the first run's warm-up). */
  readonly envSteps: number;
  readonly ours?: { readonly n: number; readonly mean: number; readonly std: number };
  readonly paper?: { readonly n: number; readonly mean: number; readonly std: number };
  /** Ours against the paper's mean +- std, where both exist. */
  readonly verdict?: Verdict;
}

export interface TaskComparison {
  readonly envId: string;
  readonly paperTask?: string;
  readonly runs: readonly ComparedRun[];
  /** Our mean curve over seeds against updates. */
  readonly ours: readonly AggregatedPoint[];
  /** The paper's curve (mean, std over its seeds), updates as step; empty without a released curve. */
  readonly paper: readonly AggregatedPoint[];
  /** The update counts of the paper's curve up to our furthest evaluation (plus the next one). */
  readonly rows: readonly ComparisonRow[];
  /** Why the comparison is not like for like (a preset other than paper, ...). */
  readonly notes: readonly string[];
}

function record(dir: string): Record<string, unknown> {
  const path = join(dir, 'config.json');
  if (!existsSync(path))
    throw new RunDirectoryProblem(dir, 'has no config.json, so it is not a harness run directory');
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new RunDirectoryProblem(dir, `config.json is not valid JSON (${(error as Error).message})`);
  }
}

function int(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

/** metrics.jsonl rows holding any of the diagnostic metrics, against updates. */
function readDiagnostics(
  dir: string,
  toUpdates: (step: number) => number,
): Record<string, Array<[number, number]>> {
  const out: Record<string, Array<[number, number]>> = {};
  const path = join(dir, 'metrics.jsonl');
  if (!existsSync(path)) return out;
  const lines = readFileSync(path, 'utf8').split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let row: Record<string, unknown>;
    try {
      row = JSON.parse(line) as Record<string, unknown>;
    } catch {
      // a run killed mid-write leaves at most a cut last line; anything else is damage
      if (i === lines.length - 1 || (i === lines.length - 2 && lines.at(-1) === '')) return;
      throw new RunDirectoryProblem(dir, `metrics.jsonl line ${i + 1} is not JSON`);
    }
    if (!int(row.step)) return;
    for (const key of DIAGNOSTIC_METRICS) {
      const value = row[key];
      if (typeof value === 'number' && Number.isFinite(value))
        (out[key] ??= []).push([toUpdates(row.step), value]);
    }
  });
  return out;
}

/** Reads one ALM run directory for the comparison; anything else is a RunDirectoryProblem. */
export function readComparedRun(dirArg: string): ComparedRun {
  const dir = resolve(dirArg);
  const config = record(dir);
  const trainer = config.trainer as Record<string, unknown> | undefined;
  if (typeof config.env !== 'string' || typeof trainer !== 'object' || trainer === null)
    throw new RunDirectoryProblem(
      dir,
      'config.json is not an mbrl-ts run configuration (needs algo, env, trainer)',
    );
  if (config.algo !== 'alm')
    throw new RunDirectoryProblem(
      dir,
      `is a ${String(config.algo)} run; the paper's released curves are ALM(3)'s, so compare takes alm runs`,
    );
  const { warmupSteps, seed } = trainer;
  const updatesPerStep = trainer.updatesPerStep ?? 1;
  if (!int(warmupSteps) || !int(seed) || !int(updatesPerStep))
    throw new RunDirectoryProblem(
      dir,
      'config.json has no integer trainer.warmupSteps, updatesPerStep and seed',
    );
  const toUpdates = (step: number) => Math.max(0, step - warmupSteps) * updatesPerStep;
  return {
    dir,
    envId: config.env,
    seed,
    preset: typeof config.preset === 'string' ? config.preset : 'unknown',
    precision: typeof trainer.precision === 'string' ? trainer.precision : 'fp32',
    warmupSteps,
    updatesPerStep,
    evaluations: readEvaluations(dir),
    diagnostics: readDiagnostics(dir, toUpdates),
  };
}

function spread(values: readonly number[]) {
  const s = summarize(values);
  return { n: values.length, mean: s.mean, std: s.std };
}

function verdict(ours: { mean: number }, paper: { mean: number; std: number }): Verdict {
  if (ours.mean < paper.mean - paper.std) return 'below';
  if (ours.mean > paper.mean + paper.std) return 'above';
  return 'inside';
}

function compareTask(envId: string, runs: readonly ComparedRun[]): TaskComparison {
  const bySeed = new Map<number, ComparedRun>();
  for (const run of runs) {
    const other = bySeed.get(run.seed);
    if (other)
      throw new ReproInputError(
        `${other.dir} and ${run.dir} are both seed ${run.seed} of ${envId}: give each seed once`,
      );
    bySeed.set(run.seed, run);
  }
  const toUpdates = (run: ComparedRun, step: number) =>
    Math.max(0, step - run.warmupSteps) * run.updatesPerStep;
  const ours = aggregateCurves(
    runs.map((run) => ({
      seed: run.seed,
      // the warm-up's evaluations sit at update 0 and before: keep only the last of them
      points: run.evaluations
        .filter((e) => e.step >= run.warmupSteps)
        .map((e) => ({ step: toUpdates(run, e.step), value: e.returnMean })),
    })),
  );
  const source: PaperCurveSource | undefined = paperCurveFor(envId);
  const paper: AggregatedPoint[] = (source?.curve ?? []).map(([updates, returns]) => {
    const s = summarize(returns);
    return {
      step: updates,
      n: returns.length,
      mean: s.mean,
      std: s.std,
      ciLow: s.ci95[0],
      ciHigh: s.ci95[1],
    };
  });
  const furthest = Math.max(0, ...ours.map((p) => p.step));
  const first = runs[0];
  const rows: ComparisonRow[] = [];
  for (const p of paper) {
    const values = runs
      .map((run) =>
        run.evaluations.find((e) => toUpdates(run, e.step) === p.step && e.step >= run.warmupSteps),
      )
      .filter((e): e is Evaluation => e !== undefined)
      .map((e) => e.returnMean);
    const oursHere = values.length > 0 ? spread(values) : undefined;
    const paperHere = { n: p.n, mean: p.mean, std: p.std };
    rows.push({
      updates: p.step,
      envSteps: first.warmupSteps + p.step / first.updatesPerStep,
      ours: oursHere,
      paper: paperHere,
      verdict: oursHere ? verdict(oursHere, paperHere) : undefined,
    });
    if (p.step > furthest) break; // one row past our furthest point shows what comes next
  }
  const notes: string[] = [];
  if (!source)
    notes.push(
      `the paper's authors released no learning curve for ${envId}; Table 1 (200k steps) is its only number`,
    );
  for (const run of runs) {
    if (run.preset !== 'paper') notes.push(`seed ${run.seed} ran the ${run.preset} preset, not the paper's`);
    if (run.warmupSteps !== 5000 || run.updatesPerStep !== 1)
      notes.push(
        `seed ${run.seed} has ${run.warmupSteps} warm-up steps and ${run.updatesPerStep} updates per step (the paper: 5000, 1)`,
      );
  }
  return { envId, paperTask: source?.paperTask, runs, ours, paper, rows, notes };
}

/** Groups the runs by task (in the order first given) and compares each group with the paper. */
export function compareRuns(runs: readonly ComparedRun[]): TaskComparison[] {
  if (runs.length === 0) throw new ReproInputError('compare needs at least one run directory (--runs)');
  const tasks = [...new Set(runs.map((r) => r.envId))];
  return tasks.map((envId) =>
    compareTask(
      envId,
      runs.filter((r) => r.envId === envId),
    ),
  );
}
