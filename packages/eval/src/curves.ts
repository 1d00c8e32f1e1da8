/**
 * Learning curves: per-seed (step, return) series aggregated into one curve with a spread band,
 * and CSV for both. Steps are aligned exactly; a step that only some seeds reached is aggregated
 * over those seeds, and its `n` says how many.
 */
import { summarize } from './aggregate';

export interface CurvePoint {
  readonly step: number;
  readonly value: number;
}

export interface SeedCurve {
  readonly seed: number;
  readonly points: readonly CurvePoint[];
}

export interface AggregatedPoint {
  readonly step: number;
  readonly n: number;
  readonly mean: number;
  readonly std: number;
  readonly ciLow: number;
  readonly ciHigh: number;
}

export function aggregateCurves(curves: readonly SeedCurve[]): AggregatedPoint[] {
  const byStep = new Map<number, number[]>();
  for (const curve of curves) {
    for (const { step, value } of curve.points) {
      if (!Number.isFinite(step) || !Number.isFinite(value)) {
        throw new RangeError(
          `aggregateCurves: seed ${curve.seed} has a non-finite point (${step}, ${value})`,
        );
      }
      const list = byStep.get(step) ?? [];
      list.push(value);
      byStep.set(step, list);
    }
  }
  return [...byStep.keys()]
    .sort((a, b) => a - b)
    .map((step) => {
      const s = summarize(byStep.get(step)!);
      return { step, n: s.n, mean: s.mean, std: s.std, ciLow: s.ci95[0], ciHigh: s.ci95[1] };
    });
}

/** CSV with a header row; numbers printed in full precision, NaN as an empty cell. */
export function toCsv<T extends object>(rows: readonly T[], columns: readonly (keyof T & string)[]): string {
  const cell = (v: unknown): string => {
    if (typeof v === 'number') return Number.isNaN(v) ? '' : String(v);
    const s = String(v ?? '');
    return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  const lines = [columns.join(',')];
  for (const row of rows) lines.push(columns.map((c) => cell(row[c])).join(','));
  return lines.join('\n') + '\n';
}
