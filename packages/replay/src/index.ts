export { ReplayBuffer, type ReplayCursor, type ReplayStorage } from './replay-buffer';
export { allocateSequenceBatch, allocateTransitionBatch } from './batches';
export { episodeRuns, validSequenceStarts } from './episode-runs';
export type { ReplayConfig, ReplayView, SequenceBatch, Transition, TransitionBatch, Vector } from './types';
export {
  InsufficientDataError,
  NoValidSequenceError,
  NonFiniteValueError,
  ReplayArgumentError,
  ReplayConfigError,
  ReplayError,
  SnapshotCorruptError,
  SnapshotFormatError,
  SnapshotMismatchError,
  SnapshotMissingError,
  TransitionShapeError,
  type ReplayErrorCode,
} from './errors';
export {
  loadReplaySnapshot,
  readReplayManifest,
  restoreReplaySnapshot,
  saveReplaySnapshot,
  type LoadOptions,
  type SnapshotManifest,
} from './snapshot';
