/**
 * MBPO hyperparameters with their sources: Janner et al. 2019, "When to Trust Your Model:
 * Model-Based Policy Optimization" (NeurIPS 2019, arXiv:1906.08253), Algorithm 2 and Appendix C
 * (its hyperparameter table), and the authors' released configurations where the paper gives a
 * range. The policy optimiser is SAC with SAC v2's settings. The per-task rollout-length
 * schedules and epoch lengths are in tasks.ts.
 */
import type { ConfigOf, Schema } from '@mbrl-ts/contract';

export const mbpoSchema = {
  ensembleSize: { kind: 'int', default: 7, min: 1, max: 64, doc: 'MBPO Appendix C: ensemble of 7 models' },
  eliteCount: {
    kind: 'int',
    default: 5,
    min: 1,
    max: 64,
    doc: 'MBPO authors\u2019 configurations: 5 elites (the members with the lowest held-out error) draw the rollouts; at most ensembleSize',
  },
  modelHiddenSize: {
    kind: 'int',
    default: 200,
    min: 1,
    max: 16_384,
    doc: 'MBPO Appendix C: 200 units per model layer (the authors use 400 for Humanoid)',
  },
  modelHiddenLayers: {
    kind: 'int',
    default: 4,
    min: 1,
    max: 16,
    doc: 'MBPO Appendix C: 4 hidden layers (swish) per model',
  },
  modelLearningRate: {
    kind: 'number',
    default: 1e-3,
    greaterThan: 0,
    doc: 'MBPO authors\u2019 code: Adam learning rate 1e-3 for the model',
  },
  modelBatchSize: {
    kind: 'int',
    default: 256,
    min: 1,
    max: 65_536,
    doc: 'MBPO authors\u2019 code: 256 rows per member per model step',
  },
  modelHoldoutRatio: {
    kind: 'number',
    default: 0.2,
    min: 0,
    max: 0.9,
    doc: 'MBPO authors\u2019 code: 20 % of the real transitions held out (at most modelMaxHoldout) to stop training and choose elites',
  },
  modelMaxHoldout: {
    kind: 'int',
    default: 5000,
    min: 1,
    max: 1_000_000,
    doc: 'MBPO authors\u2019 code: at most 5000 held-out transitions',
  },
  modelPatience: {
    kind: 'int',
    default: 5,
    min: 1,
    max: 1_000,
    doc: 'MBPO authors\u2019 code: stop after 5 epochs in which no member improved its held-out error by more than 1 %',
  },
  modelMaxEpochs: {
    kind: 'int',
    default: 0,
    min: 0,
    max: 100_000,
    doc: 'a cap on the epochs of one model training; 0 = none (the authors\u2019 code: none, training stops by patience)',
  },
  modelTrainEvery: {
    kind: 'int',
    default: 250,
    min: 1,
    max: 1_000_000,
    doc: 'MBPO Appendix C: the model is retrained (and new rollouts made) every 250 environment steps',
  },
  rolloutBatchSize: {
    kind: 'int',
    default: 100_000,
    min: 1,
    max: 10_000_000,
    doc: 'MBPO Appendix C: 100k model rollouts branched from real states at each retraining (M in Algorithm 2)',
  },
  modelRetainEpochs: {
    kind: 'int',
    default: 1,
    min: 1,
    max: 1_000,
    doc: 'MBPO authors\u2019 code: the model buffer keeps one epoch of rollouts (rolloutBatchSize x k x epochLength / modelTrainEvery)',
  },
  realRatio: {
    kind: 'number',
    default: 0.05,
    min: 0,
    max: 1,
    doc: 'MBPO Appendix C: 5 % of each policy batch is real data, the rest model data',
  },
  policyUpdatesPerStep: {
    kind: 'int',
    default: 20,
    min: 1,
    max: 1_000,
    doc: 'MBPO Appendix C: G = 20 policy updates per environment step (the authors use 40 for HalfCheetah, 10 for InvertedPendulum)',
  },
  learningRate: {
    kind: 'number',
    default: 3e-4,
    greaterThan: 0,
    doc: 'SAC v2 Table 1: Adam learning rate 3e-4 (actor, critics, temperature)',
  },
  batchSize: {
    kind: 'int',
    default: 256,
    min: 2,
    max: 65_536,
    doc: 'SAC v2 Table 1 (as MBPO): 256 transitions per policy batch',
  },
  gamma: {
    kind: 'number',
    default: 0.99,
    min: 0,
    max: 1,
    doc: 'MBPO authors\u2019 configurations: discount 0.99',
  },
  tau: {
    kind: 'number',
    default: 0.005,
    min: 0,
    max: 1,
    doc: 'MBPO authors\u2019 configurations: target smoothing 0.005',
  },
  hiddenSize: { kind: 'int', default: 256, min: 1, max: 16_384, doc: 'SAC v2 Table 1: 256 units per layer' },
  hiddenLayers: { kind: 'int', default: 2, min: 0, max: 32, doc: 'SAC v2 Table 1: 2 hidden layers (ReLU)' },
  initialAlpha: {
    kind: 'number',
    default: 1,
    greaterThan: 0,
    doc: 'starting temperature; 1 (log alpha = 0), as this project\u2019s SAC',
  },
  targetEntropyPerActionDim: {
    kind: 'number',
    default: -1,
    doc: 'SAC v2: entropy target -|A| (the MBPO authors set it per task: -1 Hopper, -3 HalfCheetah, -4 Ant, -2 Humanoid, -0.05 InvertedPendulum)',
  },
  replayCapacity: {
    kind: 'int',
    default: 1_000_000,
    min: 1,
    max: 100_000_000,
    doc: 'MBPO authors\u2019 code: real replay of 1e6 (the loop caps it at totalSteps)',
  },
} as const satisfies Schema;

export type MbpoConfig = ConfigOf<typeof mbpoSchema>;

/**
 * Smaller sizes for two CPU cores (our choice, not the paper's): rollouts of 10k states, 10 policy
 * updates per step, model layers of 128.
 */
export const mbpoPresets = {
  quick: {
    rolloutBatchSize: 10_000,
    policyUpdatesPerStep: 10,
    modelHiddenSize: 128,
    hiddenSize: 128,
    batchSize: 128,
  },
} as const;

/** The MBPO authors' weight decay per model layer (4 hidden, then the output layer). */
export const MBPO_MODEL_WEIGHT_DECAYS = [2.5e-5, 5e-5, 7.5e-5, 7.5e-5, 1e-4] as const;
/** The MBPO authors' coefficient on (sum maxLogVar - sum minLogVar). */
export const MBPO_LOG_VAR_BOUND_COEFFICIENT = 0.01;
/** A member improves when its held-out error drops by more than this fraction (the authors' 1 %). */
export const MBPO_IMPROVEMENT_THRESHOLD = 0.01;
