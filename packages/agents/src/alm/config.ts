/**
 * ALM hyperparameters with their sources: the paper's Table 3 and Appendix D, and the authors'
 * configuration (cfgs/agent/alm.yaml in their code), the coefficients the ablations set to 0, and
 * one key per swappable term (terms.ts) naming its value. Every default is the paper's ALM(3).
 */
import type { ConfigOf, Schema } from '@mbrl-ts/contract';
import { ALM_TERM_CHOICES, almTermFields, type AlmTermChoices } from './terms';

export { explorationStd } from '../exploration';

export const almSchema = {
  learningRate: {
    kind: 'number',
    default: 1e-4,
    greaterThan: 0,
    doc: 'ALM Table 3: learning rate 1e-4 (every optimizer group: encoder+model, reward+classifier, critic, actor)',
  },
  batchSize: {
    kind: 'int',
    default: 512,
    min: 2,
    max: 65_536,
    doc: 'ALM Table 3: batch size 512 (sequences and transitions)',
  },
  gamma: { kind: 'number', default: 0.99, min: 0, max: 1, doc: 'ALM Table 3: discount 0.99' },
  tau: { kind: 'number', default: 0.005, min: 0, max: 1, doc: 'ALM Table 3: soft update rate 0.005' },
  targetUpdateInterval: {
    kind: 'int',
    default: 1,
    min: 1,
    max: 100_000_000,
    doc: 'authors\u2019 code: target encoder and target critics updated after every update',
  },
  lambda: {
    kind: 'number',
    default: 0.95,
    min: 0,
    max: 1,
    doc: 'ALM Table 3: weighted target parameter lambda 0.95',
  },
  horizon: {
    kind: 'int',
    default: 3,
    min: 1,
    max: 10,
    doc: 'K, the model rollout length: ALM(3) in Table 1; Figure 5b / 10b vary it (1..10)',
  },
  latentSize: { kind: 'int', default: 50, min: 1, max: 4096, doc: 'ALM Table 3: latent dimension 50' },
  hiddenSize: {
    kind: 'int',
    default: 512,
    min: 1,
    max: 16_384,
    doc: 'ALM Appendix D: 2 hidden layers of 512 units (encoder, policy, reward, classifier, critics)',
  },
  modelHiddenSize: {
    kind: 'int',
    default: 1024,
    min: 1,
    max: 16_384,
    doc: 'ALM Appendix D: the latent-space model has 2 hidden layers of 1024 units',
  },
  maxGradNorm: {
    kind: 'number',
    default: 100,
    min: 0,
    doc: 'ALM Table 3: max grad norm 100 (global norm per optimizer group; 0 = no clipping)',
  },
  explorationStdStart: {
    kind: 'number',
    default: 1,
    min: 0,
    doc: 'ALM Table 3: exploration std schedule linear(1.0, 0.1, 100000): start',
  },
  explorationStdEnd: {
    kind: 'number',
    default: 0.1,
    min: 0,
    doc: 'ALM Table 3: exploration std schedule linear(1.0, 0.1, 100000): end',
  },
  explorationStdDuration: {
    kind: 'int',
    default: 100_000,
    min: 1,
    max: 100_000_000,
    doc: 'ALM Table 3: exploration std schedule linear(1.0, 0.1, 100000): updates (counted from the first, as the authors\u2019 code)',
  },
  noiseClip: {
    kind: 'number',
    default: 0.3,
    min: 0,
    doc: 'ALM Table 3: exploration stddev clip 0.3 (policy noise inside the losses; acting is unclipped, as the authors\u2019 code)',
  },
  classifierCoefficient: {
    kind: 'number',
    default: 0.1,
    min: 0,
    doc: 'ALM Table 3: coefficient c of the classifier reward in Eq. 8, 0.1 (theory: 1; Figures 11, 20 vary it); 0 drops it (Figure 5a "no classifier reward")',
  },
  klCoefficient: {
    kind: 'number',
    default: 1,
    min: 0,
    doc: 'k_KL, weight of the KL term in Eq. 7 (the lower bound: 1); 0 drops it (Figure 5a "no KL term")',
  },
  ...almTermFields(ALM_TERM_CHOICES),
  logRewardShift: {
    kind: 'number',
    default: 0,
    min: 0,
    doc: 'Appendix A.8 / Figure 12: shift a of the log transform a(log(x + a) - log a) of r and Q in Eq. 7 and 8 (paper: a = 10000); 0 = off',
  },
  entropyCoefficient: {
    kind: 'number',
    default: 0,
    min: 0,
    doc: 'ALM-ENT (Table 5): alpha of a SAC-style entropy bonus in Eq. 8 with a learned policy std; 0 = off (ALM)',
  },
  linearClassifier: {
    kind: 'boolean',
    default: false,
    doc: 'Figure 16 ablation: a linear classifier (one Linear layer to the two logits)',
  },
  replayCapacity: {
    kind: 'int',
    default: 100_000,
    min: 1,
    max: 100_000_000,
    doc: 'ALM Table 3: replay buffer 1e5 (1e6 for Humanoid, see humanoidReplayCapacity)',
  },
  humanoidReplayCapacity: {
    kind: 'int',
    default: 1_000_000,
    min: 1,
    max: 100_000_000,
    doc: 'ALM Table 3: replay buffer 1e6 for the Humanoid tasks',
  },
} as const satisfies Schema;

export type AlmConfig = ConfigOf<typeof almSchema>;

/** The schema with each term key listing the values of `choices` (the built-ins and a variant's). */
export function almSchemaWith(choices: AlmTermChoices): typeof almSchema {
  return { ...almSchema, ...almTermFields(choices) };
}

/** Table 3's buffer size for a task: 1e6 for Humanoid, 1e5 otherwise. */
export function almReplayCapacity(envId: string, config: AlmConfig): number {
  return /humanoid/i.test(envId) ? config.humanoidReplayCapacity : config.replayCapacity;
}

/**
 * Named smaller settings for the CLI's --preset. 'quick': narrower networks and smaller batches
 * for laptops and the small tasks (Pendulum, InvertedPendulum); the algorithm is unchanged.
 */
export const almPresets = {
  quick: {
    batchSize: 128,
    hiddenSize: 128,
    modelHiddenSize: 256,
    latentSize: 20,
    learningRate: 3e-4,
    explorationStdDuration: 10_000,
  },
} as const satisfies Record<string, Partial<AlmConfig>>;
