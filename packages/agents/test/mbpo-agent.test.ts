/**
 * MBPO: the rollout-length schedule, the model buffer's size, the real/model mix of policy batches,
 * model training (held-out error, elites, early stopping), rollouts and their termination, which
 * loss trains which variables, determinism, memory and exact save/load.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultsOf } from '@mbrl-ts/contract';
import { Rng, tf } from '@mbrl-ts/nn';
import { initBackend } from '@mbrl-ts/kernels';
import { chooseElites, gaussianEnsembleLoss } from '@mbrl-ts/objectives';
import { ReplayBuffer } from '@mbrl-ts/replay';
import {
  dynamicsData,
  MBPO_TASKS,
  MbpoAgent,
  mbpoSchema,
  mbpoTask,
  modelBufferCapacity,
  modelWeightDecays,
  realRows,
  rolloutLength,
  trainDynamics,
  type MbpoConfig,
  type MbpoTask,
} from '../src';
import { changed, filledReplay, memory, namesWith, snapshot, testAgentOptions } from './helpers';

await initBackend('wasm', { logger: () => {} });

const small: Partial<MbpoConfig> = {
  ensembleSize: 3,
  eliteCount: 2,
  modelHiddenSize: 8,
  modelHiddenLayers: 1,
  modelBatchSize: 32,
  modelMaxEpochs: 4,
  rolloutBatchSize: 50,
  policyUpdatesPerStep: 2,
  batchSize: 20,
  realRatio: 0.25,
  hiddenSize: 16,
  modelTrainEvery: 3,
};
const pendulum = MBPO_TASKS['Pendulum-v1'];
const obs = Float64Array.of(0.3, -1.2, 0.8);

function smallMbpo(
  seed = 0,
  overrides: Partial<MbpoConfig> = {},
  task: MbpoTask = pendulum,
  replay = filledReplay(),
) {
  const config = { ...defaultsOf(mbpoSchema), ...small, ...overrides };
  return new MbpoAgent({ ...testAgentOptions(replay, seed, config), task });
}

/** A replay of a known system: s' = 0.9 s + 0.2 a, r = s_0 (obs 3, act 1 in [-2, 2]). */
function linearReplay(rows = 300): ReplayBuffer {
  const replay = new ReplayBuffer({ capacity: rows, observationDim: 3, actionDim: 1 });
  const rng = new Rng(2);
  for (let i = 0; i < rows; i++) {
    const s = rng.fillNormal(new Float64Array(3));
    const a = rng.uniformRange(-2, 2);
    replay.add({
      observation: s,
      action: [a],
      reward: s[0],
      nextObservation: s.map((v) => 0.9 * v + 0.1 * a),
      terminated: false,
    });
  }
  return replay;
}

describe('MBPO settings', () => {
  it('has the paper\u2019s defaults: 7 models, 5 elites, real ratio 0.05, 20 updates per step, retraining every 250 steps', () => {
    expect(defaultsOf(mbpoSchema)).toMatchObject({
      ensembleSize: 7,
      eliteCount: 5,
      realRatio: 0.05,
      policyUpdatesPerStep: 20,
      modelTrainEvery: 250,
      rolloutBatchSize: 100_000,
      modelHiddenSize: 200,
      modelHiddenLayers: 4,
      modelRetainEpochs: 1,
      batchSize: 256,
    });
    for (const field of Object.values(mbpoSchema)) expect(field.doc.length).toBeGreaterThan(10);
    expect(modelWeightDecays(4)).toEqual([2.5e-5, 5e-5, 7.5e-5, 7.5e-5, 1e-4]);
    expect(modelWeightDecays(1)).toEqual([2.5e-5, 1e-4]);
    expect(() => smallMbpo(0, { eliteCount: 4 })).toThrow(
      /eliteCount \(4\) must not exceed ensembleSize \(3\)/,
    );
    expect(() => mbpoTask('Nope-v0')).toThrow(/no rollout schedule and termination function for Nope-v0/);
  });

  it('follows each task\u2019s rollout-length schedule (linear between its epochs, rounded down)', () => {
    const hopper = MBPO_TASKS['Hopper-v4'].schedule; // [20, 150, 1, 15]
    expect([0, 20, 85, 149, 150, 400].map((e) => rolloutLength(hopper, e))).toEqual([1, 1, 8, 14, 15, 15]);
    const ant = MBPO_TASKS['Ant-v4'].schedule; // [20, 100, 1, 25]
    expect([19, 60, 100].map((e) => rolloutLength(ant, e))).toEqual([1, 13, 25]);
    const humanoid = MBPO_TASKS['Humanoid-v4'].schedule; // [20, 300, 1, 20]
    expect(rolloutLength(humanoid, 160)).toBe(10); // 1 + 140 / 280 x 19 = 10.5
    for (const id of ['HalfCheetah-v4', 'Walker2d-v4', 'InvertedPendulum-v4'])
      expect([0, 50, 500].map((e) => rolloutLength(MBPO_TASKS[id].schedule, e))).toEqual([1, 1, 1]);
    // epochs count environment steps in the task's epoch length (1000; InvertedPendulum 250)
    const agent = smallMbpo(0, {}, MBPO_TASKS['Hopper-v4']);
    expect(agent.currentRolloutLength(85_000)).toBe(8);
    expect(agent.currentRolloutLength(84_999)).toBe(7);
    agent.dispose();
  });

  it('sizes the model buffer as rollouts x k x epochLength / retrain period x retained epochs', () => {
    const config = defaultsOf(mbpoSchema);
    expect(modelBufferCapacity(config, MBPO_TASKS['HalfCheetah-v4'], 1)).toBe(400_000);
    expect(modelBufferCapacity(config, MBPO_TASKS['Hopper-v4'], 8)).toBe(3_200_000);
    expect(modelBufferCapacity(config, MBPO_TASKS['InvertedPendulum-v4'], 1)).toBe(100_000);
    expect(realRows(config)).toBe(12); // floor(256 x 0.05)
  });

  it('terminates model rollouts by the task\u2019s own tests on the next observation', () => {
    const hopper = MBPO_TASKS['Hopper-v4'].terminated;
    expect(hopper(Float32Array.of(1.2, 0.1, 0, 0))).toBe(false);
    expect(hopper(Float32Array.of(0.6, 0.1, 0, 0))).toBe(true);
    expect(hopper(Float32Array.of(1.2, 0.3, 0, 0))).toBe(true);
    expect(hopper(Float32Array.of(1.2, 0.1, 0, 200))).toBe(true);
    const pole = MBPO_TASKS['InvertedPendulum-v4'].terminated;
    expect([pole(Float32Array.of(0, 0.19, 0, 0)), pole(Float32Array.of(0, -0.21, 0, 0))]).toEqual([
      false,
      true,
    ]);
    expect(MBPO_TASKS['HalfCheetah-v4'].terminated(Float32Array.of(-100))).toBe(false);
  });
});

describe('MBPO model training', () => {
  it('fits a known system: held-out error falls, elites are the lowest errors, members keep their best weights', () => {
    const agent = smallMbpo(1, { modelMaxEpochs: 0, modelPatience: 3 }, pendulum, linearReplay());
    const data = dynamicsData(agent['replay'], agent['scaling']);
    expect(data.inputSize).toBe(4);
    // target row 0 = [r, s' - s] of transition 0
    const { observation, reward, nextObservation } = agent['replay'].storage;
    expect(data.targets[0]).toBeCloseTo(reward[0], 6);
    expect(data.targets[1]).toBeCloseTo(nextObservation[0] - observation[0], 6);
    const settings = {
      eliteCount: 2,
      batchSize: 32,
      holdoutRatio: 0.2,
      maxHoldout: 5000,
      patience: 3,
      maxEpochs: 30,
      improvementThreshold: 0.01,
      boundCoefficient: 0.01,
      weightDecays: modelWeightDecays(1),
    };
    const first = trainDynamics({
      model: agent.model,
      optimizer: agent.modelOptimizer,
      normalizer: agent.normalizer,
      data,
      settings: { ...settings, maxEpochs: 1 },
      rng: new Rng(5),
      modelLoss: gaussianEnsembleLoss,
    });
    expect(first).toMatchObject({ epochs: 1, trainRows: 240, heldOutRows: 60 });
    const before = snapshot(agent.parameters());
    const result = trainDynamics({
      model: agent.model,
      optimizer: agent.modelOptimizer,
      normalizer: agent.normalizer,
      data,
      settings,
      rng: new Rng(6),
      modelLoss: gaussianEnsembleLoss,
    });
    // the model loss trains model.* only; the normaliser is refitted, never trained
    expect(changed(before, snapshot(agent.parameters())).sort()).toEqual(
      [...namesWith(agent.parameters(), 'model.'), 'model_input_mean', 'model_input_std'].sort(),
    );
    expect(result.epochs).toBeGreaterThanOrEqual(3);
    expect(result.epochs).toBeLessThanOrEqual(30);
    for (let m = 0; m < 3; m++) expect(result.heldOutErrors[m]).toBeLessThan(first.heldOutErrors[m]);
    // predicting the mean would err by ~0.27 (the targets' variance, averaged over [r, s' - s])
    expect(Math.max(...result.heldOutErrors)).toBeLessThan(0.2);
    expect(Math.min(...result.heldOutErrors)).toBeLessThan(0.1);
    expect(result.elites).toEqual(chooseElites(result.heldOutErrors, 2));
    agent.dispose();
  }, 60_000);
});

describe('MBPO rollouts and batches', () => {
  it('branches k-step rollouts from real states; a terminating task stops each after one step', () => {
    const ends: MbpoTask = {
      ...pendulum,
      schedule: { minEpoch: 0, maxEpoch: 0, minLength: 3, maxLength: 3 },
    };
    // more rollouts (300) than real states (200): start states are drawn with replacement
    const agent = smallMbpo(2, { rolloutBatchSize: 300 }, ends);
    const metrics = agent.trainModelAndRollOut(0);
    expect(metrics.rollout_length).toBe(3);
    expect(metrics.rollout_transitions).toBe(900); // 300 rollouts x 3 steps, none ends
    // the first step starts from real states
    const realStates = new Set<string>();
    const r = agent['replay'].storage.observation;
    for (let i = 0; i < 200; i++) realStates.add(Array.from(r.subarray(i * 3, i * 3 + 3)).join());
    const m = agent.modelBuffer.storage.observation;
    const fromReal = Array.from({ length: 900 }, (_, i) =>
      realStates.has(Array.from(m.subarray(i * 3, i * 3 + 3)).join()),
    );
    expect(fromReal.filter(Boolean).length).toBe(300);
    agent.dispose();

    const stops = smallMbpo(2, {}, { ...ends, terminated: () => true });
    expect(stops.trainModelAndRollOut(0).rollout_transitions).toBe(50);
    expect(Array.from(stops.modelBuffer.storage.terminated.subarray(0, 50)).every((t) => t === 1)).toBe(true);
    stops.dispose();
  }, 60_000);

  it('mixes floor(batch x realRatio) real rows with model rows', () => {
    const agent = smallMbpo(3);
    agent.trainModelAndRollOut(0);
    const real = new Set(Array.from(agent['replay'].storage.reward.subarray(0, 200)));
    const model = new Set(Array.from(agent.modelBuffer.storage.reward.subarray(0, agent.modelBuffer.size)));
    for (let i = 0; i < 5; i++) {
      const batch = agent.mixedBatch();
      const rewards = Array.from(batch.reward.dataSync());
      expect(rewards).toHaveLength(20);
      expect(rewards.slice(0, 5).every((x) => real.has(x) && !model.has(x))).toBe(true);
      expect(rewards.slice(5).every((x) => model.has(x) && !real.has(x))).toBe(true);
      tf.dispose(Object.values(batch));
    }
    agent.dispose();
  }, 60_000);
});

describe('MBPO agent', () => {
  it('an update trains the model at the first step and every modelTrainEvery steps, the policy every step', () => {
    const agent = smallMbpo(4);
    const all = agent.parameters();
    let before = snapshot(all);
    const first = agent.update(1);
    expect(first.model_epochs).toBeGreaterThan(0);
    expect(changed(before, snapshot(all)).sort()).toEqual([...all.keys()].sort());
    before = snapshot(all);
    const second = agent.update(2);
    expect(second.model_epochs).toBeUndefined();
    // no retraining at step 2: the model and its normaliser stay, the policy side moves
    expect(changed(before, snapshot(all)).sort()).toEqual(
      [
        ...namesWith(all, 'actor.'),
        ...namesWith(all, 'critic.'),
        ...namesWith(all, 'critic_target.'),
        'log_alpha',
      ].sort(),
    );
    expect(agent.update(3).model_epochs).toBeGreaterThan(0);
    expect(agent.modelTrainings).toBe(2);
    for (const v of Object.values(second)) expect(Number.isFinite(v)).toBe(true);
    agent.dispose();
  }, 60_000);

  it('same seed, same updates; the tensor count stays flat across retrainings', () => {
    const [a, b] = [smallMbpo(7), smallMbpo(7)];
    for (let s = 1; s <= 3; s++) expect(a.update(s)).toEqual(b.update(s));
    a.act(obs, { step: 0, deterministic: false });
    const count = memory();
    for (let s = 4; s <= 9; s++) {
      a.update(s);
      a.act(obs, { step: s, deterministic: s % 2 === 0 });
    }
    expect(memory()).toBe(count);
    a.dispose();
    b.dispose();
  }, 60_000);

  it('save then load resumes exactly: model buffer, elites, ensemble, policy, optimizers, Rng', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'agents-mbpo-'));
    const original = smallMbpo(5);
    for (let s = 1; s <= 2; s++) original.update(s);
    await original.save(dir);
    const restored = smallMbpo(99);
    await restored.load(dir);
    expect(restored.elites).toEqual(original.elites);
    expect(restored.modelBuffer.size).toBe(original.modelBuffer.size);
    expect(Array.from(restored.act(obs, { step: 0, deterministic: false }))).toEqual(
      Array.from(original.act(obs, { step: 0, deterministic: false })),
    );
    for (let s = 3; s <= 4; s++) expect(restored.update(s)).toEqual(original.update(s)); // step 3 retrains
    const [po, pr] = [snapshot(original.parameters()), snapshot(restored.parameters())];
    for (const [name, values] of po)
      expect(Array.from(pr.get(name) as Float32Array)).toEqual(Array.from(values));
    expect(Array.from(restored.modelBuffer.storage.reward)).toEqual(
      Array.from(original.modelBuffer.storage.reward),
    );
    original.dispose();
    restored.dispose();
  }, 60_000);
});
