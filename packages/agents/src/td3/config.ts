/**
 * TD3 hyperparameters with their sources: Fujimoto et al. 2018, "Addressing Function Approximation
 * Error in Actor-Critic Methods" (Section 6.1 and Appendix), and the authors' reference code
 * (github.com/sfujim/TD3), whose current defaults replace the paper's 1e-3 learning rate,
 * batch 100 and 400-300 units with 3e-4, 256 and 256-256.
 */
import type { ConfigOf, Schema } from '@mbrl-ts/contract';

export const td3Schema = {
  learningRate: {
    kind: 'number',
    default: 3e-4,
    greaterThan: 0,
    doc: 'TD3 authors\u2019 code: Adam learning rate 3e-4 for actor and critics (the paper used 1e-3)',
  },
  batchSize: {
    kind: 'int',
    default: 256,
    min: 1,
    max: 65_536,
    doc: 'TD3 authors\u2019 code: minibatch 256 (the paper used 100)',
  },
  gamma: { kind: 'number', default: 0.99, min: 0, max: 1, doc: 'TD3 paper: discount 0.99' },
  tau: { kind: 'number', default: 0.005, min: 0, max: 1, doc: 'TD3 paper: target update rate 0.005' },
  policyDelay: {
    kind: 'int',
    default: 2,
    min: 1,
    max: 1000,
    doc: 'TD3 paper Section 5.2: actor and targets updated every 2 critic updates',
  },
  explorationNoise: {
    kind: 'number',
    default: 0.1,
    min: 0,
    doc: 'TD3 paper Section 6.1: Gaussian exploration noise N(0, 0.1) in units of the maximum action',
  },
  policyNoise: {
    kind: 'number',
    default: 0.2,
    min: 0,
    doc: 'TD3 paper Section 6.1: target policy smoothing noise std 0.2',
  },
  noiseClip: {
    kind: 'number',
    default: 0.5,
    min: 0,
    doc: 'TD3 paper Section 6.1: smoothing noise clipped to (-0.5, 0.5)',
  },
  hiddenSize: {
    kind: 'int',
    default: 256,
    min: 1,
    max: 16_384,
    doc: 'TD3 authors\u2019 code: 256 hidden units per layer',
  },
  hiddenLayers: {
    kind: 'int',
    default: 2,
    min: 0,
    max: 32,
    doc: 'TD3 authors\u2019 code: 2 hidden layers (ReLU)',
  },
  maxGradNorm: {
    kind: 'number',
    default: 0,
    min: 0,
    doc: 'global gradient-norm clip; 0 = none (the TD3 paper does not clip)',
  },
  replayCapacity: {
    kind: 'int',
    default: 1_000_000,
    min: 1,
    max: 100_000_000,
    doc: 'TD3 paper: replay buffer of 1e6 transitions (the loop caps it at totalSteps)',
  },
} as const satisfies Schema;

export type Td3Config = ConfigOf<typeof td3Schema>;
