/**
 * A self-describing run directory:
 *
 *   <run>/config.json        the resolved configuration (every default filled in)
 *   <run>/metrics.jsonl      one JSON object per logged update: { step, ...metrics }
 *   <run>/evaluations.csv    step,episodes,return_mean,return_std,length_mean,wall_s
 *   <run>/checkpoints/       checkpoint-<step>/ (see CheckpointStore)
 *
 * On resume from a checkpoint at step S, log lines written after S are dropped, so the logs of a
 * resumed run read exactly like those of a run that was never interrupted.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeJsonAtomic } from './atomic';
import { CheckpointStore } from './checkpoints';

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

export class RunDirectoryError extends Error {
  override readonly name = 'RunDirectoryError';
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
    const dir = resolve(path);
    if (existsSync(join(dir, 'config.json'))) {
      throw new RunDirectoryError(
        `${dir} already holds a run (config.json exists); use --resume ${dir} or another --out`,
      );
    }
    mkdirSync(dir, { recursive: true });
    const run = new RunDirectory(dir, keepCheckpoints);
    writeJsonAtomic(run.configPath, config);
    writeFileSync(run.evaluationsPath, EVALUATION_COLUMNS.join(',') + '\n');
    writeFileSync(run.metricsPath, '');
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
    appendFileSync(this.metricsPath, JSON.stringify({ step, ...metrics }) + '\n');
  }

  logEvaluation(row: EvaluationRow): void {
    appendFileSync(this.evaluationsPath, EVALUATION_COLUMNS.map((c) => String(row[c])).join(',') + '\n');
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

  /** Drop log lines written after `step` (they belong to the part of the run that is redone). */
  truncateLogsAfter(step: number): void {
    const metrics = readFileSync(this.metricsPath, 'utf8')
      .split('\n')
      .filter((line) => line && (JSON.parse(line) as { step: number }).step <= step);
    writeJsonLines(this.metricsPath, metrics);
    const evals = readFileSync(this.evaluationsPath, 'utf8').trim().split('\n');
    const kept = [evals[0], ...evals.slice(1).filter((line) => Number(line.split(',')[0]) <= step)];
    writeFileSync(this.evaluationsPath, kept.join('\n') + '\n');
  }
}

function writeJsonLines(path: string, lines: string[]): void {
  writeFileSync(path, lines.length ? lines.join('\n') + '\n' : '');
}
