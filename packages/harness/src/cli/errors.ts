/**
 * How every mbrl-ts command fails: bad input (including a damaged run or one in use) gets one line
 * on stderr and exit code 2; anything else exit code 1, with one line when the message explains it
 * all (a full disk, a diverged run) and a hint about --verbose otherwise. Stack traces only with
 * --verbose.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Error classes (by name) that mean "the input was wrong", not "the program broke". */
const INPUT_ERRORS = new Set([
  'UsageError',
  'ConfigError',
  'RunDirectoryError',
  'ResumeError',
  'RunLockedError',
  'CheckpointDamagedError',
  'UnknownEnvError',
  'InvalidOptionError',
  'BackendUnavailableError',
  'KernelsUnavailableError',
  'PrecisionUnavailableError',
  'SnapshotMismatchError',
  'SnapshotCorruptError',
  'SnapshotFormatError',
  'SnapshotMissingError',
  'RunIdentityError',
  'ViewerError',
  'TrajectoryError',
]);

/**
 * Failures that are not bad input but are fully explained by their message (a full disk, a
 * diverged run): one line, exit 1, no hint about --verbose.
 */
const EXPLAINED_FAILURES = new Set(['RunStorageError', 'NonFiniteMetricError']);

/** System errors of the disk (full, read-only, no permission): their message says it all. */
const STORAGE_CODES = new Set(['ENOSPC', 'EDQUOT', 'EROFS', 'EACCES', 'EPERM', 'EIO']);

function isExplained(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as NodeJS.ErrnoException).code;
  return EXPLAINED_FAILURES.has(error.name) || (code !== undefined && STORAGE_CODES.has(code));
}

export function isInputError(error: unknown): boolean {
  return error instanceof Error && INPUT_ERRORS.has(error.name);
}

export interface FailureReport {
  readonly exitCode: 1 | 2;
  readonly lines: string[];
}

export function reportFailure(error: unknown, program: string, verbose: boolean): FailureReport {
  const message = error instanceof Error ? error.message : String(error);
  const lines = [`${program}: error: ${message.split('\n')[0]}`];
  if (verbose && error instanceof Error && error.stack) lines.push(error.stack);
  else if (!isInputError(error) && !isExplained(error))
    lines.push(`(run again with --verbose for the stack trace)`);
  return { exitCode: isInputError(error) ? 2 : 1, lines };
}
