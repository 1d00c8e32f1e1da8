/**
 * `mbrl-repro report --runs DIR [--out DIR]`: reads the grid, then writes
 *   table1.md, table1.csv      Table 1 with the paper's values, flags, wall-clock per step
 *   wall-clock.csv             wall-clock per environment step per task and method
 *   summary.json               every number of the tables, per-seed results and the curves
 *   figures/curves-<env>.svg|png, figures/wall-clock.svg|png
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { toCsv } from '@mbrl-ts/eval';
import { buildCurves } from './curves';
import { learningCurveSpec, renderFigure, wallClockSpec } from './figures';
import { toJson } from './format';
import { renderMarkdown } from './markdown';
import { readGrid } from './read-runs';
import { buildTable1, type Table1 } from './table1';
import { buildWallClock } from './wall-clock';

export interface ReportFlags {
  readonly runs: string;
  readonly out: string;
}

export interface ReportResult {
  readonly table: Table1;
  readonly files: readonly string[];
}

function table1Rows(table: Table1) {
  return table.cells.map((c) => {
    const task = table.tasks.find((t) => t.envId === c.envId)!;
    const method = table.methods.find((m) => m.algo === c.algo)!;
    return {
      task: task.name,
      env_id: c.envId,
      method: method.label,
      algo: c.algo,
      seeds: c.n,
      seeds_asked: table.asked.seeds,
      final_return_mean: c.mean,
      final_return_std: c.std,
      ci95_low: c.ci95[0],
      ci95_high: c.ci95[1],
      steps_min: c.stepsMin,
      steps_max: c.stepsMax,
      steps_asked: table.asked.steps,
      best: c.best,
      flags: c.flags.join('; '),
      paper_mean: c.paper?.mean ?? NaN,
      paper_std: c.paper?.std ?? NaN,
    };
  });
}

export async function writeReport(flags: ReportFlags): Promise<ReportResult> {
  const out = resolve(flags.out);
  const grid = readGrid(flags.runs, [out]);
  const table = buildTable1(grid);
  const wallClock = buildWallClock(grid);
  // the tables' order: tasks as in Table 1 / grid.json, methods as in the paper
  const taskIndex = (envId: string) => table.tasks.findIndex((t) => t.envId === envId);
  const methodIndex = (algo: string) => table.methods.findIndex((m) => m.algo === algo);
  wallClock.cells.sort(
    (a, b) => taskIndex(a.envId) - taskIndex(b.envId) || methodIndex(a.algo) - methodIndex(b.algo),
  );
  const curves = buildCurves(grid, table.tasks, table.methods);
  mkdirSync(join(out, 'figures'), { recursive: true });
  const files: string[] = [];
  const write = (name: string, content: string | Buffer) => {
    writeFileSync(join(out, name), content);
    files.push(name);
  };

  const figures: Array<{ title: string; svg: string; png: string }> = [];
  const figure = async (name: string, title: string, spec: Parameters<typeof renderFigure>[0]) => {
    const rendered = await renderFigure(spec);
    write(`figures/${name}.svg`, rendered.svg);
    write(`figures/${name}.png`, rendered.png);
    figures.push({ title, svg: `figures/${name}.svg`, png: `figures/${name}.png` });
  };
  for (const task of table.tasks) {
    const taskCurves = curves.filter((c) => c.envId === task.envId);
    if (taskCurves.length > 0)
      await figure(
        `curves-${task.envId}`,
        `learning curves, ${task.name}`,
        learningCurveSpec(task, taskCurves, table.methods),
      );
  }
  if (wallClock.cells.length > 0)
    await figure(
      'wall-clock',
      'wall-clock per environment step',
      wallClockSpec(wallClock.cells, table.tasks, table.methods),
    );

  write('table1.md', renderMarkdown({ runsDir: grid.root, table, wallClock: wallClock.cells, figures }));
  const rows = table1Rows(table);
  write(
    'table1.csv',
    toCsv(rows, Object.keys(rows[0] ?? { task: '' }) as Array<keyof (typeof rows)[number] & string>),
  );
  write(
    'wall-clock.csv',
    toCsv(wallClock.cells, [
      'envId',
      'algo',
      'n',
      'msPerStepWhole',
      'msPerStepWholeStd',
      'msPerStepTraining',
      'msPerStepTrainingStd',
      'hoursPer200k',
    ]),
  );
  write(
    'summary.json',
    toJson({
      runsDir: grid.root,
      asked: table.asked,
      tasks: table.tasks,
      methods: table.methods,
      table1: table.cells,
      missing: table.missing,
      wallClock: wallClock.cells,
      wallClockRuns: wallClock.runs,
      curves,
    }),
  );
  return { table, files };
}

export async function reportCommand(
  flags: ReportFlags,
  context: { print: (line: string) => void },
): Promise<void> {
  const result = await writeReport(flags);
  const out = resolve(flags.out);
  context.print(
    `report: ${result.table.cells.length} cell(s), ${result.table.missing.length} missing, ` +
      `${result.table.cells.filter((c) => c.flags.length > 0).length} flagged; wrote ${result.files.length} files to ${out}`,
  );
  context.print(`  ${join(out, 'table1.md')}`);
}
