/**
 * REDQ and SAC-AVG hyperparameters with their sources. "REDQ" is Chen et al. 2021, "Randomized
 * Ensembled Double Q-Learning: Learning Fast Without a Model" (ICLR 2021, arXiv:2101.05982):
 * Algorithm 1 and its hyperparameter table, which keeps SAC's settings (Haarnoja et al. 2018) and
 * adds the ensemble size N, the in-target subset size M and the update-to-data ratio G. SAC-AVG is
 * that paper's baseline with the same N and G and the ensemble average in the target. The 5000
 * random warm-up steps of the paper are the training loop's own default (`warmupSteps`).
 */
import type { ConfigOf, Schema } from '@mbrl-ts/contract';

/** What REDQ and SAC-AVG share. */
const ensembleSacFields = {
  learningRate: {
    kind: 'number',
    default: 3e-4,
    greaterThan: 0,
    doc: 'REDQ hyperparameters (as SAC): Adam learning rate 3e-4 for the Q-functions, the policy and alpha',
  },
  batchSize: {
    kind: 'int',
    default: 256,
    min: 1,
    max: 65_536,
    doc: 'REDQ hyperparameters (as SAC): 256 transitions per minibatch',
  },
  gamma: { kind: 'number', default: 0.99, min: 0, max: 1, doc: 'REDQ hyperparameters: discount 0.99' },
  tau: {
    kind: 'number',
    default: 0.005,
    min: 0,
    max: 1,
    doc: 'REDQ hyperparameters: target smoothing coefficient 0.005, after every Q update (Algorithm 1, line 9)',
  },
  hiddenSize: {
    kind: 'int',
    default: 256,
    min: 1,
    max: 16_384,
    doc: 'REDQ hyperparameters: 256 hidden units per layer (policy and every Q-function)',
  },
  hiddenLayers: {
    kind: 'int',
    default: 2,
    min: 0,
    max: 32,
    doc: 'REDQ hyperparameters: 2 hidden layers (ReLU)',
  },
  ensembleSize: {
    kind: 'int',
    default: 10,
    min: 1,
    max: 1_024,
    doc: 'REDQ: N = 10 Q-functions (SAC-AVG uses the same ensemble)',
  },
  utdRatio: {
    kind: 'int',
    default: 20,
    min: 1,
    max: 1_000,
    doc: 'REDQ: G = 20 Q updates per environment step (the update-to-data ratio); the policy and alpha are updated once per step, after them (Algorithm 1, line 10)',
  },
  learnAlpha: {
    kind: 'boolean',
    default: true,
    doc: 'REDQ hyperparameters (as SAC v2): automatic entropy temperature (false keeps alpha = initialAlpha)',
  },
  initialAlpha: {
    kind: 'number',
    default: 1,
    greaterThan: 0,
    doc: 'starting temperature; 1 (log alpha = 0), as this project\u2019s SAC',
  },
  targetEntropyPerActionDim: {
    kind: 'number',
    default: -1,
    doc: 'REDQ hyperparameters (as SAC v2): entropy target -|A| (the target is this times |A|)',
  },
  maxGradNorm: {
    kind: 'number',
    default: 0,
    min: 0,
    doc: 'global gradient-norm clip; 0 = none (REDQ does not clip)',
  },
  replayCapacity: {
    kind: 'int',
    default: 1_000_000,
    min: 1,
    max: 100_000_000,
    doc: 'REDQ hyperparameters: replay buffer size 1e6 (the loop caps it at totalSteps)',
  },
} as const satisfies Schema;

export const redqSchema = {
  ...ensembleSacFields,
  targetSubsetSize: {
    kind: 'int',
    default: 2,
    min: 1,
    max: 1_024,
    doc: 'REDQ: M = 2 members drawn at random (without replacement) for each Q update; the target is their minimum. At most ensembleSize',
  },
} as const satisfies Schema;

export const sacAvgSchema = { ...ensembleSacFields } as const satisfies Schema;

export type RedqConfig = ConfigOf<typeof redqSchema>;
export type SacAvgConfig = ConfigOf<typeof sacAvgSchema>;

/**
 * Smaller sizes for a quick look on two CPU cores (our choice, not the paper's): the same N, M and
 * G, 2 x 128 hidden units and batches of 128.
 */
export const redqPresets = { quick: { hiddenSize: 128, batchSize: 128 } } as const;
export const sacAvgPresets = redqPresets;
