/**
 * Figures as Vega-Lite specifications, rendered to SVG by Vega's headless SVG renderer (no canvas
 * needed) and to PNG by resvg. One learning-curve figure per task (mean line and a mean +- std
 * band per method) and one bar chart of wall-clock time per environment step.
 */
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { MethodCurve } from './curves';
import type { Method, Task } from './table1';
import type { WallClockCell } from './wall-clock';

export const FIGURE_FONT = 'DejaVu Sans, Helvetica, Arial, sans-serif';
export const FIGURE_CONFIG = {
  font: FIGURE_FONT,
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 12 },
} as const;

/** Colours are assigned by method over all figures, so a method has one colour everywhere. */
function colorScale(methods: readonly Method[]) {
  return { domain: methods.map((m) => m.label), scheme: 'tableau10' } as const;
}

export function learningCurveSpec(
  task: Task,
  curves: readonly MethodCurve[],
  methods: readonly Method[],
  title?: { readonly text: string; readonly subtitle: string },
): TopLevelSpec {
  const values = curves.flatMap((c) =>
    c.points.map((p) => {
      const spread = Number.isFinite(p.std) ? p.std : 0;
      return {
        method: c.label,
        step: p.step,
        mean: p.mean,
        lower: p.mean - spread,
        upper: p.mean + spread,
        seeds: p.n,
      };
    }),
  );
  const x = {
    field: 'step',
    type: 'quantitative',
    title: 'environment steps',
    axis: { format: '~s' },
  } as const;
  const color = { field: 'method', type: 'nominal', title: 'method', scale: colorScale(methods) } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: title ?? {
      text: task.inPaper ? `${task.name} (${task.envId})` : task.name,
      subtitle: 'evaluation return, mean ± std over seeds',
    },
    width: 520,
    height: 300,
    background: 'white',
    config: FIGURE_CONFIG,
    data: { values },
    layer: [
      {
        mark: { type: 'area', opacity: 0.2 },
        encoding: {
          x,
          y: { field: 'lower', type: 'quantitative', title: 'return', scale: { zero: false } },
          y2: { field: 'upper' },
          color,
        },
      },
      {
        mark: { type: 'line', strokeWidth: 2, point: { size: 18 } },
        encoding: {
          x,
          y: { field: 'mean', type: 'quantitative', title: 'return', scale: { zero: false } },
          color,
        },
      },
    ],
  };
}

export function wallClockSpec(
  cells: readonly WallClockCell[],
  tasks: readonly Task[],
  methods: readonly Method[],
): TopLevelSpec {
  const label = (algo: string) => methods.find((m) => m.algo === algo)?.label ?? algo;
  const taskName = (envId: string) => tasks.find((t) => t.envId === envId)?.name ?? envId;
  const values = cells.map((c) => ({
    task: taskName(c.envId),
    method: label(c.algo),
    ms: Number.isFinite(c.msPerStepTraining) ? c.msPerStepTraining : c.msPerStepWhole,
  }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: 'Wall-clock time per environment step',
      subtitle: 'after warm-up where measured, else whole run; mean over seeds',
    },
    width: tasks.length * Math.max(160, 40 * methods.length),
    height: 260,
    background: 'white',
    config: FIGURE_CONFIG,
    data: { values },
    mark: 'bar',
    encoding: {
      x: {
        field: 'task',
        type: 'nominal',
        title: null,
        sort: tasks.map((t) => t.name),
        axis: { labelAngle: 0 },
      },
      xOffset: { field: 'method', type: 'nominal', sort: methods.map((m) => m.label) },
      y: { field: 'ms', type: 'quantitative', title: 'ms per environment step' },
      color: { field: 'method', type: 'nominal', title: 'method', scale: colorScale(methods) },
    },
  };
}

export interface RenderedFigure {
  readonly svg: string;
  readonly png: Buffer;
}

/** Vega-Lite -> Vega -> SVG (headless) -> PNG at 2x. */
export async function renderFigure(spec: TopLevelSpec): Promise<RenderedFigure> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    const png = new Resvg(svg, {
      fitTo: { mode: 'zoom', value: 2 },
      font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
    })
      .render()
      .asPng();
    return { svg, png };
  } finally {
    view.finalize();
  }
}
