/**
 * `mbrl-repro cell --grid DIR/grid.json --index I`: run cell I of a fixed grid, whatever
 * scheduler started it (a Slurm array task, a Kubernetes Indexed Job pod, a shell loop). A done
 * cell is skipped, an interrupted one resumes from its latest checkpoint, a new one starts, all
 * through the table1 runner (`runCell`), with the run's log in `<run>/train.log` and what
 * happened in `<run>/cell.json`.
 *
 * Exit codes: 0 the cell is done; 1 it failed for good (maxFailures failures, or a run created
 * for other steps); 2 bad input; 75 (Slurm: requeue me) it stopped with a checkpoint before the
 * time limit, or failed fewer than maxFailures times; 128 + n it stopped with a checkpoint on
 * signal n (SIGTERM: 143).
 *
 * Signals. Outside Slurm the first SIGINT / SIGTERM / SIGHUP is passed on to the training process
 * (a Kubernetes pod's SIGTERM reaches only its main process), which checkpoints and stops. Under
 * the Slurm job script (`--slurm`), Slurm signals every process of the job itself, so the cell
 * passes nothing on (a second signal makes the harness exit at once, without its checkpoint); the
 * script's SIGURG, its relay of the time-limit warning that only the batch shell receives, is
 * passed on as SIGTERM unless Slurm's own SIGTERM arrives within half a second (then it was
 * Slurm ending the job, which signalled the training process too). SIGURG because its default
 * action is to ignore it: a relay that comes while this process is still loading, before its
 * handler is there, is lost instead of killing it (the job then ends at its time limit, when
 * Slurm's SIGTERM to every process still has the run checkpoint).
 */
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { CELL_STATE, HEARTBEAT_SECONDS, readCellState, writeCellState, type CellState } from './cell-state';
import { ReproInputError } from './errors';
import { cellRun, gridSettingsArgs, readGridManifest, GRID_MANIFEST } from './grid';
import { runCell } from './runner';
import { REQUEUE_EXIT, SLURM_LOG_DIR } from './slurm';

export interface CellFlags {
  readonly grid: string;
  readonly index: number;
  readonly slurm?: boolean;
}

export interface CellContext {
  readonly repoRoot: string;
  readonly print: (line: string) => void;
  readonly env?: NodeJS.ProcessEnv;
}

export const DEFAULT_MAX_FAILURES = 3;

const SIGNAL_NUMBERS: Readonly<Record<string, number>> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

/**
 * The training process's environment: under Slurm its product threads are the allocation's CPUs
 * (SLURM_CPUS_PER_TASK), whatever the submitting shell had set.
 */
export function cellEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const cpus = env.SLURM_CPUS_PER_TASK;
  if (cpus === undefined || !/^[0-9]+$/.test(cpus) || Number(cpus) < 1) return { ...env };
  return { ...env, MBRL_BLAS_THREADS: cpus, OMP_NUM_THREADS: cpus, OPENBLAS_NUM_THREADS: cpus };
}

/** Read grid.json (the path, or the folder holding it) of a fixed grid. */
export function readFixedGrid(gridArg: string) {
  const path = resolve(gridArg.endsWith('.json') ? gridArg : join(gridArg, GRID_MANIFEST));
  const out = dirname(path);
  const manifest = readGridManifest(out);
  if (!manifest)
    throw new ReproInputError(`${path} does not exist (write it with table1 --slurm or --shard)`);
  if (!manifest.cells)
    throw new ReproInputError(
      `${path} lists no cells (it was written by table1 without --slurm or --shard; run one of them into this folder first)`,
    );
  return { path, out, manifest, cells: manifest.cells };
}

export async function cellCommand(flags: CellFlags, context: CellContext): Promise<number> {
  const env = context.env ?? process.env;
  const { path, out, manifest, cells } = readFixedGrid(flags.grid);
  if (flags.index >= cells.length)
    throw new ReproInputError(
      `--index ${flags.index} is out of range: ${path} has ${cells.length} cells (0 .. ${cells.length - 1})`,
    );
  const cell = cells[flags.index];
  const run = cellRun(out, cell);
  const tag = `[cell ${flags.index}] ${cell.env}/${cell.algo}/seed${cell.seed}`;
  const maxFailures = manifest.maxFailures ?? DEFAULT_MAX_FAILURES;
  const previous = readCellState(run.dir);
  if (previous?.phase === 'failed' && previous.failures >= maxFailures) {
    context.print(
      `${tag}: FAILED ${previous.failures} times (the limit is ${maxFailures}), not started again: ${previous.lastFailure ?? ''}; ` +
        `delete ${join(run.dir, CELL_STATE)} to try it again`,
    );
    return 1;
  }

  const arrayJob = env.SLURM_ARRAY_JOB_ID;
  const arrayTask = env.SLURM_ARRAY_TASK_ID;
  const job =
    arrayJob && arrayTask
      ? `slurm ${arrayJob}_${arrayTask}`
      : env.SLURM_JOB_ID
        ? `slurm ${env.SLURM_JOB_ID}`
        : undefined;
  const startedAt = new Date().toISOString();
  const base: Omit<CellState, 'phase' | 'updatedAt'> = {
    index: flags.index,
    attempts: (previous?.attempts ?? 0) + 1,
    failures: previous?.failures ?? 0,
    ...(previous?.lastFailure ? { lastFailure: previous.lastFailure } : {}),
    host: hostname(),
    pid: process.pid,
    ...(job ? { job } : {}),
    ...(arrayJob && arrayTask
      ? { schedulerLog: join(out, SLURM_LOG_DIR, `${arrayJob}_${arrayTask}.out`) }
      : {}),
    startedAt,
  };
  let started = false;
  const record = (phase: CellState['phase'], extra: Partial<CellState> = {}) =>
    writeCellState(run.dir, { ...base, phase, ...extra, updatedAt: new Date().toISOString() });

  // signals: see the module comment
  let child: import('node:child_process').ChildProcess | undefined;
  let stopSignal: NodeJS.Signals | undefined;
  let timeLimitWarning = false;
  const stopChild = () => {
    if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null)
      child.kill('SIGTERM');
  };
  const onStop = (signal: NodeJS.Signals): void => {
    if (stopSignal !== undefined) return;
    stopSignal = signal;
    context.print(`${tag}: ${signal}: the run checkpoints and stops`);
    if (!flags.slurm) stopChild();
  };
  const onWarning = (): void => {
    if (!flags.slurm) return;
    setTimeout(() => {
      if (stopSignal !== undefined) return;
      stopSignal = 'SIGTERM';
      timeLimitWarning = true;
      context.print(
        `${tag}: the job's time limit is near: the run checkpoints and stops; the job requeues itself`,
      );
      stopChild();
    }, 500).unref();
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.on(s, onStop);
  process.on('SIGURG', onWarning);
  const heartbeat = setInterval(() => {
    if (started) record('running');
  }, HEARTBEAT_SECONDS * 1000);
  heartbeat.unref();

  try {
    const outcome = await runCell({
      run,
      tag,
      steps: manifest.steps,
      repoRoot: context.repoRoot,
      settingsArgs: gridSettingsArgs(manifest),
      print: context.print,
      env: cellEnvironment(env),
      onStart: (c) => {
        child = c;
        started = true;
        record('running');
        // a signal that came while the run was being prepared
        if (stopSignal !== undefined) stopChild();
      },
      stopRequested: () => stopSignal !== undefined,
      resumeHint: flags.slurm ? 'it resumes when the job starts again' : 'run the cell again to resume',
    });
    if (outcome.status === 'skipped' || outcome.status === 'succeeded') {
      if (outcome.status === 'succeeded' || previous?.phase !== 'done')
        record('done', started ? {} : { attempts: base.attempts - 1 });
      return 0;
    }
    if (outcome.status === 'interrupted') {
      record('preempted');
      if (timeLimitWarning) return REQUEUE_EXIT;
      return 128 + (SIGNAL_NUMBERS[stopSignal ?? 'SIGTERM'] ?? 15);
    }
    // failed: a run created for other steps is not retried; anything else up to maxFailures times
    const how =
      outcome.exitCode !== null && outcome.exitCode !== undefined
        ? `exit code ${outcome.exitCode}`
        : outcome.signal
          ? `signal ${outcome.signal}`
          : 'not started';
    const lastFailure = `${how}: ${outcome.lastStderrLine ?? 'no stderr output'}`;
    const failures = base.failures + 1;
    const final = !started || failures >= maxFailures;
    record('failed', {
      failures: final && !started ? maxFailures : failures,
      lastFailure,
      ...(started ? {} : { attempts: base.attempts - 1 }),
    });
    if (final) {
      context.print(
        `${tag}: failed ${started ? `${failures} time(s)` : 'before it started'}; not tried again (${lastFailure})`,
      );
      return 1;
    }
    context.print(`${tag}: failure ${failures} of at most ${maxFailures}; it is tried again`);
    return flags.slurm ? REQUEUE_EXIT : 1;
  } finally {
    clearInterval(heartbeat);
    for (const s of signals) process.off(s, onStop);
    process.off('SIGURG', onWarning);
  }
}
