/**
 * SAC hyperparameters with their sources. "SAC v2" is Haarnoja et al. 2018, "Soft Actor-Critic
 * Algorithms and Applications" (arXiv:1812.05905); its Table 1 lists the shared settings.
 */
import type { ConfigOf, Schema } from '@mbrl-ts/contract';

export const sacSchema = {
  learningRate: {
    kind: 'number',
    default: 3e-4,
    greaterThan: 0,
    doc: 'SAC v2 Table 1: Adam learning rate 3e-4 (actor, critics and temperature)',
  },
  batchSize: {
    kind: 'int',
    default: 256,
    min: 1,
    max: 65_536,
    doc: 'SAC v2 Table 1: 256 samples per minibatch',
  },
  gamma: { kind: 'number', default: 0.99, min: 0, max: 1, doc: 'SAC v2 Table 1: discount 0.99' },
  tau: {
    kind: 'number',
    default: 0.005,
    min: 0,
    max: 1,
    doc: 'SAC v2 Table 1: target smoothing coefficient 0.005',
  },
  targetUpdateInterval: {
    kind: 'int',
    default: 1,
    min: 1,
    max: 100_000_000,
    doc: 'SAC v2 Table 1: target update interval 1',
  },
  hiddenSize: {
    kind: 'int',
    default: 256,
    min: 1,
    max: 16_384,
    doc: 'SAC v2 Table 1: 256 hidden units per layer',
  },
  hiddenLayers: { kind: 'int', default: 2, min: 0, max: 32, doc: 'SAC v2 Table 1: 2 hidden layers (ReLU)' },
  learnAlpha: {
    kind: 'boolean',
    default: true,
    doc: 'SAC v2 Section 5: automatic temperature adjustment (false keeps alpha = initialAlpha)',
  },
  initialAlpha: {
    kind: 'number',
    default: 1,
    greaterThan: 0,
    doc: 'starting temperature; 1 as in the SAC authors\u2019 softlearning code (log alpha = 0)',
  },
  targetEntropyPerActionDim: {
    kind: 'number',
    default: -1,
    doc: 'SAC v2 Table 1: entropy target -dim(A) (the target is this times |A|)',
  },
  maxGradNorm: {
    kind: 'number',
    default: 0,
    min: 0,
    doc: 'global gradient-norm clip; 0 = none (the SAC paper does not clip)',
  },
  replayCapacity: {
    kind: 'int',
    default: 1_000_000,
    min: 1,
    max: 100_000_000,
    doc: 'SAC v2 Table 1: replay buffer size 1e6 (the loop caps it at totalSteps)',
  },
} as const satisfies Schema;

export type SacConfig = ConfigOf<typeof sacSchema>;
