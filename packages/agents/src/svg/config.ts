/**
 * SAC-SVG(H) and SVG(1) hyperparameters with their sources. "SAC-SVG config" is the authors'
 * config/train.yaml in facebookresearch/svg (Amos et al. 2020, "On the model-based stochastic
 * value gradient for continuous reinforcement learning"); "SVG paper" is Heess et al. 2015.
 */
import type { ConfigOf, Schema } from '@mbrl-ts/contract';

/** The pieces both agents share: the observation-space model, the reward and done heads. */
const modelSchema = {
  modelLearningRate: {
    kind: 'number',
    default: 1e-3,
    greaterThan: 0,
    doc: 'SAC-SVG config: dx lr 1e-3 (the dynamics model)',
  },
  modelMaxGradNorm: {
    kind: 'number',
    default: 1,
    min: 0,
    doc: 'SAC-SVG config: dx clip_grad_norm 1.0 (global norm; 0 = none)',
  },
  encoderHiddenSize: {
    kind: 'int',
    default: 512,
    min: 1,
    max: 16_384,
    doc: 'SAC-SVG config: xu_enc_hidden_dim 512',
  },
  encoderHiddenLayers: {
    kind: 'int',
    default: 2,
    min: 0,
    max: 32,
    doc: 'SAC-SVG config: xu_enc_hidden_depth 2',
  },
  latentSize: {
    kind: 'int',
    default: 512,
    min: 1,
    max: 4096,
    doc: 'SAC-SVG config: rec_latent_dim 512 (the GRU width and the encoder output)',
  },
  recurrentLayers: { kind: 'int', default: 2, min: 1, max: 32, doc: 'SAC-SVG config: GRU, rec_num_layers 2' },
  headHiddenSize: {
    kind: 'int',
    default: 512,
    min: 1,
    max: 16_384,
    doc: 'SAC-SVG config: rew_hidden_dim and done_hidden_dim 512',
  },
  headHiddenLayers: {
    kind: 'int',
    default: 2,
    min: 0,
    max: 32,
    doc: 'SAC-SVG config: rew_hidden_depth and done_hidden_depth 2',
  },
  headLearningRate: {
    kind: 'number',
    default: 1e-3,
    greaterThan: 0,
    doc: 'SAC-SVG config: rew_lr and done_lr 1e-3',
  },
  normalizeObservations: {
    kind: 'boolean',
    default: true,
    doc: 'SAC-SVG config: normalize_obs true (running mean/std of the observations, std clipped to [0.1, 10])',
  },
  gamma: { kind: 'number', default: 0.99, min: 0, max: 1, doc: 'SAC-SVG config: discount 0.99' },
  tau: { kind: 'number', default: 0.005, min: 0, max: 1, doc: 'SAC-SVG config: critic_tau 0.005' },
  targetUpdateInterval: {
    kind: 'int',
    default: 1,
    min: 1,
    max: 100_000_000,
    doc: 'SAC-SVG config: critic_target_update_freq 1',
  },
  replayCapacity: {
    kind: 'int',
    default: 1_000_000,
    min: 1,
    max: 100_000_000,
    doc: 'SAC-SVG config: replay_buffer_capacity min(steps, 1e6) (the loop caps it at totalSteps)',
  },
} as const satisfies Schema;

export const sacSvgSchema = {
  horizon: {
    kind: 'int',
    default: 3,
    min: 1,
    max: 10,
    doc: 'SAC-SVG config: horizon 3 (actions in the value expansion; Table 1 of ALM reports H = 2 and 3)',
  },
  actorLearningRate: { kind: 'number', default: 1e-4, greaterThan: 0, doc: 'SAC-SVG config: actor_lr 1e-4' },
  criticLearningRate: {
    kind: 'number',
    default: 1e-4,
    greaterThan: 0,
    doc: 'SAC-SVG config: critic_lr 1e-4',
  },
  temperatureLearningRate: {
    kind: 'number',
    default: 1e-4,
    greaterThan: 0,
    doc: 'SAC-SVG config: learn_temp lr 1e-4',
  },
  hiddenSize: {
    kind: 'int',
    default: 512,
    min: 1,
    max: 16_384,
    doc: 'SAC-SVG config: model_free_hidden_dim 512 (actor and critics)',
  },
  hiddenLayers: {
    kind: 'int',
    default: 4,
    min: 0,
    max: 32,
    doc: 'SAC-SVG config: model_free_hidden_depth 4 (actor and critics, ReLU)',
  },
  logStdMin: { kind: 'number', default: -5, doc: 'SAC-SVG config: log_std_bounds [-5, 2] (tanh-squashed)' },
  logStdMax: { kind: 'number', default: 2, doc: 'SAC-SVG config: log_std_bounds [-5, 2] (tanh-squashed)' },
  initialAlpha: { kind: 'number', default: 0.1, greaterThan: 0, doc: 'SAC-SVG config: init_temp 0.1' },
  targetEntropyInitialPerActionDim: {
    kind: 'number',
    default: -1,
    doc: 'SAC-SVG config: init_targ_entr -|A| (the target is this times |A|)',
  },
  targetEntropyFinalPerActionDim: {
    kind: 'number',
    default: -1,
    doc: 'SAC-SVG config: final_targ_entr -|A| (the target is this times |A|)',
  },
  targetEntropyDecay: {
    kind: 'number',
    default: 0,
    min: 0,
    doc: 'SAC-SVG config: entr_decay_factor 0 (no schedule; their HalfCheetah uses 1)',
  },
  targetEntropySteps: {
    kind: 'int',
    default: 200_000,
    min: 1,
    max: 100_000_000,
    doc: 'steps over which the target entropy moves (their max_steps is the run length; 200k as in ALM Table 1)',
  },
  sequenceBatchSize: {
    kind: 'int',
    default: 512,
    min: 1,
    max: 65_536,
    doc: 'SAC-SVG config: seq_batch_size 512',
  },
  stepBatchSize: {
    kind: 'int',
    default: 1024,
    min: 2,
    max: 65_536,
    doc: 'SAC-SVG config: step_batch_size 1024',
  },
  modelUpdateRepeat: {
    kind: 'int',
    default: 4,
    min: 1,
    max: 1000,
    doc: 'SAC-SVG config: model_update_repeat 4 (dynamics steps per update)',
  },
  modelFreeWarmupSteps: {
    kind: 'int',
    default: 0,
    min: 0,
    max: 100_000_000,
    doc: 'SAC-SVG config: warmup_steps 0 (plain SAC actor updates before this step; their HalfCheetah uses 10000)',
  },
  ...modelSchema,
} as const satisfies Schema;

export type SacSvgConfig = ConfigOf<typeof sacSvgSchema>;

export const svg1Schema = {
  learningRate: {
    kind: 'number',
    default: 1e-4,
    greaterThan: 0,
    doc: 'actor and value Adam learning rate (SAC-SVG config: actor_lr and critic_lr 1e-4)',
  },
  hiddenSize: {
    kind: 'int',
    default: 512,
    min: 1,
    max: 16_384,
    doc: 'SAC-SVG config: model_free_hidden_dim 512 (actor, value)',
  },
  hiddenLayers: {
    kind: 'int',
    default: 4,
    min: 0,
    max: 32,
    doc: 'SAC-SVG config: model_free_hidden_depth 4 (actor, value)',
  },
  logStdMin: { kind: 'number', default: -5, doc: 'SAC-SVG config: log_std_bounds [-5, 2] (tanh-squashed)' },
  logStdMax: { kind: 'number', default: 2, doc: 'SAC-SVG config: log_std_bounds [-5, 2] (tanh-squashed)' },
  alpha: {
    kind: 'number',
    default: 0,
    min: 0,
    doc: 'entropy weight of the policy loss; SVG paper: 0 (no entropy term)',
  },
  batchSize: { kind: 'int', default: 1024, min: 2, max: 65_536, doc: 'SAC-SVG config: step_batch_size 1024' },
  modelUpdateRepeat: {
    kind: 'int',
    default: 1,
    min: 1,
    max: 1000,
    doc: 'one-step model fits per update (SVG paper: one model step per policy step)',
  },
  ...modelSchema,
} as const satisfies Schema;

export type Svg1Config = ConfigOf<typeof svg1Schema>;

/**
 * 'quick': narrower networks and smaller batches for the small tasks (Pendulum, InvertedPendulum)
 * on a 2-core machine; the algorithm and its update order are unchanged.
 */
export const sacSvgPresets = {
  quick: {
    hiddenSize: 256,
    hiddenLayers: 2,
    encoderHiddenSize: 128,
    latentSize: 128,
    headHiddenSize: 128,
    sequenceBatchSize: 128,
    stepBatchSize: 256,
    modelUpdateRepeat: 2,
    actorLearningRate: 3e-4,
    criticLearningRate: 3e-4,
    temperatureLearningRate: 3e-4,
  },
} as const satisfies Record<string, Partial<SacSvgConfig>>;

export const svg1Presets = {
  quick: {
    hiddenSize: 256,
    hiddenLayers: 2,
    encoderHiddenSize: 128,
    latentSize: 128,
    headHiddenSize: 128,
    batchSize: 256,
    learningRate: 3e-4,
  },
} as const satisfies Record<string, Partial<Svg1Config>>;

/** Settings that cannot be checked field by field. */
export function checkLogStdBounds(config: { logStdMin: number; logStdMax: number }, algo: string): void {
  if (!(config.logStdMin < config.logStdMax)) {
    throw new RangeError(
      `${algo}: logStdMin (${config.logStdMin}) must be below logStdMax (${config.logStdMax}); set e.g. --set logStdMin=-5 --set logStdMax=2`,
    );
  }
}
