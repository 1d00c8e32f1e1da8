/**
 * The report of an ablation grid for one task, written to `<out>/report/<env>/`:
 *
 *   ablations.md                 per set: a table (final evaluation return, mean ± sample std over
 *                                seeds, steps reached, flags) and its figure; wall-clock per variant
 *   summary.json                 every number of the tables and the curves
 *   figures/ablation-<set>.svg|png  mean learning curve with a ± std band per variant
 *
 * The grid is read with the report's reader (same checks, same errors); a run under a variant's
 * directory must be a run of that variant (its algorithm and its ablation settings).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { summarize } from '@mbrl-ts/eval';
import { RunDirectoryProblem } from '../errors';
import { buildCurves, type MethodCurve } from '../report/curves';
import { learningCurveSpec, renderFigure } from '../report/figures';
import { formatMeanStd, formatSteps, toJson } from '../report/format';
import { readGrid, type GridLayout, type RunRecord, type SavedConfig } from '../report/read-runs';
import type { Method, Task } from '../report/table1';
import { buildWallClock, type WallClockCell } from '../report/wall-clock';
import { ABLATION_VARIANTS, ablationVariant, type AblationSet, type AblationVariant } from './variants';

export interface VariantRow {
  readonly variant: string;
  readonly label: string;
  /** Seeds with at least one evaluation. */
  readonly n: number;
  readonly mean: number;
  /** Sample std over seeds; NaN for one seed. */
  readonly std: number;
  readonly finalReturns: readonly number[];
  readonly stepsMin: number;
  readonly stepsMax: number;
  /** Why the row falls short of what was asked. */
  readonly flags: readonly string[];
}

export interface SetReport {
  readonly set: string;
  readonly figure: string;
  readonly title: string;
  readonly rows: readonly VariantRow[];
  /** Variants of the set with no evaluated run. */
  readonly missing: readonly string[];
}

/** How an ablation grid's <variant> level maps to runs. */
export const ABLATION_LAYOUT: GridLayout = {
  algoOf: (dir) => ablationVariant(dir)?.algo ?? dir,
  checkRun: (dir: string, algoDir: string, config: SavedConfig) => {
    const variant = ablationVariant(algoDir);
    if (!variant)
      throw new RunDirectoryProblem(dir, `sits under "${algoDir}", which is not an ablation variant`);
    const mismatch = (settings: Readonly<Record<string, unknown>>) =>
      Object.entries(settings).find(([key, value]) => config.agent?.[key] !== value);
    const wrong = mismatch(variant.settings);
    if (wrong && (!variant.legacySettings || mismatch(variant.legacySettings))) {
      const [key, value] = wrong;
      throw new RunDirectoryProblem(
        dir,
        `is not a run of the variant ${variant.label}: its config.json has ${key}=${JSON.stringify(config.agent?.[key])}, the variant needs ${JSON.stringify(value)}`,
      );
    }
  },
};

function variantRow(
  variant: AblationVariant,
  runs: readonly RunRecord[],
  asked: { steps: number; seeds: number },
): VariantRow | undefined {
  const finals = runs
    .map((r) => ({ seed: r.seed, last: r.evaluations.at(-1) }))
    .filter((r): r is { seed: number; last: NonNullable<typeof r.last> } => r.last !== undefined)
    .sort((a, b) => a.seed - b.seed);
  if (finals.length === 0) return undefined;
  const s = summarize(finals.map((f) => f.last.returnMean));
  const steps = finals.map((f) => f.last.step);
  const flags: string[] = [];
  if (finals.length < asked.seeds) flags.push(`${finals.length} of ${asked.seeds} seeds`);
  const short = finals.filter((f) => f.last.step < asked.steps).map((f) => `seed${f.seed} at ${f.last.step}`);
  if (short.length > 0) flags.push(`fewer steps than the ${asked.steps} asked (${short.join(', ')})`);
  return {
    variant: variant.key,
    label: variant.label,
    n: s.n,
    mean: s.mean,
    std: s.std,
    finalReturns: finals.map((f) => f.last.returnMean),
    stepsMin: Math.min(...steps),
    stepsMax: Math.max(...steps),
    flags,
  };
}

function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)];
}

export interface AblationReport {
  readonly dir: string;
  readonly sets: readonly SetReport[];
  readonly wallClock: readonly WallClockCell[];
  readonly files: readonly string[];
}

export async function writeAblationReport(options: {
  readonly root: string;
  readonly envId: string;
  readonly sets: readonly AblationSet[];
  readonly asked: { readonly steps: number; readonly seeds: number };
}): Promise<AblationReport> {
  const root = resolve(options.root);
  const reportRoot = join(root, 'report');
  const grid = readGrid(root, [reportRoot], ABLATION_LAYOUT);
  const runs = grid.runs.filter((r) => r.envId === options.envId);
  const taskGrid = { ...grid, runs, starting: grid.starting.filter((r) => r.envId === options.envId) };
  const task: Task = { envId: options.envId, name: options.envId, inPaper: false };
  const out = join(reportRoot, options.envId);
  mkdirSync(join(out, 'figures'), { recursive: true });
  const files: string[] = [];
  const write = (name: string, content: string | Buffer) => {
    writeFileSync(join(out, name), content);
    files.push(name);
  };

  const setReports: SetReport[] = [];
  const curvesBySet: Record<string, MethodCurve[]> = {};
  const md: string[] = [`# Ablations on ${options.envId}`, ''];
  md.push(
    `Runs: \`${root}\`. Asked: ${options.asked.steps} environment steps and ${options.asked.seeds} seed(s) per variant. ` +
      "Each row: the final evaluation return (the deterministic policy's mean return at a run's last evaluation), " +
      'mean ± sample standard deviation over seeds, the seeds and the steps reached; ⚠: fewer seeds or steps than asked.',
    '',
  );
  for (const set of options.sets) {
    const variants = set.variants.map((key) => ablationVariant(key)!);
    const methods: Method[] = variants.map((v) => ({ algo: v.key, label: v.label }));
    const rows: VariantRow[] = [];
    const missing: string[] = [];
    for (const variant of variants) {
      const row = variantRow(
        variant,
        runs.filter((r) => r.algo === variant.key),
        options.asked,
      );
      if (row) rows.push(row);
      else missing.push(variant.key);
    }
    setReports.push({ set: set.key, figure: set.figure, title: set.title, rows, missing });
    const curves = buildCurves(taskGrid, [task], methods);
    curvesBySet[set.key] = curves;

    md.push(`## ${set.title} (\`${set.key}\`, the paper's ${set.figure})`, '');
    const best = Math.max(...rows.map((r) => r.mean));
    md.push(
      ...markdownTable(
        ['Variant', 'final return', 'seeds', 'steps'],
        variants.map((v) => {
          const row = rows.find((r) => r.variant === v.key);
          if (!row) return [v.label, 'missing', '0', '—'];
          const value = formatMeanStd(row.mean, row.std);
          const steps =
            row.stepsMin === row.stepsMax
              ? formatSteps(row.stepsMin)
              : `${formatSteps(row.stepsMin)}-${formatSteps(row.stepsMax)}`;
          return [
            v.label,
            `${row.mean === best ? `**${value}**` : value}${row.flags.length > 0 ? ' ⚠' : ''}`,
            String(row.n),
            steps,
          ];
        }),
      ),
      '',
    );
    for (const row of rows.filter((r) => r.flags.length > 0))
      md.push(`- ⚠ ${row.label}: ${row.flags.join('; ')}`);
    if (rows.some((r) => r.flags.length > 0)) md.push('');
    if (curves.length > 0) {
      const name = `figures/ablation-${set.key}`;
      const rendered = await renderFigure(
        learningCurveSpec(task, curves, methods, {
          text: `${set.title}, ${options.envId}`,
          subtitle: `the paper's ${set.figure}; evaluation return, mean ± std over seeds`,
        }),
      );
      write(`${name}.svg`, rendered.svg);
      write(`${name}.png`, rendered.png);
      md.push(`![${set.title}](${name}.png)`, '');
    }
  }

  const usedKeys = new Set(options.sets.flatMap((s) => s.variants));
  const order = (key: string) => ABLATION_VARIANTS.findIndex((v) => v.key === key);
  const wallClock = buildWallClock(taskGrid)
    .cells.filter((c) => usedKeys.has(c.algo))
    .sort((a, b) => order(a.algo) - order(b.algo));
  const label = (key: string) => ablationVariant(key)?.label ?? key;
  md.push('## Wall-clock time per environment step', '');
  md.push(
    "From each run's evaluations.csv `wall_s`, as in the Table 1 report: *whole run* = wall_s / steps at the last " +
      'evaluation; *training* = the slope after the warm-up. Mean ± std over seeds.',
    '',
  );
  md.push(
    ...markdownTable(
      ['Variant', 'seeds', 'ms/step (whole run)', 'ms/step (training)'],
      wallClock.map((c) => [
        label(c.algo),
        String(c.n),
        formatMeanStd(c.msPerStepWhole, c.msPerStepWholeStd),
        formatMeanStd(c.msPerStepTraining, c.msPerStepTrainingStd),
      ]),
    ),
    '',
  );
  write('ablations.md', md.join('\n'));
  write(
    'summary.json',
    toJson({
      runsDir: root,
      envId: options.envId,
      asked: options.asked,
      sets: setReports,
      wallClock: wallClock.map((c) => ({ ...c, label: label(c.algo) })),
      curves: curvesBySet,
    }),
  );
  return { dir: out, sets: setReports, wallClock, files };
}

/** One line per set for the terminal: each variant's final return. */
export function describeSets(report: AblationReport): string[] {
  return report.sets.map(
    (s) =>
      `  ${s.set}: ` +
      [
        ...s.rows.map(
          (r) => `${r.label} ${formatMeanStd(r.mean, r.std)} (${r.n} seed${r.n === 1 ? '' : 's'})`,
        ),
        ...s.missing.map((m) => `${ablationVariant(m)?.label ?? m} missing`),
      ].join(', '),
  );
}
