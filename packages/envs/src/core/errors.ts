/**
 * Typed errors of @mbrl-ts/envs. Each names the environment id and says what to do.
 */

/** Base class: every error this package throws on bad input is an `EnvError`. */
export class EnvError extends Error {
  constructor(
    /** The environment id the error is about (or '' when there is none yet). */
    readonly envId: string,
    message: string,
  ) {
    super(envId ? `${envId}: ${message}` : message);
    this.name = new.target.name;
  }
}

/** An action of the wrong length or with NaN / infinite entries. */
export class InvalidActionError extends EnvError {}

/** `step` called before the first `reset`, or after the episode ended (terminated or truncated). */
export class ResetNeededError extends EnvError {}

/** `makeEnv` with an id that is not registered. */
export class UnknownEnvError extends EnvError {
  constructor(
    envId: string,
    readonly knownIds: readonly string[],
  ) {
    super('', `Unknown environment id "${envId}". Known ids: ${knownIds.join(', ')}.`);
  }
}

/** An option that a task does not accept, or an option value out of range. */
export class InvalidOptionError extends EnvError {}

/** `setState` with a state that belongs to another env or has the wrong sizes. */
export class InvalidStateError extends EnvError {}

/** Any call on an environment after `close()`. */
export class EnvClosedError extends EnvError {}
