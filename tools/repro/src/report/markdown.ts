/**
 * table1.md: Table 1 (ours beside the paper's), flagged and missing cells, wall-clock per step, the
 * figures, and the paper's full Table 1 for reference.
 */
import { PAPER_TABLE1, PAPER_TABLE1_SEEDS, PAPER_TABLE1_STEPS } from '../paper-table1';
import { TABLE1_TASKS } from '../tasks';
import { formatMeanStd, formatNumber, formatSteps } from './format';
import { cellAt, type Table1 } from './table1';
import type { WallClockCell } from './wall-clock';

/** The wall-clock figure's file, shown under the wall-clock table. */
export const WALL_CLOCK_FIGURE = 'figures/wall-clock.png';

export interface MarkdownInput {
  readonly runsDir: string;
  readonly table: Table1;
  readonly wallClock: readonly WallClockCell[];
  /** Figure files relative to the report directory. */
  readonly figures: ReadonlyArray<{ readonly title: string; readonly svg: string; readonly png: string }>;
}

function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function tableLines(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [row(header), row(header.map(() => '---')), ...rows.map(row)];
}

/** Bold the best paper mean per task among the rows shown. */
function paperBest(table: Table1, paperTask: string): number {
  const values = table.methods.map((m) =>
    m.paperRow ? PAPER_TABLE1[m.paperRow]?.[paperTask]?.mean : undefined,
  );
  return Math.max(...values.filter((v): v is number => v !== undefined));
}

export function renderMarkdown(input: MarkdownInput): string {
  const { table } = input;
  const out: string[] = [];
  out.push('# Table 1 reproduction', '');
  out.push(
    `Runs: \`${input.runsDir}\`. Asked: ${table.asked.steps} environment steps and ${table.asked.seeds} seeds per cell ` +
      `(${table.asked.source === 'grid.json' ? 'from grid.json' : 'inferred from the runs: no grid.json'}).`,
    '',
    "Each cell: the final evaluation return (the deterministic policy's mean return over the evaluation episodes " +
      "at a run's last evaluation), mean ± sample standard deviation over seeds, then (seeds, steps reached). " +
      '**Bold**: best mean per task, among our runs and, in the paper columns, among the paper rows shown. ' +
      `⚠: fewer seeds or steps than asked (see below). The paper's values are after ${formatSteps(PAPER_TABLE1_STEPS)} steps over ` +
      `${PAPER_TABLE1_SEEDS} seeds, on the MuJoCo-py -v2 tasks.`,
    '',
  );

  const header = ['Method'];
  for (const task of table.tasks) header.push(task.name, ...(task.inPaper ? ['paper'] : []));
  const rows = table.methods.map((method) => {
    const cells = [method.label];
    for (const task of table.tasks) {
      const cell = cellAt(table, task.envId, method.algo);
      if (!cell) cells.push('missing');
      else {
        const value = formatMeanStd(cell.mean, cell.std);
        const steps =
          cell.stepsMin === cell.stepsMax
            ? formatSteps(cell.stepsMin)
            : `${formatSteps(cell.stepsMin)}-${formatSteps(cell.stepsMax)}`;
        cells.push(
          `${cell.best ? `**${value}**` : value} (${cell.n} seed${cell.n === 1 ? '' : 's'}, ${steps})${cell.flags.length > 0 ? ' ⚠' : ''}`,
        );
      }
      if (task.inPaper) {
        const paperRow = method.paperRow ? PAPER_TABLE1[method.paperRow] : undefined;
        const value = paperRow?.[task.name];
        if (!value) cells.push('—');
        else {
          const text = `${value.mean} ± ${value.std}`;
          cells.push(value.mean === paperBest(table, task.name) ? `**${text}**` : text);
        }
      }
    }
    return cells;
  });
  out.push(...tableLines(header, rows), '');

  const taskName = (envId: string) => table.tasks.find((t) => t.envId === envId)?.name ?? envId;
  const methodLabel = (algo: string) => table.methods.find((m) => m.algo === algo)?.label ?? algo;
  const flagged = table.cells.filter((c) => c.flags.length > 0);
  if (flagged.length > 0) {
    out.push('Flagged cells:', '');
    for (const c of flagged)
      out.push(`- ${taskName(c.envId)} / ${methodLabel(c.algo)}: ${c.flags.join('; ')}`);
    out.push('');
  }
  if (table.missing.length > 0) {
    out.push('Missing cells (shown as "missing", not as a number):', '');
    for (const m of table.missing) out.push(`- ${taskName(m.envId)} / ${methodLabel(m.algo)}: ${m.reason}`);
    out.push('');
  }

  out.push("## Wall-clock time per environment step (the paper's Figure 3, bottom)", '');
  out.push(
    "From each run's evaluations.csv `wall_s`. *Whole run*: wall_s / steps at the last evaluation (warm-up, " +
      'updates, evaluations and checkpoints included). *Training*: the slope between the first evaluation after the ' +
      'warm-up and the last one (needs two). Mean ± std over seeds; hours for 200k steps at the training rate ' +
      '(the whole-run rate where there is no training slope).',
    '',
  );
  const wallRows = input.wallClock.map((c) => [
    taskName(c.envId),
    methodLabel(c.algo),
    String(c.n),
    formatMeanStd(c.msPerStepWhole, c.msPerStepWholeStd),
    formatMeanStd(c.msPerStepTraining, c.msPerStepTrainingStd),
    formatNumber(c.hoursPer200k),
  ]);
  out.push(
    ...tableLines(
      ['Task', 'Method', 'seeds', 'ms/step (whole run)', 'ms/step (training)', 'h per 200k steps'],
      wallRows,
    ),
    '',
  );

  const wallClockFigure = input.figures.find((f) => f.png === WALL_CLOCK_FIGURE);
  if (wallClockFigure) out.push(`![${wallClockFigure.title}](${wallClockFigure.png})`, '');

  const curveFigures = input.figures.filter((f) => f !== wallClockFigure);
  if (input.figures.length > 0) {
    out.push('## Figures', '');
    for (const f of input.figures) out.push(`- ${f.title}: [${f.svg}](${f.svg}), [${f.png}](${f.png})`);
    out.push('');
    for (const f of curveFigures) out.push(`![${f.title}](${f.png})`, '');
  }

  out.push("## The paper's Table 1 (for reference)", '');
  const paperHeader = ['Method', ...TABLE1_TASKS.map((t) => t.paperName)];
  const paperRows = Object.entries(PAPER_TABLE1).map(([name, values]) => [
    name,
    ...TABLE1_TASKS.map((t) => `${values[t.paperName].mean} ± ${values[t.paperName].std}`),
  ]);
  out.push(...tableLines(paperHeader, paperRows), '');
  return out.join('\n');
}
