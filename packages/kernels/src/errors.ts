/**
 * Typed errors of @mbrl-ts/kernels. They extend @mbrl-ts/nn's NnError, so `instanceof NnError`
 * still catches every error the tensor layer throws on purpose; each says what was wrong and what
 * to do about it, and carries the facts as fields.
 */
import { NnError } from '@mbrl-ts/nn';

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
    /** The command that builds what is missing, e.g. `npx mbrl-kernels-build`. */
    readonly build: string,
    readonly reason: string,
  ) {
    super(
      `Kernels '${kernels}' are not available (${reason}). Build them with \`${build}\` ` +
        "(needs a C compiler and oneDNN: apt-get install -y gcc libdnnl-dev), or use kernels: 'auto'.",
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
