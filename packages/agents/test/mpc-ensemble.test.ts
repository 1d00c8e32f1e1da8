/**
 * The bootstrap ensemble and trajectory sampling: bootstrap resampling, particle-to-member
 * assignment, members as batched weights, the fit, the TS-infinity scores against a hand
 * computation, and the tasks' own reward functions against the real envs.
 */
import { initBackend } from '@mbrl-ts/kernels';
import { makeEnv } from '@mbrl-ts/envs';
import { Adam, Rng, tf } from '@mbrl-ts/nn';
import {
  assignParticles,
  bootstrapIndices,
  BootstrapEnsemble,
  fitBootstrapEnsemble,
  shapedRewardFor,
  taskRewardFor,
  trajectorySamplingReturns,
} from '../src';

await initBackend('wasm', { logger: () => {} });

describe('bootstrap resampling', () => {
  it('gives each member n draws with replacement, about 1 - 1/e of the rows distinct, fixed by the seed', () => {
    const n = 4000;
    const a = bootstrapIndices(n, 3, new Rng(7));
    const b = bootstrapIndices(n, 3, new Rng(7));
    expect(a.map((x) => Array.from(x))).toEqual(b.map((x) => Array.from(x)));
    for (const idx of a) {
      expect(idx.length).toBe(n);
      expect(Math.min(...idx)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...idx)).toBeLessThan(n);
      const distinct = new Set(idx).size / n;
      expect(Math.abs(distinct - (1 - Math.exp(-1)))).toBeLessThan(0.02);
    }
    expect(Array.from(a[0])).not.toEqual(Array.from(a[1]));
  });
});

describe('particle assignment (TS-infinity)', () => {
  it('gives every candidate exactly P particles, each member N P / B of them, in a seeded random order', () => {
    const owner = assignParticles(6, 4, 3, new Rng(1));
    expect(owner.length).toBe(24);
    const counts = new Array(6).fill(0);
    for (const c of owner) counts[c] += 1;
    expect(counts).toEqual([4, 4, 4, 4, 4, 4]);
    expect(Array.from(assignParticles(6, 4, 3, new Rng(1)))).toEqual(Array.from(owner));
    expect(Array.from(assignParticles(6, 4, 3, new Rng(2)))).not.toEqual(Array.from(owner));
    // not the sorted layout: particles of one candidate are spread over members
    expect(Array.from(owner)).not.toEqual([...Array(24).keys()].map((i) => Math.floor(i / 4)));
  });

  it('refuses particles that do not split evenly over the members', () => {
    expect(() => assignParticles(3, 1, 2, new Rng(1))).toThrow(/3 x 1 particles do not split over 2 members/);
  });
});

describe('BootstrapEnsemble', () => {
  it('runs each member on its own weights: the batched product equals member-by-member products', () => {
    const ens = BootstrapEnsemble.create({
      members: 3,
      inputSize: 4,
      outputSize: 2,
      hiddenSizes: [8],
      probabilistic: false,
      rng: new Rng(3),
    });
    const x = new Rng(4).fillNormal(new Float32Array(3 * 5 * 4));
    const batched = tf.tidy(() => ens.predict(tf.tensor3d(x, [3, 5, 4])).mean.arraySync());
    for (let b = 0; b < 3; b++) {
      const alone = tf.tidy(() => {
        const xb = tf.tensor2d(x.subarray(b * 20, (b + 1) * 20), [5, 4]);
        const w0 = ens.weights[0].slice([b, 0, 0], [1, 4, 8]).reshape([4, 8]);
        const b0 = ens.biases[0].slice([b, 0, 0], [1, 1, 8]).reshape([8]);
        const z = xb.matMul(w0).add(b0);
        const h = z.mul(tf.sigmoid(z));
        const w1 = ens.weights[1].slice([b, 0, 0], [1, 8, 2]).reshape([8, 2]);
        const b1 = ens.biases[1].slice([b, 0, 0], [1, 1, 2]).reshape([2]);
        return h.matMul(w1).add(b1).arraySync() as number[][];
      });
      for (let i = 0; i < 5; i++) {
        for (let k = 0; k < 2; k++) expect(batched[b][i][k]).toBeCloseTo(alone[i][k], 5);
      }
    }
    // members differ
    expect(batched[0][0][0]).not.toBeCloseTo(batched[1][0][0], 3);
    ens.dispose();
  });

  it('fits a linear map from its bootstrap resamples, the same weights from the same seed', () => {
    const rows = 192;
    const rng = new Rng(11);
    const inputs = rng.fillNormal(new Float32Array(rows * 2));
    const targets = new Float32Array(rows);
    for (let r = 0; r < rows; r++) targets[r] = 3 * inputs[2 * r] - 2 * inputs[2 * r + 1] + 5;
    const fit = (seed: number) => {
      const ens = BootstrapEnsemble.create({
        members: 2,
        inputSize: 2,
        outputSize: 1,
        hiddenSizes: [16],
        probabilistic: true,
        rng: new Rng(seed),
      });
      const adam = new Adam({ learningRate: 3e-3, maxGradNorm: null });
      const metrics = fitBootstrapEnsemble(
        ens,
        adam,
        { rows, inputs, targets },
        { epochs: 30, batchSize: 32 },
        new Rng(seed),
      );
      const weights = Array.from(ens.weights[0].dataSync());
      const pred = tf.tidy(() => ens.predict(tf.tensor3d([1, 1, 1, 1], [2, 1, 2])).mean.dataSync());
      ens.dispose();
      adam.dispose();
      return { metrics, weights, pred };
    };
    const before = tf.memory().numTensors;
    const a = fit(1);
    expect(tf.memory().numTensors).toBe(before);
    // 3 - 2 + 5 = 6 for both members; standardised squared error small
    expect(a.pred[0]).toBeCloseTo(6, 0);
    expect(a.pred[1]).toBeCloseTo(6, 0);
    expect(a.metrics.model_mse).toBeLessThan(0.01);
    expect(a.metrics.model_steps).toBe(30 * Math.ceil(rows / 32));
    const b = fit(1);
    expect(b.weights).toEqual(a.weights);
    expect(fit(2).weights).not.toEqual(a.weights);
  });
});

describe('trajectory sampling scores', () => {
  it('match a hand computation: Pendulum reward, members that add 0.1 b to thetaDot each step', () => {
    const B = 3;
    const ens = BootstrapEnsemble.create({
      members: B,
      inputSize: 4,
      outputSize: 3,
      hiddenSizes: [],
      probabilistic: false,
      rng: new Rng(1),
    });
    // one linear layer: weights 0, member b's bias moves thetaDot by 0.1 b per step
    ens.weights[0].assign(tf.zeros([B, 4, 3]));
    ens.biases[0].assign(tf.tensor3d([0, 0, 0, 0, 0, 0.1, 0, 0, 0.2], [B, 1, 3]));
    const theta = 0.5;
    const obs = [Math.cos(theta), Math.sin(theta), 1];
    const [N, H, P] = [4, 3, 3];
    const us = [-2, -0.5, 1, 3]; // candidate n repeats action us[n] (3 is clipped to 2 by the reward)
    const actions = tf.tensor3d(
      us.flatMap((u) => [u, u, u]),
      [N, H, 1],
    );
    const returns = trajectorySamplingReturns(
      {
        ensemble: ens,
        particles: P,
        observationSize: 3,
        taskReward: taskRewardFor('Pendulum-v1'),
        sample: false,
      },
      obs,
      actions,
      new Rng(5),
    );
    // the same draw of the assignment the function makes first
    const owner = assignParticles(N, P, B, new Rng(5));
    const perMember = (N * P) / B;
    const expected = new Array(N).fill(0);
    owner.forEach((candidate, row) => {
      const member = Math.floor(row / perMember);
      const u = Math.min(2, Math.max(-2, us[candidate]));
      let ret = 0;
      for (let t = 0; t < H; t++) {
        const thetaDot = 1 + 0.1 * member * t;
        ret += -(theta ** 2 + 0.1 * thetaDot ** 2 + 0.001 * u ** 2);
      }
      expected[candidate] += ret / P;
    });
    for (let n = 0; n < N; n++) expect(returns[n]).toBeCloseTo(expected[n], 4);
    actions.dispose();
    ens.dispose();
  });

  it('stops counting reward after a predicted termination (InvertedPendulum: |angle| > 0.2)', () => {
    const ens = BootstrapEnsemble.create({
      members: 1,
      inputSize: 5,
      outputSize: 4,
      hiddenSizes: [],
      probabilistic: false,
      rng: new Rng(1),
    });
    // the pole angle follows the action: delta angle = action
    const w = new Float32Array(5 * 4);
    w[4 * 4 + 1] = 1;
    ens.weights[0].assign(tf.tensor3d(w, [1, 5, 4]));
    const actions = tf.tensor3d([0.05, 0.05, 0.05, 0.05, /**/ 0.15, 0.15, 0.15, 0.15], [2, 4, 1]);
    const returns = trajectorySamplingReturns(
      {
        ensemble: ens,
        particles: 1,
        observationSize: 4,
        taskReward: taskRewardFor('InvertedPendulum-v4'),
        sample: false,
      },
      [0, 0, 0, 0],
      actions,
      new Rng(1),
    );
    // 0.05 per step stays within 0.2 for 4 steps: 4; 0.15, 0.30: terminated after step 2, reward 2
    expect(Array.from(returns)).toEqual([4, 2]);
    actions.dispose();
    ens.dispose();
  });
});

describe("the tasks' own reward functions", () => {
  it('equal the env rewards and terminations on real steps (Pendulum-v1, InvertedPendulum-v4)', async () => {
    for (const id of ['Pendulum-v1', 'InvertedPendulum-v4']) {
      const env = await makeEnv(id);
      const reward = taskRewardFor(id);
      expect(reward).toBeDefined();
      const rng = new Rng(3);
      let obs = env.reset({ seed: 1 }).obs;
      let terminations = 0;
      for (let i = 0; i < 300; i++) {
        const { low, high } = env.actionSpace;
        const action = Array.from(low, (l, k) => rng.uniformRange(l * 1.2, high[k] * 1.2));
        const step = env.step(action);
        const [r, done] = tf.tidy(() => {
          const o = tf.tensor2d([Array.from(obs)]);
          const a = tf.tensor2d([action]);
          const n = tf.tensor2d([Array.from(step.obs)]);
          return [
            reward!.reward(o, a, n).dataSync()[0],
            reward!.terminated ? reward!.terminated(n).dataSync()[0] : 0,
          ];
        });
        expect(r).toBeCloseTo(step.reward, 4);
        expect(done).toBe(step.terminated ? 1 : 0);
        if (step.terminated) terminations += 1;
        obs = step.terminated || step.truncated ? env.reset().obs : step.obs;
      }
      if (id === 'InvertedPendulum-v4') expect(terminations).toBeGreaterThan(5);
      env.close();
    }
    expect(taskRewardFor('HalfCheetah-v4')).toBeUndefined();
  });

  it('shaped (InvertedPendulum-v4): 1 - (angle / 0.2)^2 - x^2 of the next state, the task termination', () => {
    const shaped = shapedRewardFor('InvertedPendulum-v4')!;
    // next states [x, angle, xdot, angledot]
    const next = tf.tensor2d([
      [0, 0, 0, 0],
      [0.5, 0.1, 1, 1],
      [-1, -0.3, 0, 0],
    ]);
    const obs = tf.zerosLike(next);
    const action = tf.zeros([3, 1]);
    const r = shaped.reward(obs, action, next);
    const done = shaped.terminated!(next);
    const values = Array.from(r.dataSync());
    expect(values[0]).toBeCloseTo(1, 6);
    expect(values[1]).toBeCloseTo(1 - 0.25 - 0.25, 6);
    expect(values[2]).toBeCloseTo(1 - 2.25 - 1, 5);
    expect(Array.from(done.dataSync())).toEqual([0, 0, 1]);
    tf.dispose([next, obs, action, r, done]);
    expect(shapedRewardFor('Pendulum-v1')).toBeUndefined();
  });
});
