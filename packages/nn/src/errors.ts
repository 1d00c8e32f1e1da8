/**
 * Typed errors of @mbrl-ts/nn. Each says what was wrong and what to do about it, and carries the
 * facts as fields so callers (the CLI, the harness) can react without parsing messages.
 */

/** Base class: `instanceof NnError` catches every error this package throws on purpose. */
export class NnError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A backend was asked for explicitly but its package is not installed or failed to start. */
export class BackendUnavailableError extends NnError {
  constructor(
    readonly backend: string,
    /** The command that installs the missing package, e.g. `npm install @tensorflow/tfjs-node`. */
    readonly install: string,
    readonly reason: string,
  ) {
    super(
      `Backend '${backend}' is not available (${reason}). Install it with \`${install}\`, or use initBackend('auto').`,
    );
  }
}

/** A kernel set was asked for explicitly (`kernels: 'blas'`) but cannot be loaded. */
export class KernelsUnavailableError extends NnError {
  constructor(
    readonly kernels: string,
    /** The command that builds what is missing, e.g. `npm run build:native`. */
    readonly build: string,
    readonly reason: string,
  ) {
    super(
      `Kernels '${kernels}' are not available (${reason}). Build them with \`${build}\` ` +
        "(needs a C compiler and oneDNN or OpenBLAS: apt-get install -y gcc libdnnl-dev), or use kernels: 'auto'.",
    );
  }
}

/** A run asked for a product precision (bf16, bf16-rounded) that this machine or backend cannot compute. */
export class PrecisionUnavailableError extends NnError {
  constructor(
    readonly precision: string,
    readonly reason: string,
  ) {
    super(`precision '${precision}' is not available here: ${reason}`);
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
