/**
 * @mbrl-ts/envs: Gymnasium-semantics MuJoCo tasks on the official MuJoCo WASM engine.
 */
export { loadMujoco, wasmHeapBytes, type MujocoModule, type MjData, type MjModel } from './mujoco';

// Core contract
export type { ActionInput, Env, EnvState, EpisodeSummary, JsonValue, ResetOptions, ResetResult, StepInfo, StepResult } from './core/env';
export { infoNumber } from './core/env';
export { Box, type BoxDtype } from './core/space';
export { EnvClosedError, EnvError, InvalidActionError, InvalidOptionError, InvalidStateError, ResetNeededError, UnknownEnvError } from './core/errors';
export { MujocoEnv, type MujocoPhysicsState, type MujocoTaskDefinition, type StepOutcome, type TransitionNoise } from './core/mujoco-env';
export { readAction } from './core/action';
export { DEFAULT_SEED } from './core/seeding';
export { resolveOptions } from './core/options';
export { sumOfSquares } from './core/math';

// Registry
export { envSpec, listEnvs, makeEnv, registerEnv, type EnvSpec, type MakeEnvOptions } from './registry';

// Tasks
export { PendulumEnv, PENDULUM_DEFAULTS, angleNormalize, createPendulum, type PendulumOptions } from './tasks/pendulum';
export { InvertedPendulumEnv, INVERTED_PENDULUM_DEFAULTS, createInvertedPendulum, type InvertedPendulumOptions } from './tasks/inverted-pendulum';
export { HalfCheetahEnv, HALF_CHEETAH_DEFAULTS, createHalfCheetah, type HalfCheetahOptions } from './tasks/half-cheetah';
export { PlanarWalkerEnv, type PlanarWalkerOptions } from './tasks/planar-walker';
export { HopperEnv, HOPPER_DEFAULTS, createHopper, type HopperOptions } from './tasks/hopper';
export { Walker2dEnv, WALKER2D_DEFAULTS, createWalker2d, type Walker2dOptions } from './tasks/walker2d';

// Wrappers
export { Wrapper } from './wrappers/wrapper';
export { TimeLimit } from './wrappers/time-limit';
export { EpisodeStatistics } from './wrappers/episode-statistics';
export { ClipAction } from './wrappers/clip-action';
export { RescaleAction } from './wrappers/rescale-action';
export { DynamicsNoise, type DynamicsNoiseOptions } from './wrappers/dynamics-noise';
