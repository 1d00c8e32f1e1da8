/**
 * The numbers of Table 1 from a grid: for each task and method, the final evaluation return of
 * each seed (its last evaluation), aggregated over seeds as mean, sample std and Student-t 95% CI
 * (@mbrl-ts/eval `summarize`). The best mean per task is marked; a cell with fewer seeds or fewer
 * steps than asked is flagged with the reason. Tasks and methods without runs are missing, never 0.
 */
import { summarize } from '@mbrl-ts/eval';
import { ALGORITHMS, algorithmEntry } from '../algorithms';
import { paperValue, type PaperValue } from '../paper-table1';
import { paperTaskName, TABLE1_TASKS } from '../tasks';
import type { GridRecords, RunRecord } from './read-runs';

export interface Asked {
  readonly steps: number;
  readonly seeds: number;
  /** Where the numbers come from: grid.json, or inferred from the runs when it is absent. */
  readonly source: 'grid.json' | 'inferred';
}

export interface Task {
  readonly envId: string;
  /** Column name: the paper's name for Table 1 tasks, else the env id. */
  readonly name: string;
  readonly inPaper: boolean;
}

export interface Method {
  readonly algo: string;
  readonly label: string;
  readonly paperRow?: string;
}

export interface SeedResult {
  readonly seed: number;
  /** Step of the run's last evaluation. */
  readonly step: number;
  readonly finalReturn: number;
}

export interface Table1Cell {
  readonly envId: string;
  readonly algo: string;
  /** Seeds with at least one evaluation, by seed. */
  readonly results: readonly SeedResult[];
  /** Run directories that exist but have not evaluated yet. */
  readonly pendingSeeds: readonly number[];
  readonly n: number;
  readonly mean: number;
  /** Sample std over seeds; NaN with fewer than 2 seeds. */
  readonly std: number;
  readonly ci95: readonly [number, number];
  readonly stepsMin: number;
  readonly stepsMax: number;
  readonly best: boolean;
  /** Why the cell falls short of what was asked; empty when it does not. */
  readonly flags: readonly string[];
  readonly paper?: PaperValue;
}

export interface Table1 {
  readonly asked: Asked;
  readonly tasks: readonly Task[];
  readonly methods: readonly Method[];
  /** One per (task, method) with at least one evaluated seed. */
  readonly cells: readonly Table1Cell[];
  /** (task, method) pairs of the grid with no evaluated seed. */
  readonly missing: ReadonlyArray<{ readonly envId: string; readonly algo: string; readonly reason: string }>;
}

function orderTasks(envIds: Iterable<string>, manifestEnvs: readonly string[]): Task[] {
  const ids = [...new Set(envIds)];
  const rank = (id: string): number => {
    const m = manifestEnvs.indexOf(id);
    if (m >= 0) return m;
    const t = TABLE1_TASKS.findIndex((task) => task.envId === id);
    return t >= 0 ? 1000 + t : 2000;
  };
  ids.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return ids.map((envId) => {
    const paperName = paperTaskName(envId);
    return { envId, name: paperName ?? envId, inPaper: paperName !== undefined };
  });
}

function orderMethods(algos: Iterable<string>): Method[] {
  const keys = [...new Set(algos)];
  const rank = (key: string): number => {
    const i = ALGORITHMS.findIndex((a) => a.key === key);
    return i >= 0 ? i : ALGORITHMS.length;
  };
  keys.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return keys.map((algo) => {
    const entry = algorithmEntry(algo);
    return { algo, label: entry.label, paperRow: entry.paperRow };
  });
}

export function askedOf(grid: GridRecords): Asked {
  if (grid.manifest) return { steps: grid.manifest.steps, seeds: grid.manifest.seeds, source: 'grid.json' };
  if (grid.runs.length === 0) return { steps: NaN, seeds: NaN, source: 'inferred' };
  const bySeedCount = new Map<string, number>();
  // seeds per cell: evaluated or not, starting or not
  for (const run of [...grid.runs, ...grid.starting]) {
    const key = `${run.envId}/${run.algo}`;
    bySeedCount.set(key, (bySeedCount.get(key) ?? 0) + 1);
  }
  return {
    steps: Math.max(...grid.runs.map((r) => r.totalSteps)),
    seeds: Math.max(...bySeedCount.values()),
    source: 'inferred',
  };
}

export function buildTable1(grid: GridRecords): Table1 {
  const asked = askedOf(grid);
  const all = [...grid.runs, ...grid.starting];
  const tasks = orderTasks(
    [...(grid.manifest?.envs ?? []), ...all.map((r) => r.envId)],
    grid.manifest?.envs ?? [],
  );
  const methods = orderMethods([...(grid.manifest?.algos ?? []), ...all.map((r) => r.algo)]);
  const cells: Table1Cell[] = [];
  const missing: Array<{ envId: string; algo: string; reason: string }> = [];
  for (const task of tasks) {
    const taskCells: Table1Cell[] = [];
    for (const method of methods) {
      const runs = grid.runs
        .filter((r) => r.envId === task.envId && r.algo === method.algo)
        .sort((a, b) => a.seed - b.seed);
      const starting = grid.starting
        .filter((r) => r.envId === task.envId && r.algo === method.algo)
        .map((r) => r.seed);
      const cell = buildCell(task, method, runs, starting, asked);
      if (cell) taskCells.push(cell);
      else {
        const count = runs.length + starting.length;
        missing.push({
          envId: task.envId,
          algo: method.algo,
          reason: count === 0 ? 'no run directory' : `${count} run(s), none evaluated yet`,
        });
      }
    }
    const bestMean = Math.max(...taskCells.map((c) => c.mean));
    cells.push(...taskCells.map((c) => ({ ...c, best: c.mean === bestMean })));
  }
  return { asked, tasks, methods, cells, missing };
}

function buildCell(
  task: Task,
  method: Method,
  runs: readonly RunRecord[],
  startingSeeds: readonly number[],
  asked: Asked,
): Table1Cell | undefined {
  const results: SeedResult[] = [];
  const pendingSeeds: number[] = [...startingSeeds];
  for (const run of runs) {
    const last = run.evaluations.at(-1);
    if (last) results.push({ seed: run.seed, step: last.step, finalReturn: last.returnMean });
    else pendingSeeds.push(run.seed);
  }
  if (results.length === 0) return undefined;
  const s = summarize(results.map((r) => r.finalReturn));
  const steps = results.map((r) => r.step);
  const stepsMin = Math.min(...steps);
  const flags: string[] = [];
  if (results.length < asked.seeds) flags.push(`${results.length} of ${asked.seeds} seeds`);
  if (stepsMin < asked.steps) {
    const short = results.filter((r) => r.step < asked.steps).map((r) => `seed${r.seed} at ${r.step}`);
    flags.push(`fewer steps than the ${asked.steps} asked (${short.join(', ')})`);
  }
  return {
    envId: task.envId,
    algo: method.algo,
    results,
    pendingSeeds,
    n: s.n,
    mean: s.mean,
    std: s.std,
    ci95: s.ci95,
    stepsMin,
    stepsMax: Math.max(...steps),
    best: false,
    flags,
    paper: paperValue(method.paperRow, paperTaskName(task.envId)),
  };
}

export function cellAt(table: Table1, envId: string, algo: string): Table1Cell | undefined {
  return table.cells.find((c) => c.envId === envId && c.algo === algo);
}
