export { renameDirectoryAtomic, temporaryPathFor, writeFileAtomic, writeJsonAtomic } from './atomic';
export {
  CHECKPOINT_MANIFEST,
  CheckpointDamagedError,
  CheckpointStore,
  verifyCheckpoint,
  type CheckpointInfo,
  type CheckpointManifest,
} from './checkpoints';
export { formatDuration, Progress, type ProgressOptions } from './progress';
export {
  claimRunDirectory,
  EVALUATION_COLUMNS,
  RunDirectory,
  RunDirectoryError,
  type ClaimedRunDirectory,
  type EvaluationRow,
} from './run-dir';
export { checkOutputPlace } from './output-place';
export { LOCK_FILE, RunLock, RunLockedError, type LockHolder } from './run-lock';
export {
  checkField,
  ConfigError,
  defaultsOf,
  hasField,
  parseFlagValue,
  resolveConfig,
  type BooleanField,
  type ConfigOf,
  type EnumField,
  type Field,
  type IntField,
  type NumberField,
  type Schema,
  type StringField,
} from './config';
export type { ActContext, Agent, UpdateMetrics } from './agent';
export { listenForShutdown, NEVER_SHUTDOWN, type ShutdownRequest } from './shutdown';
export { MAX_STEPS, RESUMABLE_SETTINGS, trainerSchema, type TrainerConfig } from './trainer-config';
export {
  NonFiniteMetricError,
  ResumeError,
  RunStorageError,
  train,
  type TrainOptions,
  type TrainResult,
} from './trainer';
export * from './cli';
export * from './run-record';
