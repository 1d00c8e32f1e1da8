/**
 * MnM hyperparameters with their sources. MnM's deep-RL settings are not in the material this
 * package draws on (the MnM paper's abstract; the authors' public repository holds only the
 * tabular experiments), so the defaults are ALM's Table 3: the ALM paper runs MnM as ALM with an
 * identity encoder (ALM Appendix F, Figure 13), which is what this agent is. Where a key has no
 * counterpart in either paper, its doc says "our choice".
 */
import type { ConfigOf, Schema } from '@mbrl-ts/contract';

export const mnmSchema = {
  learningRate: {
    kind: 'number',
    default: 1e-4,
    greaterThan: 0,
    doc: 'ALM Table 3: learning rate 1e-4 (every optimizer: model, reward+classifier, critic, actor)',
  },
  batchSize: { kind: 'int', default: 512, min: 2, max: 65_536, doc: 'ALM Table 3: batch size 512' },
  gamma: { kind: 'number', default: 0.99, min: 0, max: 1, doc: 'ALM Table 3: discount 0.99' },
  tau: { kind: 'number', default: 0.005, min: 0, max: 1, doc: 'ALM Table 3: soft update rate 0.005' },
  targetUpdateInterval: {
    kind: 'int',
    default: 1,
    min: 1,
    max: 100_000_000,
    doc: 'ALM authors\u2019 code: target critics updated after every update',
  },
  lambda: {
    kind: 'number',
    default: 0.95,
    min: 0,
    max: 1,
    doc: 'ALM Table 3: lambda 0.95 of the policy\u2019s lambda-returns (ALM Eq. 8 on observations)',
  },
  horizon: {
    kind: 'int',
    default: 3,
    min: 1,
    max: 10,
    doc: 'H, imagined steps of the policy and model losses before the critic takes over: ALM(3) (Table 1); the critic carries the classifier term beyond H (Appendix F, K -> infinity)',
  },
  hiddenSize: {
    kind: 'int',
    default: 512,
    min: 1,
    max: 16_384,
    doc: 'ALM Appendix D: 2 hidden layers of 512 units (policy, reward, classifier, critics)',
  },
  modelHiddenSize: {
    kind: 'int',
    default: 1024,
    min: 1,
    max: 16_384,
    doc: 'ALM Appendix D: the model has 2 hidden layers of 1024 units',
  },
  modelMinStd: {
    kind: 'number',
    default: 0.01,
    greaterThan: 0,
    doc: 'our choice: smallest std of the model\u2019s Gaussian over each next-observation coordinate (soft clamp)',
  },
  modelMaxStd: {
    kind: 'number',
    default: 1,
    greaterThan: 0,
    doc: 'our choice: largest std of the model\u2019s Gaussian (soft clamp); must exceed modelMinStd',
  },
  maxGradNorm: {
    kind: 'number',
    default: 100,
    min: 0,
    doc: 'ALM Table 3: max grad norm 100 (global norm per optimizer; 0 = no clipping)',
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
    doc: 'ALM Table 3: policy noise clip 0.3 inside the losses (acting is unclipped)',
  },
  classifierCoefficient: {
    kind: 'number',
    default: 1,
    min: 0,
    doc: 'MnM\u2019s bound: weight 1 on log p/q = log C/(1-C) in the augmented reward (ALM uses 0.1 for its own classifier term)',
  },
  criticTransitions: {
    kind: 'enum',
    values: ['model', 'real'],
    default: 'model',
    doc: "our choice of what the critic learns from. 'model' (MnM's bound, ALM Appendix F with K -> infinity): TD on (s, a, r + c log C/(1-C), s'^ ~ q). 'real': ALM Eq. 10 on real (s, a, r, s'), the classifier term only on the H imagined steps of the policy and model losses (ALM Appendix F with K = H). With termination and an alive bonus (InvertedPendulum), 'model' makes the critic learn r + c log C/(1-C), about 0 or below once the classifier separates model from real transitions (log-odds -5 to -10), so ending early pays; 'real' keeps the critic on the task's return",
  },
  mleCoefficient: {
    kind: 'number',
    default: 10,
    min: 0,
    doc: 'our choice: weight of the model\u2019s negative log-likelihood of real next observations added to the bound (0 = the bound alone); with 1, a Pendulum run\u2019s model drifted to states the critic and reward model overrate (imagined reward +0.16 against real rewards <= 0) although the classifier flagged them',
  },
  replayCapacity: {
    kind: 'int',
    default: 100_000,
    min: 1,
    max: 100_000_000,
    doc: 'ALM Table 3: replay buffer 1e5',
  },
} as const satisfies Schema;

export type MnmConfig = ConfigOf<typeof mnmSchema>;

/**
 * Named smaller settings for the CLI's --preset. 'quick': narrower networks, smaller batches, a
 * higher learning rate and a 10k-update exploration schedule for the small tasks (Pendulum,
 * InvertedPendulum) on a laptop, the same values as ALM's quick preset; the algorithm is unchanged.
 */
export const mnmPresets = {
  quick: {
    batchSize: 128,
    hiddenSize: 128,
    modelHiddenSize: 256,
    learningRate: 3e-4,
    explorationStdDuration: 10_000,
  },
} as const satisfies Record<string, Partial<MnmConfig>>;
