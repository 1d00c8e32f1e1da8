/**
 * Every loss against numbers computed by hand (in float64 here) on one or two transitions with
 * known weights. Noise is drawn from a seeded Rng; the test draws the same numbers to compute.
 */
import { Rng, tf } from '@mbrl-ts/nn';
import { initBackend } from '@mbrl-ts/kernels';
import {
  bellmanTarget,
  defaultTargetEntropy,
  readMetrics,
  sacActorLoss,
  sacCriticLoss,
  sacTemperatureLoss,
  td3ActorLoss,
  td3CriticLoss,
} from '../src';
import {
  batchOf,
  deterministicAction,
  gaussianActorSample,
  knownCritic,
  knownDeterministicActor,
  knownGaussianActor,
  knownTargetCritic,
  normals,
  q1,
  q1t,
  q2,
  q2t,
} from './helpers';

beforeAll(async () => {
  await initBackend('wasm', { logger: () => {} });
});

const critic = () => knownCritic();
const rows = { s: [1, -0.5], a: [0.5, -0.25], r: [1, -2], s2: [2, 0.3], d: [0, 1] };

describe('bellmanTarget', () => {
  it('is r + gamma (1 - terminated) v: terminated rows do not bootstrap', () => {
    tf.tidy(() => {
      const y = bellmanTarget(tf.tensor1d([1, 1]), tf.tensor1d([0, 1]), tf.tensor1d([10, 10]), 0.9);
      expect(Array.from(y.dataSync())).toEqual([10, 1]);
    });
  });
});

describe('sacCriticLoss', () => {
  it('regresses both critics on r + gamma (1 - d)(min target Q - alpha log pi) at a fresh next action', () => {
    const [online, target, actor] = [critic(), knownTargetCritic(), knownGaussianActor()];
    const alpha = 0.2;
    const gamma = 0.9;
    const eps = normals(7, 2);
    const y = rows.s.map((_, i) => {
      const next = gaussianActorSample(rows.s2[i], eps[i]);
      const soft = Math.min(q1t(rows.s2[i], next.a), q2t(rows.s2[i], next.a)) - alpha * next.logProb;
      return rows.r[i] + gamma * (1 - rows.d[i]) * soft;
    });
    expect(y[1]).toBe(-2); // terminated: the reward alone
    const mse = (q: (s: number, a: number) => number) =>
      rows.s.reduce((sum, s, i) => sum + (q(s, rows.a[i]) - y[i]) ** 2, 0) / 2;
    const metrics = tf.tidy(() => {
      const result = sacCriticLoss({
        critic: online,
        targetCritic: target,
        actor,
        batch: batchOf(rows),
        alpha,
        gamma,
        rng: new Rng(7),
      });
      return readMetrics({ loss: tf.keep(result.loss), ...result.metrics });
    });
    expect(metrics.loss).toBeCloseTo(mse(q1) + mse(q2), 4);
    expect(metrics.critic_loss).toBeCloseTo(metrics.loss, 6);
    expect(metrics.target_mean).toBeCloseTo((y[0] + y[1]) / 2, 4);
    expect(metrics.q1_mean).toBeCloseTo((q1(1, 0.5) + q1(-0.5, -0.25)) / 2, 5);
    expect(metrics.q2_mean).toBeCloseTo((q2(1, 0.5) + q2(-0.5, -0.25)) / 2, 5);
    for (const m of [online, target, actor]) m.dispose();
  });
});

describe('sacActorLoss', () => {
  it('is mean(alpha log pi(a|s) - min(Q1, Q2)(s, a)) at reparameterised actions', () => {
    const [online, actor] = [critic(), knownGaussianActor()];
    const alpha = 0.3;
    const eps = normals(9, 2);
    const samples = rows.s.map((s, i) => gaussianActorSample(s, eps[i]));
    const expected =
      rows.s.reduce(
        (sum, s, i) => sum + alpha * samples[i].logProb - Math.min(q1(s, samples[i].a), q2(s, samples[i].a)),
        0,
      ) / 2;
    const metrics = tf.tidy(() => {
      const result = sacActorLoss({
        actor,
        critic: online,
        observation: tf.tensor2d(rows.s, [2, 1]),
        alpha,
        rng: new Rng(9),
      });
      return readMetrics({ loss: tf.keep(result.loss), ...result.metrics });
    });
    expect(metrics.loss).toBeCloseTo(expected, 4);
    expect(metrics.log_prob_mean).toBeCloseTo((samples[0].logProb + samples[1].logProb) / 2, 4);
    expect(metrics.entropy).toBeCloseTo(-metrics.log_prob_mean, 6);
    online.dispose();
    actor.dispose();
  });
});

describe('sacTemperatureLoss', () => {
  it('is -log alpha (mean log pi + target entropy), and its gradient lowers alpha when entropy exceeds the target', () => {
    const logAlpha = tf.variable(tf.scalar(Math.log(0.5)));
    const targetEntropy = defaultTargetEntropy(1);
    expect(targetEntropy).toBe(-1);
    const metrics = tf.tidy(() => {
      const result = sacTemperatureLoss({ logAlpha, logProbMean: -0.3, targetEntropy });
      return readMetrics({ loss: tf.keep(result.loss), ...result.metrics });
    });
    expect(metrics.loss).toBeCloseTo(-Math.log(0.5) * (-0.3 - 1), 6);
    expect(metrics.alpha).toBeCloseTo(0.5, 6);
    const { grads, value } = tf.variableGrads(
      () => sacTemperatureLoss({ logAlpha, logProbMean: tf.scalar(-0.3), targetEntropy }).loss,
      [logAlpha],
    );
    // d loss / d log alpha = -(mean log pi + target) = 1.3 > 0: gradient descent lowers alpha
    expect(grads[logAlpha.name].dataSync()[0]).toBeCloseTo(1.3, 6);
    tf.dispose([value, ...Object.values(grads), logAlpha]);
  });
});

describe('td3CriticLoss', () => {
  it('uses the smoothed target action clip(pi_targ(s\u2032) + clip(sigma eps, -c, c), -1, 1) and min of target twins', () => {
    const [online, target, targetActor] = [critic(), knownTargetCritic(), knownDeterministicActor()];
    const gamma = 0.99;
    const policyNoise = 0.2;
    const noiseClip = 0.5;
    const eps = normals(5, 2);
    const y = rows.s.map((_, i) => {
      const noise = Math.max(-noiseClip, Math.min(noiseClip, policyNoise * eps[i]));
      const a2 = Math.max(-1, Math.min(1, deterministicAction(rows.s2[i]) + noise));
      return rows.r[i] + gamma * (1 - rows.d[i]) * Math.min(q1t(rows.s2[i], a2), q2t(rows.s2[i], a2));
    });
    const mse = (q: (s: number, a: number) => number) =>
      rows.s.reduce((sum, s, i) => sum + (q(s, rows.a[i]) - y[i]) ** 2, 0) / 2;
    const metrics = tf.tidy(() => {
      const result = td3CriticLoss({
        critic: online,
        targetCritic: target,
        targetActor,
        batch: batchOf(rows),
        gamma,
        policyNoise,
        noiseClip,
        rng: new Rng(5),
      });
      return readMetrics({ loss: tf.keep(result.loss), ...result.metrics });
    });
    expect(metrics.loss).toBeCloseTo(mse(q1) + mse(q2), 4);
    expect(metrics.target_mean).toBeCloseTo((y[0] + y[1]) / 2, 4);
    for (const m of [online, target, targetActor]) m.dispose();
  });

  it('clips the smoothing noise at c and the action at the bounds', () => {
    const [online, target, targetActor] = [critic(), knownTargetCritic(), knownDeterministicActor()];
    const one = { s: [0], a: [0], r: [0], s2: [3], d: [0] };
    const eps = normals(21, 1)[0];
    // sigma 100 makes |sigma eps| > c for any draw beyond 0.005: the noise is +-c exactly
    const noise = Math.sign(eps) * 0.5;
    const a2 = Math.max(-1, Math.min(1, deterministicAction(3) + noise));
    const y = 1 * Math.min(q1t(3, a2), q2t(3, a2));
    const metrics = tf.tidy(() => {
      const result = td3CriticLoss({
        critic: online,
        targetCritic: target,
        targetActor,
        batch: batchOf(one),
        gamma: 1,
        policyNoise: 100,
        noiseClip: 0.5,
        rng: new Rng(21),
      });
      return readMetrics(result.metrics);
    });
    expect(Math.abs(eps)).toBeGreaterThan(0.005);
    expect(metrics.target_mean).toBeCloseTo(y, 5);
    for (const m of [online, target, targetActor]) m.dispose();
  });
});

describe('td3ActorLoss', () => {
  it('is -mean Q1(s, pi(s))', () => {
    const [online, actor] = [critic(), knownDeterministicActor()];
    const expected = -(q1(1, deterministicAction(1)) + q1(-0.5, deterministicAction(-0.5))) / 2;
    const metrics = tf.tidy(() => {
      const result = td3ActorLoss({ actor, critic: online, observation: tf.tensor2d([1, -0.5], [2, 1]) });
      return readMetrics({ loss: tf.keep(result.loss), ...result.metrics });
    });
    expect(metrics.loss).toBeCloseTo(expected, 5);
    online.dispose();
    actor.dispose();
  });
});

describe('readMetrics', () => {
  it('reads numbers and scalar tensors and disposes the tensors', () => {
    const before = tf.memory().numTensors;
    const a = tf.scalar(2);
    expect(readMetrics({ a, b: 3, c: a })).toEqual({ a: 2, b: 3, c: 2 });
    expect(tf.memory().numTensors).toBe(before);
  });
});
