/**
 * Wall-clock time per environment step (the ALM paper's Figure 3, bottom), from each run's
 * evaluations.csv `wall_s` (seconds since the run started, summed over resumed segments).
 *
 * - whole run: wall_s / step at the last evaluation. Includes warm-up (random actions, no
 *   updates), evaluation episodes and checkpoints: what a run of that length costs.
 * - training: the slope between the first evaluation at or after the warm-up and the last one: the
 *   cost of a step with its updates (plus the evaluations in between). Needs two such evaluations.
 */
import { summarize } from '@mbrl-ts/eval';
import type { GridRecords, RunRecord } from './read-runs';

export interface RunWallClock {
  readonly envId: string;
  readonly algo: string;
  readonly seed: number;
  readonly steps: number;
  readonly wallSeconds: number;
  readonly msPerStepWhole: number;
  /** NaN when the run has fewer than two evaluations after its warm-up. */
  readonly msPerStepTraining: number;
}

export interface WallClockCell {
  readonly envId: string;
  readonly algo: string;
  readonly n: number;
  readonly msPerStepWhole: number;
  readonly msPerStepWholeStd: number;
  /** Mean over the seeds that have the training slope; NaN if none does. */
  readonly msPerStepTraining: number;
  readonly msPerStepTrainingStd: number;
  /** Hours for a paper-length run (2e5 steps) at the training rate (whole-run rate if no slope). */
  readonly hoursPer200k: number;
}

export function runWallClock(run: RunRecord): RunWallClock | undefined {
  const last = run.evaluations.at(-1);
  if (!last || last.step === 0) return undefined;
  const first = run.evaluations.find((e) => e.step >= run.warmupSteps);
  const slope =
    first && first.step < last.step
      ? (1000 * (last.wallSeconds - first.wallSeconds)) / (last.step - first.step)
      : NaN;
  return {
    envId: run.envId,
    algo: run.algo,
    seed: run.seed,
    steps: last.step,
    wallSeconds: last.wallSeconds,
    msPerStepWhole: (1000 * last.wallSeconds) / last.step,
    msPerStepTraining: slope,
  };
}

export function buildWallClock(grid: GridRecords): { runs: RunWallClock[]; cells: WallClockCell[] } {
  const runs = grid.runs.map(runWallClock).filter((r): r is RunWallClock => r !== undefined);
  const keys = [...new Set(runs.map((r) => `${r.envId}\u0000${r.algo}`))];
  const cells = keys.map((key) => {
    const [envId, algo] = key.split('\u0000');
    const group = runs.filter((r) => r.envId === envId && r.algo === algo);
    const whole = summarize(group.map((r) => r.msPerStepWhole));
    const withSlope = group.map((r) => r.msPerStepTraining).filter((v) => Number.isFinite(v));
    const training = withSlope.length > 0 ? summarize(withSlope) : undefined;
    const rate = training?.mean ?? whole.mean;
    return {
      envId,
      algo,
      n: group.length,
      msPerStepWhole: whole.mean,
      msPerStepWholeStd: whole.std,
      msPerStepTraining: training?.mean ?? NaN,
      msPerStepTrainingStd: training?.std ?? NaN,
      hoursPer200k: (rate * 200_000) / 3_600_000,
    };
  });
  return { runs, cells };
}
