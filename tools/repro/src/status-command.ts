/**
 * `mbrl-repro status --grid DIR`: one line per cell of the grid (done / running / preempted /
 * failed / pending, the steps of its latest checkpoint, its last evaluation, where its log is) and
 * a summary line. It reads only the grid's folder, the shared filesystem where the cells write:
 * each run's checkpoints and evaluations.csv (the harness's) and cell.json (what `cell` did), so
 * it works whatever ran the cells, and on any machine that sees the folder.
 */
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { algorithmEntry } from './algorithms';
import { HEARTBEAT_SECONDS, readCellState, type CellState } from './cell-state';
import { ReproInputError } from './errors';
import { GRID_MANIFEST, planGrid, readGridManifest, cellRun, type GridRun } from './grid';
import { RUN_LOG } from './runner';
import { inspectRun } from './run-state';

export type CellStatus = 'done' | 'running' | 'preempted' | 'failed' | 'pending';

export interface CellReport {
  readonly index: number;
  readonly run: GridRun;
  readonly status: CellStatus;
  /** The latest complete checkpoint's step (0 without one). */
  readonly step: number;
  readonly lastEvaluation?: { readonly step: number; readonly returnMean: number };
  readonly note?: string;
  readonly logs: readonly string[];
}

/** A running cell whose heartbeat is older than this is taken for dead. */
const STALE_SECONDS = 4 * HEARTBEAT_SECONDS;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function lastEvaluation(dir: string): CellReport['lastEvaluation'] {
  const path = join(dir, 'evaluations.csv');
  if (!existsSync(path)) return undefined;
  const lines = readFileSync(path, 'utf8').trim().split('\n');
  if (lines.length < 2) return undefined;
  const [step, , returnMean] = lines[lines.length - 1].split(',').map(Number);
  return Number.isFinite(step) && Number.isFinite(returnMean) ? { step, returnMean } : undefined;
}

/** Is the process a `running` cell.json names still there? Checked on its host, else by heartbeat. */
function stillRunning(state: CellState, now: number): { running: boolean; note?: string } {
  const age = (now - Date.parse(state.updatedAt)) / 1000;
  const where = `${state.host} pid ${state.pid}${state.job ? `, ${state.job}` : ''}`;
  if (state.host === hostname()) {
    return isAlive(state.pid)
      ? { running: true, note: where }
      : { running: false, note: `its process (${where}) is gone` };
  }
  if (!(age <= STALE_SECONDS))
    return { running: false, note: `no heartbeat from ${where} for ${Math.round(age)} s` };
  return { running: true, note: where };
}

export function cellReport(index: number, run: GridRun, steps: number, now = Date.now()): CellReport {
  const runState = inspectRun(run.dir, steps);
  const state = readCellState(run.dir);
  const step = 'step' in runState ? runState.step : 0;
  const logs = [join(run.dir, RUN_LOG), ...(state?.schedulerLog ? [state.schedulerLog] : [])].filter((p) =>
    existsSync(p),
  );
  const common = { index, run, step, lastEvaluation: lastEvaluation(run.dir), logs };
  if (runState.kind === 'finished') return { ...common, status: 'done' };
  if (runState.kind === 'mismatch')
    return { ...common, status: 'failed', note: `created for ${runState.createdFor} steps, not ${steps}` };
  if (state?.phase === 'running') {
    const live = stillRunning(state, now);
    if (live.running) return { ...common, status: 'running', note: live.note };
    return { ...common, status: step > 0 ? 'preempted' : 'pending', note: live.note };
  }
  if (state?.phase === 'failed')
    return {
      ...common,
      status: 'failed',
      note: `${state.failures} failure(s)${state.lastFailure ? `, last: ${state.lastFailure}` : ''}`,
    };
  // preempted by cell.json, or a run stopped by other means (table1 interrupted) with a checkpoint
  if (state?.phase === 'preempted' || step > 0) return { ...common, status: 'preempted' };
  return { ...common, status: 'pending' };
}

function describeCell(report: CellReport, steps: number): string {
  const { run } = report;
  const parts = [
    `${report.status}`,
    `checkpoint ${report.step}/${steps} steps`,
    report.lastEvaluation
      ? `last evaluation ${report.lastEvaluation.returnMean.toFixed(1)} at step ${report.lastEvaluation.step}`
      : 'no evaluation yet',
    ...(report.note ? [report.note] : []),
    report.logs.length > 0 ? `log ${report.logs.join(', ')}` : 'no log yet',
  ];
  return `  [${report.index}] ${run.envId}/${run.algo.key}/seed${run.seed}: ${parts.join('; ')}`;
}

export function gridStatus(gridArg: string): { lines: string[]; reports: CellReport[] } {
  const path = resolve(gridArg.endsWith('.json') ? gridArg : join(gridArg, GRID_MANIFEST));
  const out = resolve(path, '..');
  const manifest = readGridManifest(out);
  if (!manifest)
    throw new ReproInputError(`${path} does not exist: --grid expects a grid folder written by table1`);
  // a fixed grid lists its cells; a grid that table1 filled in is every task x algorithm x seed
  const runs = manifest.cells
    ? manifest.cells.map((cell) => cellRun(out, cell))
    : planGrid(out, manifest.envs, manifest.algos.map(algorithmEntry), manifest.seeds);
  const now = Date.now();
  const reports = runs.map((run, index) => cellReport(index, run, manifest.steps, now));
  const order: readonly CellReport['status'][] = ['done', 'running', 'preempted', 'failed', 'pending'];
  const counts = order
    .map((s) => [s, reports.filter((r) => r.status === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`);
  const lines = [
    `status of ${out}: ${runs.length} cells of ${manifest.steps} steps`,
    ...reports.map((r) => describeCell(r, manifest.steps)),
    `status: ${runs.length} cells: ${counts.join(', ')}`,
  ];
  return { lines, reports };
}

export function statusCommand(flags: { grid: string }, print: (line: string) => void): void {
  for (const line of gridStatus(flags.grid).lines) print(line);
}
