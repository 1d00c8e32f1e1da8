/**
 * The bias over training (the paper's Figure 4, and Figure 9 for the other tasks): the normalised
 * bias of each run's estimates at each of its kept checkpoints, its mean (does the estimate sit
 * above or below the return?) and its standard deviation over the state-action pairs (how well
 * does it rank them?), one line per run and estimate.
 */
import type { TopLevelSpec } from 'vega-lite';
import { FIGURE_CONFIG } from '../report/figures';
import type { BiasStatistics } from './bias-stats';

/** One run's bias at one checkpoint, as `bias` measured it. */
export interface BiasAtCheckpoint {
  readonly label: string;
  readonly algo: string;
  readonly step: number;
  readonly estimates: Readonly<Record<string, BiasStatistics>>;
}

export interface BiasCurvePoint {
  /** The run's label and the estimate: `REDQ q`, `ALM lowerBound`. */
  readonly series: string;
  readonly label: string;
  readonly estimate: string;
  readonly step: number;
  readonly normalisedBiasMean: number;
  readonly normalisedBiasStd: number;
  readonly returnMean: number;
  readonly estimateMean: number;
}

/** The points of the curves, by series then step. */
export function biasCurvePoints(measured: readonly BiasAtCheckpoint[]): BiasCurvePoint[] {
  const points = measured.flatMap((m) =>
    Object.entries(m.estimates).map(([estimate, s]) => ({
      series: `${m.label} ${estimate}`,
      label: m.label,
      estimate,
      step: m.step,
      normalisedBiasMean: s.normalisedBiasMean,
      normalisedBiasStd: s.normalisedBiasStd,
      returnMean: s.returnMean,
      estimateMean: s.estimateMean,
    })),
  );
  const order = [...new Set(points.map((p) => p.series))];
  return points.sort((a, b) => order.indexOf(a.series) - order.indexOf(b.series) || a.step - b.step);
}

/** CSV of the points: one row per series and checkpoint. */
export function biasCurveCsv(points: readonly BiasCurvePoint[]): string {
  const header = 'run,estimate,step,normalised_bias_mean,normalised_bias_std,return_mean,estimate_mean';
  const rows = points.map((p) =>
    [
      JSON.stringify(p.label),
      p.estimate,
      p.step,
      p.normalisedBiasMean,
      p.normalisedBiasStd,
      p.returnMean,
      p.estimateMean,
    ].join(','),
  );
  return [header, ...rows].join('\n') + '\n';
}

/** Two panels against environment steps: the mean and the std of the normalised bias. */
export function biasCurveSpec(
  title: string,
  subtitle: string,
  points: readonly BiasCurvePoint[],
): TopLevelSpec {
  const x = {
    field: 'step',
    type: 'quantitative',
    title: 'environment steps',
    axis: { format: '~s' },
  } as const;
  const color = {
    field: 'series',
    type: 'nominal',
    title: null,
    scale: { scheme: 'tableau10' },
    legend: { labelLimit: 400 },
  } as const;
  const panel = (field: 'normalisedBiasMean' | 'normalisedBiasStd', yTitle: string) => ({
    width: 300,
    height: 240,
    mark: { type: 'line', strokeWidth: 2, point: { size: 30 } },
    encoding: {
      x,
      y: { field, type: 'quantitative', title: yTitle, scale: { zero: false } },
      color,
    },
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, subtitle },
    background: 'white',
    config: FIGURE_CONFIG,
    data: { values: points.map((p) => ({ ...p })) },
    hconcat: [
      panel('normalisedBiasMean', 'mean normalised bias (estimate - G) / |mean G|'),
      panel('normalisedBiasStd', 'std of the normalised bias'),
    ],
  } as TopLevelSpec;
}
