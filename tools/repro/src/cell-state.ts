/**
 * What `mbrl-repro cell` last did with a cell, in `<run>/cell.json` beside the run: whether it is
 * running (and where: host, pid, scheduler job, a heartbeat), was preempted (stopped by a signal
 * with a checkpoint), failed, or is done; how many attempts it had and how many of them failed
 * for a reason that was not a signal. It lives in the run's folder on the shared filesystem, so
 * `status` reads it whatever ran the cell. The run itself (config, checkpoints, evaluations) is
 * the harness's; this file only says what happened to the processes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from '@mbrl-ts/harness';

export const CELL_STATE = 'cell.json';

export type CellPhase = 'running' | 'preempted' | 'failed' | 'done';

export interface CellState {
  readonly index: number;
  readonly phase: CellPhase;
  /** Attempts that started a training process. */
  readonly attempts: number;
  /** Attempts that failed for a reason that was not a signal asking the cell to stop. */
  readonly failures: number;
  /** The last failure: exit code or signal and the child's last error line. */
  readonly lastFailure?: string;
  readonly host: string;
  readonly pid: number;
  /** The scheduler's name for the attempt, e.g. `slurm 1234_5`. */
  readonly job?: string;
  /** The scheduler's log of the attempt, when it has one (Slurm's --output file). */
  readonly schedulerLog?: string;
  readonly startedAt: string;
  /** Written every HEARTBEAT_SECONDS while running: a stale one means the process died unheard. */
  readonly updatedAt: string;
}

export const HEARTBEAT_SECONDS = 30;

/** The cell's state, or undefined when it has none (never run by `cell`) or it cannot be read. */
export function readCellState(runDir: string): CellState | undefined {
  const path = join(runDir, CELL_STATE);
  if (!existsSync(path)) return undefined;
  try {
    const state = JSON.parse(readFileSync(path, 'utf8')) as Partial<CellState>;
    const phases: readonly string[] = ['running', 'preempted', 'failed', 'done'];
    if (
      typeof state.phase !== 'string' ||
      !phases.includes(state.phase) ||
      !Number.isInteger(state.attempts) ||
      !Number.isInteger(state.failures)
    )
      return undefined;
    return state as CellState;
  } catch {
    return undefined;
  }
}

export function writeCellState(runDir: string, state: CellState): void {
  writeJsonAtomic(join(runDir, CELL_STATE), state);
}
