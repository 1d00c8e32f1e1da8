export { renameDirectoryAtomic, temporaryPathFor, writeFileAtomic, writeJsonAtomic } from './atomic';
export { CheckpointStore, type CheckpointInfo } from './checkpoints';
export { formatDuration, Progress, type ProgressOptions } from './progress';
export { EVALUATION_COLUMNS, RunDirectory, RunDirectoryError, type EvaluationRow } from './run-dir';
export {
  checkField,
  ConfigError,
  defaultsOf,
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
export { trainerSchema, type TrainerConfig } from './trainer-config';
export { NonFiniteMetricError, ResumeError, train, type TrainOptions, type TrainResult } from './trainer';
export * from './cli';
