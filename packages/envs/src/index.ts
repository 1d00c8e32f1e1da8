/**
 * @mbrl-ts/envs: Gymnasium-semantics MuJoCo tasks on the official MuJoCo WASM engine.
 */
export { loadMujoco, wasmHeapBytes, type MujocoModule, type MjData, type MjModel } from './mujoco';

// Core contract
export type { ActionInput, Env, EnvState, EpisodeSummary, JsonValue, ResetOptions, ResetResult, StepInfo, StepResult } from './core/env';
export { infoNumber } from './core/env';
export { Box, type BoxDtype } from './core/space';
export { EnvClosedError, EnvError, InvalidActionError, InvalidOptionError, InvalidStateError, ResetNeededError, UnknownEnvError } from './core/errors';
export { MujocoEnv, type MujocoPhysicsState, type MujocoTaskDefinition, type StepOutcome } from './core/mujoco-env';
export { readAction } from './core/action';
export { DEFAULT_SEED } from './core/seeding';
export { resolveOptions } from './core/options';
export { sumOfSquares } from './core/math';

// Registry
export { envSpec, listEnvs, makeEnv, registerEnv, type EnvSpec, type MakeEnvOptions } from './registry';

// Tasks
export { HalfCheetahEnv, HALF_CHEETAH_DEFAULTS, createHalfCheetah, type HalfCheetahOptions } from './tasks/half-cheetah';

// Wrappers
export { Wrapper } from './wrappers/wrapper';
export { TimeLimit } from './wrappers/time-limit';
