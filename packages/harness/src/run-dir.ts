/**
 * A self-describing run directory:
 *
 *   <run>/config.json        the resolved configuration (every default filled in)
 *   <run>/metrics.jsonl      one JSON object per logged update: { step, ...metrics }
 *   <run>/evaluations.csv    step,episodes,return_mean,return_std,length_mean,wall_s
 *   <run>/checkpoints/       checkpoint-<step>/ (see CheckpointStore)
 *   <run>/run.lock           while a process owns the run (see RunLock)
 *
 * On resume from a checkpoint at step S, log lines written after S are dropped, so the logs of a
 * resumed run read exactly like those of a run that was never interrupted. The logs are never
 * rewritten in place: the cut is written to a new file that is renamed over the old one, so a kill
 * at any moment leaves either the old file or the cut one. A torn last line (a kill or a full disk
 * during an append) is dropped with a warning; damage before the last line is an error.
 */
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { writeFileAtomic, writeJsonAtomic } from './atomic';
import { CheckpointStore } from './checkpoints';
import { checkOutputPlace, nearestExisting, RunDirectoryError } from './output-place';
import { RunLock } from './run-lock';

export { RunDirectoryError } from './output-place';

export const EVALUATION_COLUMNS = [
  'step',
  'episodes',
  'return_mean',
  'return_std',
  'length_mean',
  'wall_s',
] as const;

export interface EvaluationRow {
  readonly step: number;
  readonly episodes: number;
  readonly return_mean: number;
  readonly return_std: number;
  readonly length_mean: number;
  readonly wall_s: number;
}

export class RunDirectory {
  readonly checkpoints: CheckpointStore;

  private constructor(
    readonly path: string,
    keepCheckpoints: number,
  ) {
    this.checkpoints = new CheckpointStore(join(path, 'checkpoints'), keepCheckpoints);
  }

  get configPath(): string {
    return join(this.path, 'config.json');
  }
  get metricsPath(): string {
    return join(this.path, 'metrics.jsonl');
  }
  get evaluationsPath(): string {
    return join(this.path, 'evaluations.csv');
  }

  /** Create a new run directory; refuses to reuse one that already holds a run. */
  static create(path: string, config: unknown, keepCheckpoints = 2): RunDirectory {
    const dir = checkOutputPlace(path);
    if (existsSync(join(dir, 'config.json'))) {
      throw new RunDirectoryError(
        `${dir} already holds a run (config.json exists); use --resume ${dir} or another --out`,
      );
    }
    mkdirSync(dir, { recursive: true });
    const run = new RunDirectory(dir, keepCheckpoints);
    writeJsonAtomic(run.configPath, config);
    writeFileAtomic(run.evaluationsPath, EVALUATION_COLUMNS.join(',') + '\n');
    writeFileAtomic(run.metricsPath, '');
    return run;
  }

  /** Open an existing run directory (for --resume or eval). */
  static open(path: string, keepCheckpoints = 2): RunDirectory {
    const dir = resolve(path);
    if (!existsSync(dir)) throw new RunDirectoryError(`run directory ${dir} does not exist`);
    if (!existsSync(join(dir, 'config.json'))) {
      throw new RunDirectoryError(`${dir} is not a run directory (no config.json)`);
    }
    return new RunDirectory(dir, keepCheckpoints);
  }

  readConfig<T = unknown>(): T {
    try {
      return JSON.parse(readFileSync(this.configPath, 'utf8')) as T;
    } catch (error) {
      throw new RunDirectoryError(`${this.configPath} is not valid JSON: ${(error as Error).message}`);
    }
  }

  logMetrics(step: number, metrics: Record<string, number>): void {
    appendNamingPath(this.metricsPath, JSON.stringify({ step, ...metrics }) + '\n');
  }

  logEvaluation(row: EvaluationRow): void {
    appendNamingPath(this.evaluationsPath, EVALUATION_COLUMNS.map((c) => String(row[c])).join(',') + '\n');
  }

  readEvaluations(): EvaluationRow[] {
    const lines = readFileSync(this.evaluationsPath, 'utf8').trim().split('\n');
    const header = lines[0]?.split(',');
    if (header?.join(',') !== EVALUATION_COLUMNS.join(',')) {
      throw new RunDirectoryError(`${this.evaluationsPath} has an unexpected header: ${lines[0]}`);
    }
    return lines.slice(1).map((line) => {
      const cells = line.split(',').map(Number);
      return Object.fromEntries(EVALUATION_COLUMNS.map((c, i) => [c, cells[i]])) as unknown as EvaluationRow;
    });
  }

  /**
   * Cut the logs back to `step` (rows after it belong to the part of the run that is redone). Each
   * file is written anew and renamed over the old one, and only when its content changes. A missing
   * file is started again and a torn last line dropped, each with a warning to `warn`.
   */
  cutLogsTo(step: number, warn: (line: string) => void = () => {}): void {
    this.removeStaleTemporaries();
    const metrics = readLog(this.metricsPath, warn);
    const keptMetrics: string[] = [];
    metrics.lines.forEach((line, i) => {
      let row: { step?: unknown };
      try {
        row = JSON.parse(line) as { step?: unknown };
      } catch {
        return tornOrDamaged(this.metricsPath, i, metrics, 'is not JSON', warn);
      }
      if (typeof row?.step !== 'number' || !Number.isSafeInteger(row.step)) {
        return tornOrDamaged(this.metricsPath, i, metrics, 'has no integer "step"', warn);
      }
      if (row.step <= step) keptMetrics.push(line);
    });
    rewriteIfChanged(this.metricsPath, metrics.text, joinLines(keptMetrics));

    const header = EVALUATION_COLUMNS.join(',');
    const evals = readLog(this.evaluationsPath, warn, header + '\n');
    if (evals.lines[0] !== header) {
      throw new RunDirectoryError(
        `${this.evaluationsPath} does not start with the header ${header} (it starts ${JSON.stringify(evals.lines[0] ?? '')}); ` +
          'restore the file or move it aside to resume without its history',
      );
    }
    const keptEvals = [header];
    evals.lines.slice(1).forEach((line, j) => {
      const cells = line.split(',');
      if (
        cells.length !== EVALUATION_COLUMNS.length ||
        cells.some((c) => c === '' || !Number.isFinite(Number(c)))
      ) {
        return tornOrDamaged(
          this.evaluationsPath,
          j + 1,
          evals,
          `is not ${EVALUATION_COLUMNS.length} numbers`,
          warn,
        );
      }
      if (Number(cells[0]) <= step) keptEvals.push(line);
    });
    rewriteIfChanged(this.evaluationsPath, evals.text, joinLines(keptEvals));
  }

  /**
   * Temporary files of the run's own files (`.metrics.jsonl.tmp-<pid>-<n>`) left by a process
   * killed while writing one. Only the lock holder calls this, so no live writer owns them.
   */
  private removeStaleTemporaries(): void {
    const names = ['config.json', 'metrics.jsonl', 'evaluations.csv'].map((n) => `.${n}.tmp-`);
    for (const entry of readdirSync(this.path)) {
      if (
        names.some((prefix) => entry.startsWith(prefix)) &&
        !entry.startsWith(`${entry.split('.tmp-')[0]}.tmp-${process.pid}-`)
      ) {
        rmSync(join(this.path, entry), { force: true });
      }
    }
  }
}

/** Append to `path`; a failed write's error names the file (Node's write errors do not). */
function appendNamingPath(path: string, text: string): void {
  try {
    appendFileSync(path, text);
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (e.code !== undefined && e.path === undefined) e.path = path;
    throw e;
  }
}

interface LogText {
  /** The file's content as read ('' when it was missing). */
  readonly text: string;
  /** Its complete lines and, when it does not end in a newline, the torn fragment last. */
  readonly lines: string[];
  /** Whether the last entry of `lines` had no newline after it. */
  readonly endsTorn: boolean;
}

function readLog(path: string, warn: (line: string) => void, whenMissing = ''): LogText {
  if (!existsSync(path)) {
    warn(`${path} is missing; a new one is started (its rows before the checkpoint are lost)`);
    return { text: '', lines: whenMissing === '' ? [] : [whenMissing.trimEnd()], endsTorn: false };
  }
  const text = readFileSync(path, 'utf8');
  const parts = text.split('\n');
  const endsTorn = parts.at(-1) !== '';
  if (!endsTorn) parts.pop();
  return { text, lines: parts, endsTorn };
}

/** A bad last line is torn (dropped with a warning); a bad line before it is damage (an error). */
function tornOrDamaged(
  path: string,
  index: number,
  log: LogText,
  what: string,
  warn: (line: string) => void,
): void {
  if (index === log.lines.length - 1) {
    warn(
      `${path}: dropping its torn last line ${index + 1} (${what}): ${JSON.stringify(log.lines[index].slice(0, 80))}`,
    );
    return;
  }
  throw new RunDirectoryError(
    `${path}: line ${index + 1} ${what}; the file is damaged before its last line (repair or move it aside)`,
  );
}

function joinLines(lines: readonly string[]): string {
  return lines.length ? lines.join('\n') + '\n' : '';
}

function rewriteIfChanged(path: string, before: string, after: string): void {
  if (before !== after || !existsSync(path)) writeFileAtomic(path, after);
}

/**
 * A run directory about to be created: the place was checked, the directory made and its lock
 * taken, but nothing else written. `abandon()` undoes all of it when the run cannot start.
 */
export interface ClaimedRunDirectory {
  readonly path: string;
  readonly lock: RunLock;
  /** Remove what this start wrote (files, the directories it made) and release the lock. */
  abandon(): void;
}

/**
 * Claim `path` for a new run: check the place, make the directory, take its lock, and refuse a
 * directory that already holds a run.
 */
export function claimRunDirectory(
  path: string,
  warn: (line: string) => void = () => {},
): ClaimedRunDirectory {
  const dir = checkOutputPlace(path);
  const firstExisting = nearestExisting(dir);
  mkdirSync(dir, { recursive: true });
  const made = firstExisting === dir ? [] : createdBetween(firstExisting, dir);
  const lock = RunLock.acquire(dir, warn);
  const abandon = (): void => {
    lock.release();
    for (const name of ['config.json', 'metrics.jsonl', 'evaluations.csv'])
      rmSync(join(dir, name), { force: true });
    const checkpoints = join(dir, 'checkpoints');
    if (existsSync(checkpoints) && !new CheckpointStore(checkpoints).hasAnyCheckpointDirectory()) {
      rmSync(checkpoints, { recursive: true, force: true });
    }
    for (const d of made) {
      try {
        rmdirSync(d); // only if empty
      } catch {
        break;
      }
    }
  };
  if (existsSync(join(dir, 'config.json'))) {
    lock.release();
    throw new RunDirectoryError(
      `${dir} already holds a run (config.json exists); use --resume ${dir} or another --out`,
    );
  }
  return { path: dir, lock, abandon };
}

/** The directories from `existing` (exclusive) down to `target`, deepest first. */
function createdBetween(existing: string, target: string): string[] {
  const parts = relative(existing, target).split(sep);
  const dirs: string[] = [];
  let current = existing;
  for (const part of parts) {
    current = join(current, part);
    dirs.push(current);
  }
  return dirs.reverse().filter((d) => dirname(d) !== d);
}
