export type { ActContext, Agent, UpdateMetrics } from './agent';
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
export { defineAlgorithm, type AgentContext, type AlgorithmSpec } from './algorithms';
export {
  CHECKPOINT_AGENT_DIR,
  checkpointAt,
  checkpointsOf,
  latestCheckpoint,
  RUN_CHECKPOINTS_DIR,
  RUN_CONFIG_FILE,
  RunIdentityError,
  readRunIdentity,
  type RunCheckpoint,
  type RunIdentity,
} from './run-identity';
export {
  buildManifest,
  CHECKPOINT_MANIFEST,
  CheckpointDamagedError,
  verifyCheckpoint,
  type CheckpointInfo,
  type CheckpointManifest,
  type ManifestEntry,
} from './checkpoint-manifest';
