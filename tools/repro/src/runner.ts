/**
 * Runs a grid of harness runs as child processes, `parallel` at a time. Each child's stdout and
 * stderr go to `<run>/train.log`; a failing run is reported (which run, exit code, last stderr
 * line) and the others go on.
 *
 * SIGINT / SIGTERM to the runner is forwarded as SIGINT to every child, once, and no new run
 * starts: the harness then writes a checkpoint and exits with 130. (The harness notices the signal
 * when its loop next yields to the event loop, which is at its next checkpoint, so a smaller
 * checkpointEvery makes this quicker.) A second signal kills the children at once (SIGKILL); they
 * resume from their latest complete checkpoint. Children run in their own process group, so a
 * Ctrl-C at the terminal reaches them only through the runner.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { GridRun } from './grid';
import { clearUnresumableRun, inspectRun, type RunState } from './run-state';

export const RUN_LOG = 'train.log';

export interface GridRunnerOptions {
  readonly runs: readonly GridRun[];
  /** Environment steps every run must reach. */
  readonly steps: number;
  /** Repository root: the programs' bin paths are relative to it; children run there. */
  readonly repoRoot: string;
  readonly parallel: number;
  /** Settings for new runs (`--set k=v`, `--config f`), after the algorithm and task flags. */
  readonly settingsArgs: readonly string[];
  readonly print: (line: string) => void;
  /** Listen for SIGINT / SIGTERM (the CLI does; library callers may not want it). */
  readonly handleSignals?: boolean;
  /** What to do after an interruption, for the message (default: run table1 again). */
  readonly resumeHint?: string;
  /** How run `index`'s lines start (default `[index+1/total] env/algo/seed<k>`). */
  readonly tag?: (index: number) => string;
}

export type RunStatus = 'skipped' | 'succeeded' | 'failed' | 'interrupted' | 'not-started';

export interface RunOutcome {
  readonly run: GridRun;
  readonly status: RunStatus;
  readonly exitCode?: number | null;
  readonly signal?: NodeJS.Signals | null;
  /** The child's last stderr line that names an error (else its last stderr line). */
  readonly lastStderrLine?: string;
  readonly seconds?: number;
  readonly log: string;
}

export interface GridResult {
  readonly outcomes: readonly RunOutcome[];
  readonly interrupted: boolean;
}

/** The command line that trains or resumes one run. */
export function trainArgs(
  run: GridRun,
  state: RunState,
  steps: number,
  settingsArgs: readonly string[],
): string[] {
  const dir = resolve(run.dir);
  const common = [...run.algo.selectArgs, '--env', run.envId, '--steps', String(steps), '--plain'];
  if (state.kind === 'resume') return ['train', '--resume', dir, ...common];
  return [
    'train',
    ...common,
    '--seed',
    String(run.seed),
    '--out',
    dir,
    ...settingsArgs,
    ...(run.settingsArgs ?? []),
  ];
}

function describe(run: GridRun): string {
  return `${run.envId}/${run.algo.key}/seed${run.seed}`;
}

function describeState(state: RunState): string {
  switch (state.kind) {
    case 'fresh':
      return 'new run';
    case 'resume':
      return `resuming from step ${state.step}`;
    case 'restart':
      return 'restarting (it stopped before its first checkpoint)';
    case 'finished':
      return `finished at step ${state.step}`;
    case 'mismatch':
      return `created for ${state.createdFor} steps, at step ${state.step}`;
  }
}

/** The line to report for a failed child: the last one naming an error, else the last one. */
export function lastErrorLine(lines: readonly string[]): string | undefined {
  const nonEmpty = lines.map((l) => l.trim()).filter((l) => l.length > 0);
  for (let i = nonEmpty.length - 1; i >= 0; i--) if (/error/i.test(nonEmpty[i])) return nonEmpty[i];
  return nonEmpty.at(-1);
}

/** One run of the grid as a child process: what runGrid does for each run, and `cell` for its one. */
export interface CellRunOptions {
  readonly run: GridRun;
  /** How the run's lines start, e.g. `[3/8] Pendulum-v1/sac/seed0`. */
  readonly tag: string;
  readonly steps: number;
  readonly repoRoot: string;
  readonly settingsArgs: readonly string[];
  readonly print: (line: string) => void;
  /** The child's environment (default: this process's). */
  readonly env?: NodeJS.ProcessEnv;
  readonly onStart?: (child: ChildProcess) => void;
  readonly onExit?: (child: ChildProcess) => void;
  /** True once the child was asked to stop: its exit 130 or signal is then an interruption. */
  readonly stopRequested: () => boolean;
  /** What to do after an interruption, for the message. */
  readonly resumeHint: string;
}

export async function runCell(options: CellRunOptions): Promise<RunOutcome> {
  const { run, tag, steps, print } = options;
  const log = join(run.dir, RUN_LOG);
  const state = inspectRun(run.dir, steps);
  if (state.kind === 'finished') {
    print(`${tag}: skipped, ${describeState(state)}`);
    return { run, status: 'skipped', log };
  }
  if (state.kind === 'mismatch') {
    const line =
      `the run was created for ${state.createdFor} steps and the harness resumes a run only to the steps it was ` +
      `created for; use --steps ${state.createdFor}, or another --out for ${steps} steps`;
    print(`${tag}: FAILED (not started): ${line}`);
    return { run, status: 'failed', lastStderrLine: line, log };
  }
  if (state.kind === 'restart') clearUnresumableRun(run.dir);
  mkdirSync(run.dir, { recursive: true });
  const args = trainArgs(run, state, steps, options.settingsArgs);
  const bin = join(options.repoRoot, run.algo.program.bin);
  const logStream = createWriteStream(log, { flags: 'a' });
  logStream.write(`# mbrl-repro ${new Date().toISOString()}: ${run.algo.program.name} ${args.join(' ')}\n`);
  print(`${tag}: ${describeState(state)} (log ${log})`);
  const started = Date.now();
  const child = spawn(process.execPath, [bin, ...args], {
    cwd: options.repoRoot,
    env: options.env ?? process.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  options.onStart?.(child);
  const stderrTail: string[] = [];
  let partial = '';
  child.stdout.pipe(logStream, { end: false });
  child.stderr.on('data', (chunk: Buffer) => {
    logStream.write(chunk);
    const lines = (partial + chunk.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    stderrTail.push(...lines);
    stderrTail.splice(0, Math.max(0, stderrTail.length - 50));
  });
  const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(
    (done) => {
      child.on('error', (error) => {
        stderrTail.push(`could not start ${bin}: ${error.message}`);
        done({ code: null, signal: null });
      });
      child.on('close', (c, s) => done({ code: c, signal: s }));
    },
  );
  options.onExit?.(child);
  await new Promise<void>((done) => logStream.end(done));
  const seconds = (Date.now() - started) / 1000;
  const lastStderrLine = lastErrorLine([...stderrTail, partial]);
  if (code === 0) {
    print(`${tag}: done in ${seconds.toFixed(1)} s`);
    return { run, status: 'succeeded', exitCode: code, seconds, log };
  }
  if (options.stopRequested() && (code === 130 || signal !== null)) {
    print(`${tag}: stopped with a checkpoint after ${seconds.toFixed(1)} s; ${options.resumeHint}`);
    return { run, status: 'interrupted', exitCode: code, signal, seconds, log };
  }
  const how = code !== null ? `exit code ${code}` : `signal ${signal ?? 'unknown'}`;
  print(`${tag}: FAILED (${how}): ${lastStderrLine ?? 'no stderr output'} (log ${log})`);
  return { run, status: 'failed', exitCode: code, signal, lastStderrLine, seconds, log };
}

export async function runGrid(options: GridRunnerOptions): Promise<GridResult> {
  const { runs, steps, print } = options;
  const total = runs.length;
  const outcomes: RunOutcome[] = new Array(total);
  const live = new Set<ChildProcess>();
  let signalsSeen = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    signalsSeen += 1;
    print(
      signalsSeen === 1
        ? `${signal}: asking ${live.size} running run(s) to checkpoint and stop; no new run starts`
        : `${signal} again: killing ${live.size} run(s); they resume from their latest checkpoint`,
    );
    for (const child of live)
      if (child.pid !== undefined) child.kill(signalsSeen === 1 ? 'SIGINT' : 'SIGKILL');
  };
  if (options.handleSignals) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }

  const runOne = (index: number): Promise<RunOutcome> =>
    runCell({
      run: runs[index],
      tag: options.tag?.(index) ?? `[${index + 1}/${total}] ${describe(runs[index])}`,
      steps,
      repoRoot: options.repoRoot,
      settingsArgs: options.settingsArgs,
      print,
      onStart: (child) => live.add(child),
      onExit: (child) => live.delete(child),
      stopRequested: () => signalsSeen > 0,
      resumeHint: options.resumeHint ?? 'run table1 again to resume',
    });

  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < total) {
      const index = next++;
      if (signalsSeen > 0) {
        outcomes[index] = { run: runs[index], status: 'not-started', log: join(runs[index].dir, RUN_LOG) };
        continue;
      }
      outcomes[index] = await runOne(index);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(options.parallel, total)) }, worker));
  } finally {
    if (options.handleSignals) {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  }
  return { outcomes, interrupted: signalsSeen > 0 };
}

/** One line per status count and one per failed run, for the end of a table1 invocation. */
export function summarizeOutcomes(result: GridResult): string[] {
  const count = (status: RunStatus) => result.outcomes.filter((o) => o.status === status).length;
  const parts = (['skipped', 'succeeded', 'failed', 'interrupted', 'not-started'] as const)
    .filter((s) => count(s) > 0)
    .map((s) => `${count(s)} ${s}`);
  const lines = [`table1: ${result.outcomes.length} runs: ${parts.join(', ')}`];
  for (const o of result.outcomes.filter((x) => x.status === 'failed')) {
    const how =
      o.exitCode !== null && o.exitCode !== undefined
        ? `exit code ${o.exitCode}`
        : `signal ${o.signal ?? 'unknown'}`;
    lines.push(
      `  failed: ${describe(o.run)} (${how}): ${o.lastStderrLine ?? 'no stderr output'}; log ${o.log}`,
    );
  }
  return lines;
}
