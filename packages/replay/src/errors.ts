/**
 * Typed errors of @mbrl-ts/replay.
 *
 * Every error says what was wrong and what to do about it, and carries a stable `code` so that
 * callers (the harness, the CLIs) can branch on the kind of failure without parsing messages.
 */

export type ReplayErrorCode =
  | 'REPLAY_CONFIG'
  | 'REPLAY_TRANSITION_SHAPE'
  | 'REPLAY_NON_FINITE'
  | 'REPLAY_INSUFFICIENT_DATA'
  | 'REPLAY_NO_VALID_SEQUENCE'
  | 'REPLAY_ARGUMENT'
  | 'REPLAY_SNAPSHOT_MISSING'
  | 'REPLAY_SNAPSHOT_FORMAT'
  | 'REPLAY_SNAPSHOT_MISMATCH'
  | 'REPLAY_SNAPSHOT_CORRUPT';

/** Base class: `instanceof ReplayError` catches every error this package throws on purpose. */
export class ReplayError extends Error {
  readonly code: ReplayErrorCode;

  constructor(code: ReplayErrorCode, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/** The buffer configuration (capacity, dimensions) is invalid or cannot be allocated. */
export class ReplayConfigError extends ReplayError {
  constructor(message: string) {
    super('REPLAY_CONFIG', message);
  }
}

/** An observation, next observation or action has the wrong length or type. */
export class TransitionShapeError extends ReplayError {
  constructor(message: string) {
    super('REPLAY_TRANSITION_SHAPE', message);
  }
}

/** A reward, observation or action holds NaN or an infinity. */
export class NonFiniteValueError extends ReplayError {
  constructor(message: string) {
    super('REPLAY_NON_FINITE', message);
  }
}

/** Sampling asked for more than the buffer holds (including sampling an empty buffer). */
export class InsufficientDataError extends ReplayError {
  constructor(message: string) {
    super('REPLAY_INSUFFICIENT_DATA', message);
  }
}

/** No stored stretch of one episode is long enough for the requested sequence length. */
export class NoValidSequenceError extends ReplayError {
  constructor(message: string) {
    super('REPLAY_NO_VALID_SEQUENCE', message);
  }
}

/** A sampling argument (batch size, sequence length, output buffer) is invalid. */
export class ReplayArgumentError extends ReplayError {
  constructor(message: string) {
    super('REPLAY_ARGUMENT', message);
  }
}

/** Snapshot errors: the directory has no snapshot, or it cannot be read as one. */
export class SnapshotMissingError extends ReplayError {
  constructor(message: string) {
    super('REPLAY_SNAPSHOT_MISSING', message);
  }
}

/** The manifest is not valid JSON, is from an unknown format version, or misses fields. */
export class SnapshotFormatError extends ReplayError {
  constructor(message: string) {
    super('REPLAY_SNAPSHOT_FORMAT', message);
  }
}

/** The snapshot is valid but does not fit the buffer it is restored into (capacity, dims). */
export class SnapshotMismatchError extends ReplayError {
  constructor(message: string) {
    super('REPLAY_SNAPSHOT_MISMATCH', message);
  }
}

/** A data file is missing, truncated, too long, or fails its checksum. */
export class SnapshotCorruptError extends ReplayError {
  constructor(message: string) {
    super('REPLAY_SNAPSHOT_CORRUPT', message);
  }
}
