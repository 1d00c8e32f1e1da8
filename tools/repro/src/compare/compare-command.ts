/**
 * `mbrl-repro compare --runs DIR... [--out DIR]`: our ALM runs against the paper's released
 * curves at equal updates. Writes
 *   compare.md                 one table per task: updates, our env steps, ours and the paper's
 *                              mean +- std, and whether ours lies inside the paper's spread
 *   compare.json               every number of the tables and both curves
 *   figures/compare-<env>.svg|png      both curves against updates after warm-up
 *   figures/diagnostics-<env>.svg|png  KL, classifier accuracy, losses, gradient norms per seed
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { FIGURE_CONFIG as CONFIG, renderFigure } from '../report/figures';
import { formatMeanStd, formatNumber, toJson } from '../report/format';
import { compareRuns, DIAGNOSTIC_METRICS, readComparedRun, type TaskComparison } from './compare';

export interface CompareFlags {
  readonly runs: readonly string[];
  readonly out: string;
}

function oursLabel(c: TaskComparison): string {
  return `mbrl-ts ALM(3), ${c.runs.length} seed${c.runs.length === 1 ? '' : 's'}`;
}
const PAPER_LABEL = "paper's ALM(3), authors' scores, 5 seeds";

export function compareSpec(c: TaskComparison): TopLevelSpec {
  const furthest = Math.max(0, ...c.ours.map((p) => p.step));
  const paperShown = c.paper.filter(
    (p, i) => p.step <= furthest || i === 0 || c.paper[i - 1].step <= furthest,
  );
  const values = [
    ...c.ours.map((p) => ({ method: oursLabel(c), ...p })),
    ...paperShown.map((p) => ({ method: PAPER_LABEL, ...p })),
  ].map((p) => {
    const spread = Number.isFinite(p.std) ? p.std : 0;
    return {
      method: p.method,
      updates: p.step,
      mean: p.mean,
      lower: p.mean - spread,
      upper: p.mean + spread,
      seeds: p.n,
    };
  });
  const x = {
    field: 'updates',
    type: 'quantitative',
    title: 'updates after the 5000 warm-up steps',
    axis: { format: '~s' },
  } as const;
  const color = {
    field: 'method',
    type: 'nominal',
    title: null,
    scale: { domain: [oursLabel(c), PAPER_LABEL], range: ['#4c78a8', '#e45756'] },
    legend: { orient: 'top-left', labelLimit: 0 },
  } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `ALM on ${c.envId}${c.paperTask ? ` against the paper (${c.paperTask})` : ''}`,
      subtitle: 'evaluation return at equal updates (ours: environment step - 5000), mean ± std over seeds',
    },
    width: 520,
    height: 300,
    background: 'white',
    config: CONFIG,
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

export function diagnosticsSpec(c: TaskComparison): TopLevelSpec | undefined {
  const values = c.runs.flatMap((run) =>
    DIAGNOSTIC_METRICS.flatMap((metric) =>
      (run.diagnostics[metric] ?? []).map(([updates, value]) => ({
        metric,
        seed: `seed ${run.seed}`,
        updates,
        value,
      })),
    ),
  );
  if (values.length === 0) return undefined;
  const metrics = DIAGNOSTIC_METRICS.filter((m) => values.some((v) => v.metric === m));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `ALM training diagnostics on ${c.envId}`,
      subtitle: 'logged means per seed; gradient norms before the clip',
    },
    background: 'white',
    config: CONFIG,
    data: { values },
    facet: { field: 'metric', type: 'nominal', title: null, sort: metrics },
    columns: 4,
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: 200,
      height: 130,
      mark: { type: 'line', strokeWidth: 1.5, point: { size: 10 } },
      encoding: {
        x: { field: 'updates', type: 'quantitative', title: 'updates', axis: { format: '~s' } },
        y: { field: 'value', type: 'quantitative', title: null, scale: { zero: false } },
        color: { field: 'seed', type: 'nominal', title: null },
      },
    },
  };
}

function fileName(envId: string): string {
  return envId.replace(/[^A-Za-z0-9._-]/g, '_');
}

export function renderCompareMarkdown(comparisons: readonly TaskComparison[]): string {
  const lines = [
    '# ALM against the paper at equal updates',
    '',
    "The paper's numbers are its authors' released scores (5 seeds, logged against updates after the 5000",
    'random warm-up steps); ours are evaluations at environment step 5000 + updates. Verdict: our mean',
    "against the paper's mean ± one std.",
  ];
  for (const c of comparisons) {
    lines.push('', `## ${c.envId}${c.paperTask ? ` (paper: ${c.paperTask})` : ''}`, '');
    lines.push(
      'Runs: ' +
        c.runs
          .map(
            (r) =>
              `seed ${r.seed} (${r.preset} preset, ${r.precision}, last evaluation at step ${r.evaluations.at(-1)?.step ?? 'none'})`,
          )
          .join('; '),
    );
    for (const note of c.notes) lines.push('', `Note: ${note}.`);
    if (c.rows.length > 0) {
      lines.push(
        '',
        '| updates | our env steps | ours: mean ± std (seeds) | paper: mean ± std (seeds) | ours vs paper |',
        '| ---: | ---: | ---: | ---: | :--- |',
      );
      for (const row of c.rows) {
        const ours = row.ours
          ? `${formatMeanStd(row.ours.mean, row.ours.std)} (${row.ours.n})`
          : 'not reached';
        const paper = row.paper ? `${formatMeanStd(row.paper.mean, row.paper.std)} (${row.paper.n})` : '';
        lines.push(`| ${row.updates} | ${row.envSteps} | ${ours} | ${paper} | ${row.verdict ?? ''} |`);
      }
    }
    const last = c.ours.at(-1);
    if (last)
      lines.push(
        '',
        `Our latest point: ${formatNumber(last.mean)} at ${last.step} updates (${last.n} seed${last.n === 1 ? '' : 's'}).`,
      );
  }
  return lines.join('\n') + '\n';
}

export async function compareCommand(flags: CompareFlags, print: (line: string) => void): Promise<string[]> {
  const runs = flags.runs.map((dir) => readComparedRun(dir));
  const comparisons = compareRuns(runs);
  const out = resolve(flags.out);
  mkdirSync(join(out, 'figures'), { recursive: true });
  const files: string[] = [];
  const write = (name: string, content: string | Buffer) => {
    writeFileSync(join(out, name), content);
    files.push(join(out, name));
  };
  write('compare.md', renderCompareMarkdown(comparisons));
  write(
    'compare.json',
    toJson(
      comparisons.map((c) => ({
        envId: c.envId,
        paperTask: c.paperTask ?? null,
        runs: c.runs.map((r) => ({
          dir: relative(out, r.dir),
          seed: r.seed,
          preset: r.preset,
          precision: r.precision,
          warmupSteps: r.warmupSteps,
        })),
        rows: c.rows,
        ours: c.ours,
        paper: c.paper,
        notes: c.notes,
      })),
    ),
  );
  for (const c of comparisons) {
    const curve = await renderFigure(compareSpec(c));
    write(`figures/compare-${fileName(c.envId)}.svg`, curve.svg);
    write(`figures/compare-${fileName(c.envId)}.png`, curve.png);
    const spec = diagnosticsSpec(c);
    if (spec) {
      const diagnostics = await renderFigure(spec);
      write(`figures/diagnostics-${fileName(c.envId)}.svg`, diagnostics.svg);
      write(`figures/diagnostics-${fileName(c.envId)}.png`, diagnostics.png);
    }
  }
  print(
    `compare: ${comparisons.length} task${comparisons.length === 1 ? '' : 's'}, ${runs.length} run${runs.length === 1 ? '' : 's'} -> ${out}`,
  );
  for (const c of comparisons) {
    const reached = c.rows.filter((r) => r.verdict);
    print(
      `  ${c.envId}: ` +
        (reached.length === 0
          ? 'no evaluation at a paper point yet'
          : reached.map((r) => `${r.updates} updates ${r.verdict}`).join(', ')),
    );
  }
  return files;
}
