/**
 * REDQ's and SAC-AVG's losses on a tiny ensemble with known weights, checked against the values
 * computed by hand: the target reduces over exactly the members given (the minimum for REDQ, the
 * mean for SAC-AVG), every member regresses on it, and the actor maximises the ensemble average.
 */
import { QEnsemble } from '@mbrl-ts/models';
import { Rng, tf } from '@mbrl-ts/nn';
import { initBackend } from '@mbrl-ts/kernels';
import {
  ensembleActorLoss,
  readMetrics,
  redqCriticLoss,
  redqTarget,
  sacAvgCriticLoss,
  sacAvgTarget,
} from '../src';
import { batchOf, gaussianActorSample, knownGaussianActor, normals, setWeights } from './helpers';

// top level: the describe body builds networks while jest collects the tests
await initBackend('wasm', { logger: () => {} });

/** Q_0(s, a) = s, Q_1(s, a) = a, Q_2(s, a) = s + a + 1 (obs 1, act 1, no hidden layer). */
function knownEnsemble(): QEnsemble {
  const q = QEnsemble.create({
    observationSize: 1,
    actionSize: 1,
    ensembleSize: 3,
    hiddenSizes: [],
    rng: new Rng(1),
  });
  setWeights(q, { '0.weight': [1, 0, 0, 1, 1, 1], '0.bias': [0, 0, 1] });
  return q;
}
const members = [(s: number) => s, (_s: number, a: number) => a, (s: number, a: number) => s + a + 1];

const rows = { s: [1, 0], a: [0, 2], r: [1, 2], s2: [2, -1], d: [0, 0] };
const alpha = 0.5;
const gamma = 0.9;

/** y by hand for the target members `chosen`, reduced by `reduce`, with the actor's draws of `seed`. */
function targetByHand(chosen: number[], reduce: (values: number[]) => number, seed: number): number[] {
  const eps = normals(seed, 2);
  return rows.s2.map((s2, i) => {
    const next = gaussianActorSample(s2, eps[i]);
    const value = reduce(chosen.map((m) => members[m](s2, next.a)));
    return rows.r[i] + gamma * (1 - rows.d[i]) * (value - alpha * next.logProb);
  });
}
const min = (v: number[]) => Math.min(...v);
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;

function lossByHand(y: number[]): number {
  return members.reduce(
    (sum, q) => sum + rows.s.reduce((acc, s, i) => acc + (q(s, rows.a[i]) - y[i]) ** 2, 0) / rows.s.length,
    0,
  );
}

describe('REDQ and SAC-AVG targets', () => {
  const [online, target, actor] = [knownEnsemble(), knownEnsemble(), knownGaussianActor()];
  afterAll(() => [online, target, actor].forEach((m) => m.dispose()));
  const inputs = (targetMembers: number[], seed: number, batch: ReturnType<typeof batchOf>) => ({
    critic: online,
    targetCritic: target,
    actor,
    batch,
    targetMembers,
    alpha,
    gamma,
    rng: new Rng(seed),
  });

  it('REDQ takes the minimum over exactly the members drawn, nothing else', () => {
    for (const chosen of [[0, 2], [1, 2], [2, 0], [1]]) {
      const y = tf.tidy(() => Array.from(redqTarget(inputs(chosen, 7, batchOf(rows))).dataSync()));
      const expected = targetByHand(chosen, min, 7);
      y.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
    }
    // the subsets give different targets here, so a target over any other set would be caught
    const y02 = targetByHand([0, 2], min, 7);
    const y12 = targetByHand([1, 2], min, 7);
    const all = targetByHand([0, 1, 2], min, 7);
    expect(y02[0]).not.toBeCloseTo(y12[0], 3);
    expect(y12[1]).not.toBeCloseTo(all[1], 3);
  });

  it('SAC-AVG takes the mean over all members', () => {
    const y = tf.tidy(() => Array.from(sacAvgTarget(inputs([0, 1, 2], 3, batchOf(rows))).dataSync()));
    const expected = targetByHand([0, 1, 2], mean, 3);
    y.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
    expect(expected[1]).not.toBeCloseTo(targetByHand([0, 1, 2], min, 3)[1], 3);
  });

  it('a terminated row does not bootstrap', () => {
    const y = tf.tidy(() =>
      Array.from(redqTarget(inputs([0, 1], 7, batchOf({ ...rows, d: [1, 0] }))).dataSync()),
    );
    expect(y[0]).toBeCloseTo(1, 6);
  });

  it('the critic losses: every member regresses on the target, summed over members', () => {
    const redq = tf.tidy(() => readMetrics(redqCriticLoss(inputs([0, 2], 11, batchOf(rows))).metrics));
    const yRedq = targetByHand([0, 2], min, 11);
    expect(redq.critic_loss).toBeCloseTo(lossByHand(yRedq), 4);
    expect(redq.target_mean).toBeCloseTo(mean(yRedq), 5);
    // Q_i at (s, a) = (1, 0), (0, 2): member means 0.5, 1, 2.5
    expect(redq.q_mean).toBeCloseTo(4 / 3, 5);
    expect(redq.q_member_std).toBeCloseTo(
      Math.sqrt(((0.5 - 4 / 3) ** 2 + (1 - 4 / 3) ** 2 + (2.5 - 4 / 3) ** 2) / 3),
      5,
    );
    const avg = tf.tidy(() => readMetrics(sacAvgCriticLoss(inputs([0, 1, 2], 11, batchOf(rows))).metrics));
    expect(avg.critic_loss).toBeCloseTo(lossByHand(targetByHand([0, 1, 2], mean, 11)), 4);
  });

  it('the actor loss is mean(alpha log pi - mean_i Q_i) at a fresh action', () => {
    const eps = normals(5, 2);
    const expected = mean(
      rows.s.map((s, i) => {
        const { a, logProb } = gaussianActorSample(s, eps[i]);
        return alpha * logProb - mean(members.map((q) => q(s, a)));
      }),
    );
    const metrics = tf.tidy(() => {
      const observation = tf.tensor2d(rows.s, [2, 1]);
      return readMetrics(
        ensembleActorLoss({ actor, critic: online, observation, alpha, rng: new Rng(5) }).metrics,
      );
    });
    expect(metrics.actor_loss).toBeCloseTo(expected, 5);
  });

  it('refuses an empty set of target members', () => {
    expect(() => tf.tidy(() => redqTarget(inputs([], 1, batchOf(rows))))).toThrow(/targetMembers is empty/);
  });
});
