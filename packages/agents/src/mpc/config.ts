/**
 * MPC hyperparameters with their sources. "PETS" is Chua et al. 2018, "Deep Reinforcement Learning
 * in a Handful of Trials using Probabilistic Dynamics Models" (NeurIPS), and the settings of its
 * released code for HalfCheetah (checked against its HalfCheetah configuration and its defaults:
 * horizon 30, CEM 500 / 50 elites / 5 iterations / alpha 0.1, random shooting 2500 sequences,
 * 4 x 200 swish, Adam 1e-3, 5 epochs, B = 5, 20 particles); the loop itself is the lecture notes' naive model-based
 * RL (seed 003, Algorithm 1) with the policy replaced by replanning at every step.
 */
import type { ConfigOf, Schema } from '@mbrl-ts/contract';

export const mpcSchema = {
  planner: {
    kind: 'enum',
    values: ['cem', 'random'],
    default: 'cem',
    doc: 'cem: the cross-entropy method (PETS); random: random shooting (the notes, Algorithm 3)',
  },
  horizon: { kind: 'int', default: 30, min: 1, max: 1_000, doc: 'PETS HalfCheetah: planning horizon 30' },
  candidates: {
    kind: 'int',
    default: 500,
    min: 1,
    max: 1_000_000,
    doc: 'PETS: CEM population 500 sequences per iteration (random shooting: sequences per plan; PETS samples 2500 there)',
  },
  elites: { kind: 'int', default: 50, min: 1, max: 1_000_000, doc: 'PETS: 50 elites' },
  iterations: { kind: 'int', default: 5, min: 1, max: 1_000, doc: 'PETS: 5 CEM iterations' },
  alpha: {
    kind: 'number',
    default: 0.1,
    min: 0,
    max: 0.999,
    doc: 'PETS: CEM smoothing 0.1 (new = alpha old + (1 - alpha) elites)',
  },
  initialStdFraction: {
    kind: 'number',
    default: 0.25,
    greaterThan: 0,
    max: 10,
    doc: 'PETS: initial variance (high - low)^2 / 16, a std of a quarter of the box width',
  },
  members: { kind: 'int', default: 5, min: 1, max: 1_000, doc: 'PETS: an ensemble of B = 5' },
  particles: {
    kind: 'int',
    default: 20,
    min: 1,
    max: 10_000,
    doc: 'PETS: P = 20 particles per candidate (a multiple of members)',
  },
  probabilistic: {
    kind: 'boolean',
    default: true,
    doc: 'PETS PE: Gaussian heads, NLL loss, particles sample them (false: point predictions, squared error)',
  },
  reward: {
    kind: 'enum',
    values: ['task', 'learned', 'shaped'],
    default: 'task',
    doc: "task: the task's own reward function where it has one (Pendulum-v1, InvertedPendulum-v4), else learned; learned: always a reward output of the ensemble; shaped: a planning reward of ours that is not the task's (InvertedPendulum-v4: 1 - (angle / 0.2)^2 - x^2, see task-rewards.ts)",
  },
  hiddenSize: {
    kind: 'int',
    default: 200,
    min: 1,
    max: 16_384,
    doc: 'PETS HalfCheetah: 200 units per layer',
  },
  hiddenLayers: {
    kind: 'int',
    default: 4,
    min: 0,
    max: 32,
    doc: 'PETS HalfCheetah: 4 hidden layers (swish)',
  },
  learningRate: { kind: 'number', default: 1e-3, greaterThan: 0, doc: 'PETS: Adam learning rate 1e-3' },
  batchSize: { kind: 'int', default: 32, min: 1, max: 65_536, doc: 'PETS: minibatches of 32' },
  epochs: {
    kind: 'int',
    default: 5,
    min: 1,
    max: 10_000,
    doc: 'PETS: 5 epochs over all data per refit',
  },
  trainEvery: {
    kind: 'int',
    default: 1_000,
    min: 1,
    max: 100_000_000,
    doc: 'environment steps between refits; PETS refits after every 1000-step episode',
  },
  replayCapacity: {
    kind: 'int',
    default: 1_000_000,
    min: 1,
    max: 100_000_000,
    doc: 'PETS keeps all data (the loop caps it at totalSteps)',
  },
} as const satisfies Schema;

export type MpcConfig = ConfigOf<typeof mpcSchema>;

/**
 * 'small': the sizes our measured runs on the small tasks (Pendulum-v1, InvertedPendulum-v4) use on
 * two CPU cores; our choice, not PETS's: fewer candidates and particles, a shorter horizon, a
 * narrower network, larger minibatches, 25 epochs per refit (the data are a few thousand rows), a
 * refit every 200 steps (a Pendulum episode).
 */
export const mpcPresets = {
  small: {
    horizon: 15,
    candidates: 200,
    elites: 20,
    iterations: 4,
    particles: 5,
    hiddenSize: 64,
    hiddenLayers: 2,
    batchSize: 64,
    epochs: 25,
    trainEvery: 200,
  },
} as const satisfies Record<string, Partial<MpcConfig>>;
