/**
 * The grid as one Slurm job array: array task i runs cell i of grid.json
 * (`mbrl-repro cell --grid <out>/grid.json --index $SLURM_ARRAY_TASK_ID --slurm`).
 *
 * Preemption and time limits. The job asks Slurm for SIGTERM to its batch shell `signalBefore`
 * seconds before its time limit (`--signal=B:TERM@s`). Only the shell gets that signal, so the
 * script passes it on to the cell as SIGURG; the cell asks its training process to checkpoint and
 * stop, and exits 75; the script then requeues its own array task (`scontrol requeue`), which
 * starts again after Slurm's requeue delay and resumes from the checkpoint. When Slurm itself
 * ends the job (preemption, `scontrol requeue`, `scancel`, the time limit reached) it sends
 * SIGTERM to every process of the job at once, the training process included; the cell then
 * forwards nothing (a second signal would make the harness exit without its checkpoint), the
 * training process checkpoints within Slurm's KillWait, and Slurm requeues the job or not
 * (`--requeue`: preempted and requeued jobs come back; a cancelled one stays cancelled). A cell
 * that fails for another reason exits 75 as well until it has failed `maxFailures` times
 * (recorded in its cell.json), then 1: it is not requeued forever.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { InvalidArgumentError } from 'commander';

/** The cell asks its job script to requeue it (EX_TEMPFAIL). */
export const REQUEUE_EXIT = 75;

/** Slurm's log folder inside the grid folder: `<out>/slurm/<array job>_<task>.out`. */
export const SLURM_LOG_DIR = 'slurm';
export const SLURM_SCRIPT = 'table1-slurm.sh';

/**
 * `--time` as Slurm reads it, in seconds: `HH:MM:SS` or `D-HH:MM:SS` (minutes and seconds below
 * 60, hours below 24 after a day count), or whole minutes. Anything else is refused.
 */
export function parseSlurmTime(raw: string): number {
  const bad = () =>
    new InvalidArgumentError(
      `--time must be HH:MM:SS, D-HH:MM:SS or whole minutes (e.g. 04:00:00, 1-12:00:00, 90), got ${JSON.stringify(raw)}`,
    );
  const minutesOnly = /^([0-9]{1,6})$/.exec(raw);
  if (minutesOnly) {
    const minutes = Number(minutesOnly[1]);
    if (minutes < 1) throw bad();
    return minutes * 60;
  }
  const match = /^(?:([0-9]{1,3})-)?([0-9]{1,4}):([0-9]{2}):([0-9]{2})$/.exec(raw);
  if (!match) throw bad();
  const [days, hours, minutes, seconds] = [match[1] ?? '0', match[2], match[3], match[4]].map(Number);
  if (minutes >= 60 || seconds >= 60 || (match[1] !== undefined && hours >= 24)) throw bad();
  const total = ((days * 24 + hours) * 60 + minutes) * 60 + seconds;
  if (total < 1) throw bad();
  return total;
}

/** The path of an executable `name` on `path` (PATH's folders), or undefined. */
export function findOnPath(name: string, path: string | undefined): string | undefined {
  for (const folder of (path ?? '').split(delimiter)) {
    if (folder === '') continue;
    const candidate = join(folder, name);
    try {
      if (!statSync(candidate).isFile()) continue;
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not there, or not executable
    }
  }
  return undefined;
}

export interface SlurmJobOptions {
  readonly partition?: string;
  /** The time limit per array task, in Slurm's syntax (validated by parseSlurmTime). */
  readonly time?: string;
  readonly cpusPerTask: number;
  readonly gpusPerTask?: number;
  /** Array tasks running at once (`%M`); all when undefined. */
  readonly maxRunning?: number;
  /** Seconds before the time limit at which the job is asked to checkpoint. */
  readonly signalBefore: number;
  /** Further sbatch options, one per entry, as written after `#SBATCH`. */
  readonly sbatchArgs: readonly string[];
}

/** Slurm's array spec for the cell indices: ranges where consecutive, `%M` for the throttle. */
export function arraySpec(indices: readonly number[], maxRunning?: number): string {
  const parts: string[] = [];
  let i = 0;
  while (i < indices.length) {
    let j = i;
    while (j + 1 < indices.length && indices[j + 1] === indices[j] + 1) j++;
    parts.push(i === j ? `${indices[i]}` : `${indices[i]}-${indices[j]}`);
    i = j + 1;
  }
  return parts.join(',') + (maxRunning !== undefined ? `%${maxRunning}` : '');
}

const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * The job script: #SBATCH lines (the array, resources, requeue, the signal before the end, one
 * log per array task appended across requeues), then the cell, the signal relay and the requeue.
 */
export function jobScript(options: {
  readonly out: string;
  readonly gridPath: string;
  readonly repoRoot: string;
  readonly node: string;
  readonly reproBin: string;
  readonly array: string;
  readonly job: SlurmJobOptions;
  readonly cells: number;
}): string {
  const { job } = options;
  const directives = [
    `--job-name=mbrl-table1`,
    `--array=${options.array}`,
    `--cpus-per-task=${job.cpusPerTask}`,
    ...(job.gpusPerTask !== undefined ? [`--gpus-per-task=${job.gpusPerTask}`] : []),
    ...(job.partition !== undefined ? [`--partition=${job.partition}`] : []),
    ...(job.time !== undefined ? [`--time=${job.time}`] : []),
    `--requeue`,
    `--signal=B:TERM@${job.signalBefore}`,
    `--open-mode=append`,
    `--output=${join(options.out, SLURM_LOG_DIR, '%A_%a.out')}`,
    ...job.sbatchArgs,
  ];
  return [
    '#!/bin/bash',
    `# The Table 1 grid in ${options.out} as a Slurm job array (${options.cells} cells): array task i`,
    '# trains cell i of grid.json, resuming from its checkpoint, or skips it when it is done.',
    '# Written by `mbrl-repro table1 --slurm`; `sbatch` it again to resubmit (finished cells are skipped).',
    ...directives.map((d) => `#SBATCH ${d}`),
    '',
    'set -u',
    `cd ${shellQuote(options.repoRoot)}`,
    `${shellQuote(options.node)} ${shellQuote(options.reproBin)} cell --grid ${shellQuote(options.gridPath)} \\`,
    '  --index "$SLURM_ARRAY_TASK_ID" --slurm &',
    'cell=$!',
    '# Slurm sends SIGTERM to this shell alone before the time limit (--signal=B:TERM@...): tell the',
    '# cell, which asks its training process to checkpoint. When Slurm ends the job it signals every',
    '# process itself, and the cell tells that case apart.',
    `trap 'kill -URG "$cell" 2>/dev/null' TERM`,
    'while :; do',
    '  wait "$cell"',
    '  kill -0 "$cell" 2>/dev/null || break',
    'done',
    'wait "$cell"',
    'status=$?',
    `if [ "$status" -eq ${REQUEUE_EXIT} ]; then`,
    '  echo "mbrl-repro: requeueing ${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}; it resumes from its checkpoint"',
    '  scontrol requeue "${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}"',
    'fi',
    'exit "$status"',
    '',
  ].join('\n');
}

/** `sbatch --parsable script`: the job id, or an error with sbatch's first line. */
export function submit(sbatch: string, script: string): Promise<string> {
  return new Promise((done, fail) => {
    execFile(sbatch, ['--parsable', script], { encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) {
        const line = (stderr || error.message).trim().split('\n')[0];
        fail(new Error(`sbatch refused the job array: ${line}`));
        return;
      }
      // --parsable prints "jobid" or "jobid;cluster"
      const id = stdout.trim().split(';')[0];
      if (!/^[0-9]+$/.test(id)) fail(new Error(`sbatch printed no job id: ${JSON.stringify(stdout.trim())}`));
      else done(id);
    });
  });
}
