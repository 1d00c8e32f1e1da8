/**
 * Vega-Lite figures of the analyses (rendered with the report's `renderFigure`): estimates
 * against Monte Carlo returns (bias), and the latent model's error along a rollout.
 */
import type { TopLevelSpec } from 'vega-lite';
import { FIGURE_CONFIG as CONFIG } from '../report/figures';
const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

export interface ScatterSeries {
  readonly name: string;
  readonly estimates: ArrayLike<number>;
}

/** Each estimate against the pair's Monte Carlo return, with the line estimate = return. */
export function biasScatterSpec(
  title: string,
  subtitle: string,
  returns: ArrayLike<number>,
  series: readonly ScatterSeries[],
): TopLevelSpec {
  const points = series.flatMap((s) =>
    Array.from(returns, (g, i) => ({ estimator: s.name, mc: g, estimate: s.estimates[i] })),
  );
  const all = [...Array.from(returns), ...series.flatMap((s) => Array.from(s.estimates))];
  const lo = Math.min(...all);
  const hi = Math.max(...all);
  const x = {
    field: 'mc',
    type: 'quantitative',
    title: 'Monte Carlo discounted return',
    scale: { zero: false },
  } as const;
  const y = { field: 'estimate', type: 'quantitative', title: 'estimate', scale: { zero: false } } as const;
  return {
    $schema: SCHEMA,
    title: { text: title, subtitle },
    width: 420,
    height: 320,
    background: 'white',
    config: CONFIG,
    layer: [
      {
        data: {
          values: [
            { mc: lo, estimate: lo },
            { mc: hi, estimate: hi },
          ],
        },
        mark: { type: 'line', color: '#888', strokeDash: [4, 4] },
        encoding: { x, y },
      },
      {
        data: { values: points },
        mark: { type: 'point', filled: true, size: 14, opacity: 0.45 },
        encoding: {
          x,
          y,
          color: {
            field: 'estimator',
            type: 'nominal',
            title: 'estimate',
            scale: { scheme: 'tableau10' },
            legend: { labelLimit: 400 },
          },
        },
      },
    ],
  };
}

export interface ErrorPoint {
  readonly step: number;
  readonly series: string;
  readonly mean: number;
  readonly std: number;
}

/** Mean error per rollout step with a mean +- std band, one line per series. */
export function rolloutErrorSpec(
  title: string,
  subtitle: string,
  points: readonly ErrorPoint[],
): TopLevelSpec {
  const values = points.map((p) => ({
    ...p,
    lower: p.mean - (Number.isFinite(p.std) ? p.std : 0),
    upper: p.mean + (Number.isFinite(p.std) ? p.std : 0),
  }));
  const x = { field: 'step', type: 'quantitative', title: 'rollout step t' } as const;
  const color = {
    field: 'series',
    type: 'nominal',
    title: null,
    scale: { scheme: 'tableau10' },
    legend: { labelLimit: 400 },
  } as const;
  return {
    $schema: SCHEMA,
    title: { text: title, subtitle },
    width: 480,
    height: 280,
    background: 'white',
    config: CONFIG,
    data: { values },
    layer: [
      {
        mark: { type: 'area', opacity: 0.2 },
        encoding: {
          x,
          y: { field: 'lower', type: 'quantitative', title: 'L2 distance in latent space' },
          y2: { field: 'upper' },
          color,
        },
      },
      {
        mark: { type: 'line', strokeWidth: 2 },
        encoding: {
          x,
          y: { field: 'mean', type: 'quantitative', title: 'L2 distance in latent space' },
          color,
        },
      },
    ],
  };
}

/** One latent coordinate along a trajectory: the encoder's and the model's (Figure 7, left). */
export function latentCoordinateSpec(
  title: string,
  subtitle: string,
  encoded: ArrayLike<number>,
  predicted: ArrayLike<number>,
): TopLevelSpec {
  const values = [
    ...Array.from(encoded, (v, t) => ({ step: t, series: 'encoder e(s_t)', value: v })),
    ...Array.from(predicted, (v, t) => ({ step: t, series: 'model rollout from z_0', value: v })),
  ];
  return {
    $schema: SCHEMA,
    title: { text: title, subtitle },
    width: 480,
    height: 220,
    background: 'white',
    config: CONFIG,
    data: { values },
    mark: { type: 'line', strokeWidth: 2, point: { size: 10 } },
    encoding: {
      x: { field: 'step', type: 'quantitative', title: 'step t' },
      y: { field: 'value', type: 'quantitative', title: 'latent coordinate 0', scale: { zero: false } },
      color: {
        field: 'series',
        type: 'nominal',
        title: null,
        scale: { scheme: 'tableau10' },
        legend: { labelLimit: 400 },
      },
    },
  };
}
