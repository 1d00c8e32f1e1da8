/**
 * How every mbrl-ts command fails: bad input gets one line on stderr and exit code 2; anything
 * else gets one line and exit code 1. Stack traces only with --verbose.
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
  'UnknownEnvError',
  'InvalidOptionError',
  'BackendUnavailableError',
  'KernelsUnavailableError',
  'PrecisionUnavailableError',
  'SnapshotMismatchError',
  'SnapshotCorruptError',
  'SnapshotFormatError',
  'SnapshotMissingError',
]);

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
  else if (!isInputError(error)) lines.push(`(run again with --verbose for the stack trace)`);
  return { exitCode: isInputError(error) ? 2 : 1, lines };
}
