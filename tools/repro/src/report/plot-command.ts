/**
 * `plot --run DIR`: one harness run's evaluation curve (mean return with a band of ± the std over
 * the evaluation episodes) and its logged losses (metrics.jsonl, one panel each), drawn with the
 * report's figure code (Vega-Lite to SVG, resvg to PNG). Any run folder works, not only a grid's.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { ReproInputError, RunDirectoryProblem } from '../errors';
import { FIGURE_CONFIG, renderFigure } from './figures';
import { readRun, type Evaluation, type SavedConfig } from './read-runs';

export interface PlotFlags {
  readonly run: string;
  /** Output directory (default <run>/plot). */
  readonly out?: string;
  /** metrics.jsonl keys to draw (default: every key with "loss" in its name). */
  readonly metrics?: readonly string[];
}

export interface MetricSeries {
  readonly name: string;
  readonly points: ReadonlyArray<{ readonly step: number; readonly value: number }>;
}

export interface RunCurves {
  readonly algo: string;
  readonly env: string;
  readonly seed: number;
  readonly evaluations: readonly Evaluation[];
  /** Every numeric key of metrics.jsonl, in the order first seen. */
  readonly metrics: readonly MetricSeries[];
}

/** A run folder's evaluations and metric series (a torn or damaged metrics line is passed over). */
export function readRunCurves(dir: string): RunCurves {
  const configPath = join(dir, 'config.json');
  if (!existsSync(dir)) throw new ReproInputError(`--run ${dir} does not exist`);
  if (!existsSync(configPath))
    throw new RunDirectoryProblem(dir, 'has no config.json, so it is not a harness run directory');
  let config: SavedConfig;
  try {
    config = JSON.parse(readFileSync(configPath, 'utf8')) as SavedConfig;
  } catch (error) {
    throw new RunDirectoryProblem(dir, `config.json is not valid JSON (${(error as Error).message})`);
  }
  const env = typeof config?.env === 'string' ? config.env : '';
  const algo = typeof config?.algo === 'string' ? config.algo : '';
  const seed = config?.trainer?.seed;
  // readRun checks the rest (trainer fields, evaluations.csv); the run's own names are its place
  const record = readRun(dir, env, algo, typeof seed === 'number' ? seed : NaN, { algoOf: (a) => a });
  const series = new Map<string, Array<{ step: number; value: number }>>();
  const metricsPath = join(dir, 'metrics.jsonl');
  if (existsSync(metricsPath)) {
    for (const line of readFileSync(metricsPath, 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      let entry: unknown;
      try {
        entry = JSON.parse(line);
      } catch {
        continue;
      }
      if (typeof entry !== 'object' || entry === null) continue;
      const { step, ...values } = entry as Record<string, unknown>;
      if (typeof step !== 'number' || !Number.isFinite(step)) continue;
      for (const [name, value] of Object.entries(values)) {
        if (typeof value !== 'number' || !Number.isFinite(value)) continue;
        if (!series.has(name)) series.set(name, []);
        series.get(name)?.push({ step, value });
      }
    }
  }
  return {
    algo: record.algo,
    env: record.envId,
    seed: record.seed,
    evaluations: record.evaluations,
    metrics: [...series].map(([name, points]) => ({ name, points })),
  };
}

/** The metric series to draw: the named ones (each must exist), else every loss. */
export function chooseMetrics(curves: RunCurves, names?: readonly string[]): MetricSeries[] {
  if (names === undefined) return curves.metrics.filter((m) => m.name.includes('loss'));
  const known = curves.metrics.map((m) => m.name);
  return names.map((name) => {
    const found = curves.metrics.find((m) => m.name === name);
    if (!found)
      throw new ReproInputError(
        `--metrics: the run logged no "${name}" (logged: ${known.join(', ') || 'nothing yet'})`,
      );
    return found;
  });
}

const X = {
  field: 'step',
  type: 'quantitative',
  title: 'environment steps',
  axis: { format: '~s' },
} as const;

/** The figure: the evaluation curve on top, one panel per metric below, on one step axis. */
export function runPlotSpec(curves: RunCurves, metrics: readonly MetricSeries[]): TopLevelSpec {
  const evaluation = curves.evaluations.map((e) => ({
    step: e.step,
    mean: e.returnMean,
    lower: e.returnMean - e.returnStd,
    upper: e.returnMean + e.returnStd,
  }));
  const panels = metrics.map((m) => ({
    width: 520,
    height: 110,
    data: { values: m.points.map((p) => ({ step: p.step, value: p.value })) },
    mark: { type: 'line', strokeWidth: 1.5, color: '#4c78a8' },
    encoding: {
      x: X,
      y: { field: 'value', type: 'quantitative', title: m.name, scale: { zero: false } },
    },
  }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `${curves.algo} on ${curves.env}, seed ${curves.seed}`,
      subtitle:
        'evaluation return, mean ± std over the episodes' + (metrics.length ? '; logged means below' : ''),
    },
    background: 'white',
    config: FIGURE_CONFIG,
    // one step axis for every panel
    resolve: { scale: { x: 'shared' } },
    vconcat: [
      {
        width: 520,
        height: 260,
        data: { values: evaluation },
        layer: [
          {
            mark: { type: 'area', opacity: 0.2, color: '#f58518' },
            encoding: {
              x: X,
              y: { field: 'lower', type: 'quantitative', title: 'return', scale: { zero: false } },
              y2: { field: 'upper' },
            },
          },
          {
            mark: { type: 'line', strokeWidth: 2, color: '#f58518', point: { size: 18, color: '#f58518' } },
            encoding: {
              x: X,
              y: { field: 'mean', type: 'quantitative', title: 'return', scale: { zero: false } },
            },
          },
        ],
      },
      ...panels,
    ],
  } as TopLevelSpec;
}

/** Write <out>/run.svg and <out>/run.png; returns their paths. */
export async function plotRun(flags: PlotFlags): Promise<{ svg: string; png: string; metrics: string[] }> {
  const dir = resolve(flags.run);
  const curves = readRunCurves(dir);
  const metrics = chooseMetrics(curves, flags.metrics);
  if (curves.evaluations.length === 0 && metrics.every((m) => m.points.length === 0)) {
    throw new RunDirectoryProblem(dir, 'has no evaluation and no logged metrics yet: nothing to plot');
  }
  const out = resolve(flags.out ?? join(dir, 'plot'));
  mkdirSync(out, { recursive: true });
  const figure = await renderFigure(runPlotSpec(curves, metrics));
  const svg = join(out, 'run.svg');
  const png = join(out, 'run.png');
  writeFileSync(svg, figure.svg);
  writeFileSync(png, figure.png);
  return { svg, png, metrics: metrics.map((m) => m.name) };
}

export async function plotCommand(
  flags: PlotFlags,
  context: { print: (line: string) => void },
): Promise<void> {
  const result = await plotRun(flags);
  context.print(
    `plot: ${basename(resolve(flags.run))}: evaluation curve` +
      (result.metrics.length ? ` and ${result.metrics.join(', ')}` : '') +
      `; wrote ${result.svg} and ${result.png}`,
  );
}
