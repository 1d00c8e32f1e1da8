/**
 * SAC-SVG(H) and SVG(1) agents: which loss trains which variables, determinism, memory, resume,
 * configuration errors and the observation normaliser.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng, softUpdate, tf } from '@mbrl-ts/nn';
import { initBackend } from '@mbrl-ts/kernels';
import {
  sacCriticLoss,
  sacSvgActorLoss,
  sacTemperatureLoss,
  svg1ActorLoss,
  svg1ValueLoss,
} from '@mbrl-ts/objectives';
import { ReplayBuffer } from '@mbrl-ts/replay';
import {
  ActionScaling,
  disposeTransitionTensors,
  minimizeObjective,
  ObservationNormalizer,
  transitionTensors,
  type SacSvgAgent,
  type Svg1Agent,
} from '../src';
import { changed, filledReplay, namesWith, snapshot } from './helpers';
import { smallSacSvg, smallSvg1 } from './svg-helpers';

await initBackend('wasm', { logger: () => {} });

const scaling = new ActionScaling([-2], [2]);
const obs = Float64Array.of(0.3, -1.2, 0.8);

describe('SAC-SVG gradient routing', () => {
  const replay = filledReplay();
  const agent = smallSacSvg(replay, 0, { horizon: 3 });
  for (let i = 0; i < 2; i++) agent.update(i);
  const all = agent.parameters();
  const rng = new Rng(123);
  const batch = transitionTensors(replay.sampleTransitions(16, rng), scaling);
  const nonStatistics = [...all.keys()].filter((n) => !n.startsWith('obs_norm.'));
  afterAll(() => {
    disposeTransitionTensors(batch);
    agent.dispose();
  });

  it('the critic loss changes critic.* only', () => {
    const before = snapshot(all);
    minimizeObjective(agent.criticOptimizer, agent.critic, () =>
      sacCriticLoss({
        critic: agent.critic,
        targetCritic: agent.targetCritic,
        actor: agent.actor,
        batch,
        alpha: 0.1,
        gamma: 0.99,
        rng,
      }),
    );
    expect(changed(before, snapshot(all)).sort()).toEqual(namesWith(all, 'critic.').sort());
  });

  it('the H-step value expansion changes actor.* only, though it runs through model, reward, done and critics', () => {
    const before = snapshot(all);
    minimizeObjective(agent.actorOptimizer, agent.actor, () =>
      sacSvgActorLoss({
        actor: agent.actor,
        dynamics: agent.model.dynamics,
        reward: agent.model.reward,
        done: agent.model.done,
        critic: agent.critic,
        observation: batch.observation,
        horizon: 3,
        gamma: 0.99,
        alpha: 0.1,
        rng,
      }),
    );
    expect(changed(before, snapshot(all)).sort()).toEqual(namesWith(all, 'actor.').sort());
  });

  it('the temperature loss changes log_alpha only', () => {
    const before = snapshot(all);
    minimizeObjective(agent.alphaOptimizer, [agent.logAlpha], () =>
      sacTemperatureLoss({ logAlpha: agent.logAlpha, logProbMean: -0.5, targetEntropy: -1 }),
    );
    expect(changed(before, snapshot(all))).toEqual(['log_alpha']);
  });

  it('the dynamics loss changes dynamics.* only; the heads change reward.* and done.* only', () => {
    let before = snapshot(all);
    const sequences = replay.sampleSequences(2, 8, rng);
    agent.model.fitDynamics(sequences, scaling);
    expect(changed(before, snapshot(all)).sort()).toEqual(namesWith(all, 'dynamics.').sort());
    before = snapshot(all);
    agent.model.fitHeads(batch);
    expect(changed(before, snapshot(all)).sort()).toEqual(
      [...namesWith(all, 'reward.'), ...namesWith(all, 'done.')].sort(),
    );
  });

  it('target critics move only by the Polyak update', () => {
    const before = snapshot(all);
    softUpdate(agent.targetCritic, agent.critic, 0.005);
    expect(changed(before, snapshot(all)).sort()).toEqual(namesWith(all, 'critic_target.').sort());
  });

  it('a whole update changes every network and target, with the expected metrics', () => {
    const before = snapshot(all);
    const metrics = agent.update(5);
    expect(changed(before, snapshot(all)).sort()).toEqual(nonStatistics.sort());
    expect(Object.keys(metrics).sort()).toEqual(
      [
        'actor_loss',
        'alpha',
        'critic_loss',
        'done_loss',
        'dynamics_loss',
        'entropy',
        'expanded_value_mean',
        'q1_mean',
        'reward_loss',
        'target_entropy',
        'temperature_loss',
      ].sort(),
    );
    for (const v of Object.values(metrics)) expect(Number.isFinite(v)).toBe(true);
  });
});

describe('SAC-SVG update variants', () => {
  it("H = 1 fits no dynamics (the model is never unrolled); before modelFreeWarmupSteps the actor is SAC's", () => {
    const one = smallSacSvg(filledReplay(), 0, { horizon: 1 });
    const before = snapshot(one.parameters());
    const metrics = one.update(0);
    expect(metrics.dynamics_loss).toBeUndefined();
    const moved = changed(before, snapshot(one.parameters()));
    expect(moved.some((n) => n.startsWith('dynamics.'))).toBe(false);
    one.dispose();
    const warm = smallSacSvg(filledReplay(), 0, { modelFreeWarmupSteps: 10 });
    expect(warm.update(3).expanded_value_mean).toBeUndefined();
    expect(warm.update(10).expanded_value_mean).toBeDefined();
    warm.dispose();
  });

  it('the target entropy follows the schedule: -2 to -3 linearly over 100 steps', () => {
    const agent = smallSacSvg(filledReplay(), 0, {
      targetEntropyInitialPerActionDim: -2,
      targetEntropyFinalPerActionDim: -3,
      targetEntropyDecay: 1,
      targetEntropySteps: 100,
    });
    expect([agent.targetEntropy(0), agent.targetEntropy(50), agent.targetEntropy(100)]).toEqual([
      -2, -2.5, -3,
    ]);
    agent.dispose();
  });
});

describe('SVG(1) gradient routing', () => {
  const replay = filledReplay();
  const agent = smallSvg1(replay);
  for (let i = 0; i < 2; i++) agent.update(i);
  const all = agent.parameters();
  const rng = new Rng(7);
  const batch = transitionTensors(replay.sampleTransitions(16, rng), scaling);
  afterAll(() => {
    disposeTransitionTensors(batch);
    agent.dispose();
  });

  it('the value loss changes value.* only', () => {
    const before = snapshot(all);
    minimizeObjective(agent.valueOptimizer, agent.value, () =>
      svg1ValueLoss({ value: agent.value, targetValue: agent.targetValue, batch, gamma: 0.99 }),
    );
    expect(changed(before, snapshot(all)).sort()).toEqual(namesWith(all, 'value.').sort());
  });

  it('the one-step value gradient changes actor.* only', () => {
    const before = snapshot(all);
    minimizeObjective(agent.actorOptimizer, agent.actor, () =>
      svg1ActorLoss({
        actor: agent.actor,
        dynamics: agent.model.dynamics,
        reward: agent.model.reward,
        done: agent.model.done,
        value: agent.value,
        batch,
        gamma: 0.99,
        alpha: 0,
        rng,
      }),
    );
    expect(changed(before, snapshot(all)).sort()).toEqual(namesWith(all, 'actor.').sort());
  });

  it('a whole update changes every network and the target value', () => {
    const before = snapshot(all);
    const metrics = agent.update(3);
    // one model step from the zero recurrent state: h W_hh = 0, so the GRU's hidden weights get no gradient
    const untouched = (n: string) => n.startsWith('obs_norm.') || n.endsWith('.hidden_weight');
    expect(changed(before, snapshot(all)).sort()).toEqual(
      [...all.keys()].filter((n) => !untouched(n)).sort(),
    );
    expect(Object.keys(metrics).sort()).toEqual(
      [
        'actor_loss',
        'done_loss',
        'dynamics_loss',
        'entropy',
        'reward_loss',
        'value_loss',
        'value_mean',
      ].sort(),
    );
  });
});

type AnySvgAgent = SacSvgAgent | Svg1Agent;
const makers: Array<[string, (seed: number) => AnySvgAgent]> = [
  ['sac-svg(2)', (seed) => smallSacSvg(filledReplay(), seed, { horizon: 2 })],
  ['sac-svg(3)', (seed) => smallSacSvg(filledReplay(), seed, { horizon: 3 })],
  ['svg1', (seed) => smallSvg1(filledReplay(), seed)],
];

describe.each(makers)('%s agent', (algo, make) => {
  it('same seed gives identical updates and parameters; another seed does not', () => {
    const [a, b, c] = [make(3), make(3), make(4)];
    for (let i = 0; i < 5; i++) {
      expect(a.update(i)).toEqual(b.update(i));
      c.update(i);
    }
    const [pa, pb, pc] = [snapshot(a.parameters()), snapshot(b.parameters()), snapshot(c.parameters())];
    for (const [name, values] of pa)
      expect(Array.from(pb.get(name) as Float32Array)).toEqual(Array.from(values));
    expect(Array.from(pc.get('actor.net.0.weight') as Float32Array)).not.toEqual(
      Array.from(pa.get('actor.net.0.weight') as Float32Array),
    );
    for (const x of [a, b, c]) x.dispose();
  }, 60_000);

  it('holds the tensor count flat over 100 updates and acting', () => {
    const agent = make(0);
    agent.update(0);
    agent.act(obs, { step: 0, deterministic: false });
    const before = tf.memory().numTensors;
    for (let i = 0; i < 100; i++) {
      agent.update(i);
      agent.act(obs, { step: i, deterministic: i % 2 === 0 });
    }
    expect(tf.memory().numTensors).toBe(before);
    agent.dispose();
  }, 120_000);

  it('save then load into a fresh agent resumes exactly: same actions, same next updates', async () => {
    const dir = mkdtempSync(join(tmpdir(), `agents-${algo}-`));
    const original = make(5);
    for (let i = 0; i < 3; i++) original.update(i);
    await original.save(dir);
    const restored = make(99);
    await restored.load(dir);
    expect(restored.updates).toBe(original.updates);
    expect(Array.from(restored.act(obs, { step: 0, deterministic: false }))).toEqual(
      Array.from(original.act(obs, { step: 0, deterministic: false })),
    );
    for (let i = 0; i < 2; i++) expect(restored.update(i)).toEqual(original.update(i));
    const [po, pr] = [snapshot(original.parameters()), snapshot(restored.parameters())];
    for (const [name, values] of po)
      expect(Array.from(pr.get(name) as Float32Array)).toEqual(Array.from(values));
    original.dispose();
    restored.dispose();
  }, 60_000);
});

describe('configuration errors', () => {
  it('log-std bounds in the wrong order are named with a fix', () => {
    expect(() => smallSacSvg(filledReplay(), 0, { logStdMin: 2, logStdMax: -5 })).toThrow(
      /SacSvgAgent: logStdMin \(2\) must be below logStdMax \(-5\)/,
    );
    expect(() => smallSvg1(filledReplay(), 0, { logStdMin: 0, logStdMax: 0 })).toThrow(
      /Svg1Agent: logStdMin/,
    );
  });

  it('a horizon too long for the stored episodes fails at sampling with the longest stretch named', () => {
    const replay = new ReplayBuffer({ capacity: 40, observationDim: 3, actionDim: 1 });
    for (let i = 0; i < 40; i++) {
      replay.add({
        observation: [0, 0, 0],
        action: [0],
        reward: 0,
        nextObservation: [0, 0, 0],
        terminated: i % 2 === 1,
      });
    }
    const agent = smallSacSvg(replay, 0, { horizon: 4, stepBatchSize: 8, sequenceBatchSize: 4 });
    expect(() => agent.update(0)).toThrow(/No stored stretch of one episode holds 3 consecutive transitions/);
    agent.dispose();
  });
});

describe('ObservationNormalizer', () => {
  it('keeps the running mean and (clipped) std of every observation added to replay', () => {
    const replay = new ReplayBuffer({ capacity: 4, observationDim: 2, actionDim: 1 });
    const normalizer = new ObservationNormalizer(2, true);
    const rows = [
      [1, 100],
      [3, 100],
      [5, 100.01],
    ];
    for (const o of rows)
      replay.add({ observation: o, action: [0], reward: 0, nextObservation: o, terminated: false });
    normalizer.observe(replay);
    // first column: mean 3, population std sqrt(8/3); second: std below 0.1 -> clipped to 0.1
    const out = normalizer.normalizeInPlace(Float64Array.of(5, 100.1));
    expect(out[0]).toBeCloseTo(2 / Math.sqrt(8 / 3), 5);
    expect(out[1]).toBeCloseTo((100.1 - 300.01 / 3) / 0.1, 3);
    // later rows are folded in, including after the buffer wraps
    for (const o of [
      [7, 0],
      [9, 0],
    ])
      replay.add({ observation: o, action: [0], reward: 0, nextObservation: o, terminated: false });
    normalizer.observe(replay);
    expect(normalizer.count).toBe(5);
    expect(normalizer.normalizeInPlace(Float64Array.of(5, 60))[0]).toBeCloseTo(0, 6);
    normalizer.dispose();
  });

  it('disabled, it leaves observations as they are', () => {
    const normalizer = new ObservationNormalizer(1, false);
    expect(Array.from(normalizer.normalizeInPlace(Float64Array.of(4)))).toEqual([4]);
    normalizer.dispose();
  });
});
