/**
 * Typed errors of @mbrl-ts/nn. Each says what was wrong and what to do about it, and carries the
 * facts as fields so callers (the CLI, the harness) can react without parsing messages.
 */

/**
 * Base class: `instanceof NnError` catches every error this package throws on purpose (and those of
 * @mbrl-ts/kernels, whose errors extend it).
 */
export class NnError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The global gradient norm was NaN or infinite; no variable was updated. */
export class NonFiniteGradientError extends NnError {
  constructor(readonly norm: number) {
    super(
      `Global gradient norm is ${norm}; refusing to update. Check the loss for NaN/Inf ` +
        '(log of zero, division by a vanishing std, exploding values) or lower the learning rate.',
    );
  }
}

/** Two sets of named variables (online/target, file/module) do not line up. */
export class VariableMismatchError extends NnError {
  constructor(readonly what: string) {
    super(`Variables do not match: ${what}`);
  }
}

/** A parameter file is unreadable, of another version, truncated, or does not match the variables. */
export class ParameterFileError extends NnError {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`Parameter file ${path}: ${problem}`);
  }
}
