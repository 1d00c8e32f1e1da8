/**
 * Learning curves per task and method: each seed's evaluation returns by step, aggregated over
 * seeds with @mbrl-ts/eval `aggregateCurves` (mean, sample std; a step reached by only some seeds
 * is aggregated over those, and `n` says how many).
 */
import { aggregateCurves, type AggregatedPoint } from '@mbrl-ts/eval';
import type { GridRecords } from './read-runs';
import type { Method, Task } from './table1';

export interface MethodCurve {
  readonly envId: string;
  readonly algo: string;
  readonly label: string;
  readonly points: readonly AggregatedPoint[];
}

export function buildCurves(
  grid: GridRecords,
  tasks: readonly Task[],
  methods: readonly Method[],
): MethodCurve[] {
  const curves: MethodCurve[] = [];
  for (const task of tasks) {
    for (const method of methods) {
      const seeds = grid.runs
        .filter((r) => r.envId === task.envId && r.algo === method.algo && r.evaluations.length > 0)
        .map((r) => ({
          seed: r.seed,
          points: r.evaluations.map((e) => ({ step: e.step, value: e.returnMean })),
        }));
      if (seeds.length > 0)
        curves.push({
          envId: task.envId,
          algo: method.algo,
          label: method.label,
          points: aggregateCurves(seeds),
        });
    }
  }
  return curves;
}
