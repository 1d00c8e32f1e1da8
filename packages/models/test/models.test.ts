import { Rng, tf } from '@mbrl-ts/nn';
import { initBackend } from '@mbrl-ts/kernels';
import { DeterministicActor, logOneMinusTanhSquared, SquashedGaussianActor, TwinQCritic } from '../src';

beforeAll(async () => {
  await initBackend('wasm', { logger: () => {} });
});

function assign(variable: tf.Variable | undefined, values: number[]): void {
  if (!variable) throw new Error('no such variable');
  tf.tidy(() => variable.assign(tf.tensor(values, variable.shape)));
}

describe('TwinQCritic', () => {
  it('names its variables q1.* and q2.* and maps [B, obs] x [B, act] to two [B] values', () => {
    const critic = TwinQCritic.create({
      observationSize: 3,
      actionSize: 2,
      hiddenSizes: [4],
      rng: new Rng(1),
    });
    expect([...critic.variables().keys()]).toEqual([
      'q1.0.weight',
      'q1.0.bias',
      'q1.2.weight',
      'q1.2.bias',
      'q2.0.weight',
      'q2.0.bias',
      'q2.2.weight',
      'q2.2.bias',
    ]);
    expect(critic.variables().get('q1.0.weight')?.shape).toEqual([5, 4]);
    tf.tidy(() => {
      const [q1, q2] = critic.forward(tf.ones([7, 3]), tf.zeros([7, 2]));
      expect(q1.shape).toEqual([7]);
      expect(q2.shape).toEqual([7]);
      // independent initial weights: the twins disagree
      expect(Array.from(q1.dataSync())).not.toEqual(Array.from(q2.dataSync()));
    });
    critic.dispose();
  });

  it('computes Q(s, a) = w . [s, a] + b with known weights, and min and Q1 from the same numbers', () => {
    const critic = TwinQCritic.create({
      observationSize: 1,
      actionSize: 1,
      hiddenSizes: [],
      rng: new Rng(1),
    });
    const v = critic.variables();
    assign(v.get('q1.0.weight'), [2, -1]);
    assign(v.get('q1.0.bias'), [0.5]);
    assign(v.get('q2.0.weight'), [1, 3]);
    assign(v.get('q2.0.bias'), [0]);
    tf.tidy(() => {
      const s = tf.tensor2d([[1], [-1]]);
      const a = tf.tensor2d([[0.5], [1]]);
      const [q1, q2] = critic.forward(s, a);
      expect(Array.from(q1.dataSync())).toEqual([2 - 0.5 + 0.5, -2 - 1 + 0.5]);
      expect(Array.from(q2.dataSync())).toEqual([1 + 1.5, -1 + 3]);
      expect(Array.from(critic.minimum(s, a).dataSync())).toEqual([2, -2.5]);
      expect(Array.from(critic.forwardQ1(s, a).dataSync())).toEqual([2, -2.5]);
    });
    critic.dispose();
  });

  it('clone() gives a target with the same names and values that moves independently', () => {
    const critic = TwinQCritic.create({
      observationSize: 2,
      actionSize: 1,
      hiddenSizes: [3],
      rng: new Rng(2),
    });
    const target = critic.clone();
    expect([...target.variables().keys()]).toEqual([...critic.variables().keys()]);
    const w = critic.variables().get('q1.0.weight') as tf.Variable;
    const tw = target.variables().get('q1.0.weight') as tf.Variable;
    expect(Array.from(tw.dataSync())).toEqual(Array.from(w.dataSync()));
    tf.tidy(() => w.assign(tf.add(w, 1)));
    expect(Array.from(tw.dataSync())).not.toEqual(Array.from(w.dataSync()));
    critic.dispose();
    target.dispose();
  });
});

/** A 1-D actor with no hidden layer: net(s) = [mean, log std] = [0.5 s + 0.1, log 0.5]. */
function linearActor(): SquashedGaussianActor {
  const actor = SquashedGaussianActor.create({
    observationSize: 1,
    actionSize: 1,
    hiddenSizes: [],
    rng: new Rng(3),
  });
  const v = actor.variables();
  assign(v.get('net.0.weight'), [0.5, 0]);
  assign(v.get('net.0.bias'), [0.1, Math.log(0.5)]);
  return actor;
}

describe('SquashedGaussianActor', () => {
  it('log pi(a|s) is the Gaussian log-density of u minus log(1 - tanh(u)^2), by hand', () => {
    const actor = linearActor();
    const eps = new Rng(11).fillNormalZiggurat(new Float32Array(1))[0];
    const u = 1.1 + 0.5 * eps;
    const expectedLogProb =
      -0.5 * eps * eps - Math.log(0.5) - 0.5 * Math.log(2 * Math.PI) - Math.log(1 - Math.tanh(u) ** 2);
    tf.tidy(() => {
      const { action, logProb } = actor.sample(tf.tensor2d([[2]]), new Rng(11));
      expect(action.shape).toEqual([1, 1]);
      expect(action.dataSync()[0]).toBeCloseTo(Math.tanh(u), 5);
      expect(logProb.shape).toEqual([1]);
      expect(logProb.dataSync()[0]).toBeCloseTo(expectedLogProb, 4);
      expect(actor.mode(tf.tensor2d([[2]])).dataSync()[0]).toBeCloseTo(Math.tanh(1.1), 6);
    });
    actor.dispose();
  });

  it('act(): tanh(mean) when deterministic, else the sample of rng, for one observation, leaving no tensor', () => {
    const actor = linearActor();
    const before = tf.memory().numTensors;
    const eps = new Rng(11).fillNormalZiggurat(new Float32Array(1))[0];
    const mode = actor.act(new Float64Array([2]), new Rng(11), true);
    const sampled = actor.act(new Float64Array([2]), new Rng(11), false);
    expect(tf.memory().numTensors).toBe(before);
    expect(mode).toBeInstanceOf(Float32Array);
    expect(mode[0]).toBeCloseTo(Math.tanh(1.1), 6);
    expect(sampled[0]).toBeCloseTo(Math.tanh(1.1 + 0.5 * eps), 5);
    actor.dispose();
  });

  it('clips log std into [-20, 2]', () => {
    const actor = SquashedGaussianActor.create({
      observationSize: 1,
      actionSize: 1,
      hiddenSizes: [],
      rng: new Rng(3),
    });
    assign(actor.variables().get('net.0.weight'), [0, 0]);
    assign(actor.variables().get('net.0.bias'), [0, 50]);
    tf.tidy(() => {
      expect(actor.distribution(tf.tensor2d([[1]])).std.dataSync()[0]).toBeCloseTo(Math.exp(2), 4);
    });
    actor.dispose();
  });

  it('sums log-densities over action dimensions and keeps actions inside (-1, 1)', () => {
    const actor = SquashedGaussianActor.create({
      observationSize: 4,
      actionSize: 3,
      hiddenSizes: [8, 8],
      rng: new Rng(4),
    });
    tf.tidy(() => {
      const { action, logProb } = actor.sample(tf.randomNormal([5, 4], 0, 3, 'float32', 1), new Rng(5));
      expect(action.shape).toEqual([5, 3]);
      expect(logProb.shape).toEqual([5]);
      for (const x of action.dataSync()) expect(Math.abs(x)).toBeLessThanOrEqual(1);
      for (const x of logProb.dataSync()) expect(Number.isFinite(x)).toBe(true);
    });
    actor.dispose();
  });
});

describe('logOneMinusTanhSquared', () => {
  it('equals log(1 - tanh(u)^2) and stays finite where tanh(u) rounds to 1', () => {
    tf.tidy(() => {
      const values = logOneMinusTanhSquared(tf.tensor1d([0, 0.3, -2, 30])).dataSync();
      expect(values[0]).toBeCloseTo(0, 6);
      expect(values[1]).toBeCloseTo(Math.log(1 - Math.tanh(0.3) ** 2), 5);
      expect(values[2]).toBeCloseTo(Math.log(1 - Math.tanh(-2) ** 2), 5);
      // 2 (log 2 - 30 - softplus(-60)) = 2 log 2 - 60
      expect(values[3]).toBeCloseTo(2 * Math.log(2) - 60, 3);
    });
  });
});

describe('DeterministicActor', () => {
  it('is tanh(W s + b) with known weights, actions in [-1, 1]', () => {
    const actor = DeterministicActor.create({
      observationSize: 2,
      actionSize: 1,
      hiddenSizes: [],
      rng: new Rng(6),
    });
    assign(actor.variables().get('net.0.weight'), [1, -2]);
    assign(actor.variables().get('net.0.bias'), [0.25]);
    tf.tidy(() => {
      const a = actor
        .forward(
          tf.tensor2d([
            [1, 1],
            [100, 0],
          ]),
        )
        .dataSync();
      expect(a[0]).toBeCloseTo(Math.tanh(-0.75), 6);
      expect(a[1]).toBeCloseTo(1, 6);
    });
    expect([...actor.variables().keys()]).toEqual(['net.0.weight', 'net.0.bias']);
    actor.dispose();
  });
});
