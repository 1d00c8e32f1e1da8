/** Tiny real networks (no hidden layer) with known weights, so every loss can be computed by hand. */
import { DeterministicActor, SquashedGaussianActor, TwinQCritic } from '@mbrl-ts/models';
import { Rng, tf, type Module } from '@mbrl-ts/nn';
import type { TransitionTensors } from '../src';

export function setWeights(module: Module, values: Record<string, number[]>): void {
  const variables = module.variables();
  for (const [name, v] of Object.entries(values)) {
    const variable = variables.get(name);
    if (!variable) throw new Error(`no variable ${name}`);
    tf.tidy(() => variable.assign(tf.tensor(v, variable.shape)));
  }
}

/** Q1(s, a) = 2 s - a + 0.5, Q2(s, a) = s + 3 a (obs 1, act 1). */
export function knownCritic(): TwinQCritic {
  const critic = TwinQCritic.create({ observationSize: 1, actionSize: 1, hiddenSizes: [], rng: new Rng(1) });
  setWeights(critic, { 'q1.0.weight': [2, -1], 'q1.0.bias': [0.5], 'q2.0.weight': [1, 3], 'q2.0.bias': [0] });
  return critic;
}
export const q1 = (s: number, a: number) => 2 * s - a + 0.5;
export const q2 = (s: number, a: number) => s + 3 * a;

/** Target twins: Q1t(s, a) = s + a, Q2t(s, a) = 0.5 s - a + 1. */
export function knownTargetCritic(): TwinQCritic {
  const critic = TwinQCritic.create({ observationSize: 1, actionSize: 1, hiddenSizes: [], rng: new Rng(2) });
  setWeights(critic, { 'q1.0.weight': [1, 1], 'q1.0.bias': [0], 'q2.0.weight': [0.5, -1], 'q2.0.bias': [1] });
  return critic;
}
export const q1t = (s: number, a: number) => s + a;
export const q2t = (s: number, a: number) => 0.5 * s - a + 1;

/** SAC actor: u ~ N(0.5 s + 0.1, 0.5^2), a = tanh(u). */
export function knownGaussianActor(): SquashedGaussianActor {
  const actor = SquashedGaussianActor.create({
    observationSize: 1,
    actionSize: 1,
    hiddenSizes: [],
    rng: new Rng(3),
  });
  setWeights(actor, { 'net.0.weight': [0.5, 0], 'net.0.bias': [0.1, Math.log(0.5)] });
  return actor;
}
/** The squashed sample and its log-density for observation s and standard-normal draw eps. */
export function gaussianActorSample(s: number, eps: number): { a: number; logProb: number } {
  const u = 0.5 * s + 0.1 + 0.5 * eps;
  const logProb =
    -0.5 * eps * eps - Math.log(0.5) - 0.5 * Math.log(2 * Math.PI) - Math.log(1 - Math.tanh(u) ** 2);
  return { a: Math.tanh(u), logProb };
}

/** TD3 actor: a = tanh(0.8 s - 0.2). */
export function knownDeterministicActor(): DeterministicActor {
  const actor = DeterministicActor.create({
    observationSize: 1,
    actionSize: 1,
    hiddenSizes: [],
    rng: new Rng(4),
  });
  setWeights(actor, { 'net.0.weight': [0.8], 'net.0.bias': [-0.2] });
  return actor;
}
export const deterministicAction = (s: number) => Math.tanh(0.8 * s - 0.2);

/** The first `n` standard-normal draws an Rng seeded with `seed` gives (as float32, as tensors get them). */
export function normals(seed: number, n: number): number[] {
  return Array.from(new Rng(seed).fillNormalZiggurat(new Float32Array(n)));
}

export interface Rows {
  s: number[];
  a: number[];
  r: number[];
  s2: number[];
  d: number[];
}

export function batchOf(rows: Rows): TransitionTensors {
  const n = rows.s.length;
  return {
    observation: tf.tensor2d(rows.s, [n, 1]),
    action: tf.tensor2d(rows.a, [n, 1]),
    reward: tf.tensor1d(rows.r),
    nextObservation: tf.tensor2d(rows.s2, [n, 1]),
    terminated: tf.tensor1d(rows.d),
  };
}
