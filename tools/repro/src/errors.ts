/**
 * How mbrl-repro fails: bad input (flags, run directories that are malformed or not ours) is a
 * `ReproInputError` and exits with code 2 after one line on stderr; anything else exits with 1.
 */
export class ReproInputError extends Error {
  override readonly name = 'ReproInputError';
}

/** A run directory under --runs that is malformed or foreign; the message names it. */
export class RunDirectoryProblem extends ReproInputError {
  constructor(
    readonly dir: string,
    readonly problem: string,
  ) {
    super(`${dir}: ${problem}`);
  }
}
