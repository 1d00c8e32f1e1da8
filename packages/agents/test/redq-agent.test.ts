/**
 * REDQ and SAC-AVG agents: which loss trains which variables, the target members each Q update
 * draws (M distinct of N from the agent's Rng for REDQ, all N for SAC-AVG), G Q updates per
 * update, determinism, memory, exact save and load.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, defaultsOf, resolveConfig } from '@mbrl-ts/contract';
import { Rng, softUpdate, tf } from '@mbrl-ts/nn';
import { initBackend } from '@mbrl-ts/kernels';
import {
  ensembleActorLoss,
  redqCriticLoss,
  sacAvgCriticLoss,
  type EnsembleCriticInputs,
} from '@mbrl-ts/objectives';
import {
  ActionScaling,
  disposeTransitionTensors,
  minimizeObjective,
  randomSubset,
  RedqAgent,
  redqSchema,
  SacAvgAgent,
  sacAvgSchema,
  transitionTensors,
  type EnsembleSacTerms,
  type RedqConfig,
} from '../src';
import { changed, filledReplay, memory, namesWith, snapshot, testAgentOptions } from './helpers';

await initBackend('wasm', { logger: () => {} });

const small = { batchSize: 16, hiddenSize: 16, ensembleSize: 4, utdRatio: 3 };
const obs = Float64Array.of(0.3, -1.2, 0.8);

function smallRedq(seed = 0, overrides: Partial<RedqConfig> = {}, terms: Partial<EnsembleSacTerms> = {}) {
  const config = { ...defaultsOf(redqSchema), ...small, ...overrides };
  return new RedqAgent(testAgentOptions(filledReplay(), seed, config), terms);
}
function smallSacAvg(seed = 0, terms: Partial<EnsembleSacTerms> = {}) {
  const config = { ...defaultsOf(sacAvgSchema), ...small };
  return new SacAvgAgent(testAgentOptions(filledReplay(), seed, config), terms);
}

/** A critic term that records the target members it is given, then computes `inner`. */
function recording(inner: EnsembleSacTerms['criticLoss'], seen: number[][]): EnsembleSacTerms['criticLoss'] {
  return (inputs: EnsembleCriticInputs) => {
    seen.push([...inputs.targetMembers]);
    return inner(inputs);
  };
}

describe('configs', () => {
  it("REDQ's defaults: N 10, M 2, G 20, 2 x 256, batch 256, lr 3e-4, gamma 0.99, tau 0.005, target entropy -|A|", () => {
    expect(defaultsOf(redqSchema)).toMatchObject({
      ensembleSize: 10,
      targetSubsetSize: 2,
      utdRatio: 20,
      hiddenSize: 256,
      hiddenLayers: 2,
      batchSize: 256,
      learningRate: 3e-4,
      gamma: 0.99,
      tau: 0.005,
      learnAlpha: true,
      targetEntropyPerActionDim: -1,
      replayCapacity: 1_000_000,
    });
    expect(defaultsOf(sacAvgSchema)).toEqual(
      Object.fromEntries(Object.entries(defaultsOf(redqSchema)).filter(([k]) => k !== 'targetSubsetSize')),
    );
    for (const field of Object.values(redqSchema)) expect(field.doc.length).toBeGreaterThan(10);
    expect(() => resolveConfig(redqSchema, { utdRatio: 0 })).toThrow(/"utdRatio" must be >= 1/);
    expect(() => resolveConfig(sacAvgSchema, { targetSubsetSize: 2 })).toThrow(
      /unknown key "targetSubsetSize"/,
    );
  });

  it('refuses M > N with both named', () => {
    expect(() => smallRedq(0, { targetSubsetSize: 5 })).toThrow(ConfigError);
    expect(() => smallRedq(0, { targetSubsetSize: 5 })).toThrow(
      /targetSubsetSize \(M = 5\) must not exceed ensembleSize \(N = 4\)/,
    );
  });
});

describe('randomSubset', () => {
  it('draws m distinct members of n, every m-subset about equally often', () => {
    const rng = new Rng(4);
    const counts = new Map<string, number>();
    const draws = 4500;
    for (let i = 0; i < draws; i++) {
      const s = randomSubset(10, 2, rng);
      expect(s).toHaveLength(2);
      expect(s[0]).not.toBe(s[1]);
      for (const m of s) expect(m >= 0 && m < 10 && Number.isInteger(m)).toBe(true);
      const key = [...s].sort((a, b) => a - b).join();
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(45);
    // 100 expected per pair; the binomial's std is ~10, so 55..145 is a 4.5-sigma band
    for (const c of counts.values()) expect(c > 55 && c < 145).toBe(true);
    expect([...randomSubset(5, 5, new Rng(1))].sort()).toEqual([0, 1, 2, 3, 4]);
    expect(() => randomSubset(3, 4, rng)).toThrow(/1 <= m <= n/);
  });
});

describe('REDQ target members', () => {
  it('each of the G Q updates gets M distinct members, drawn afresh from the run seed', () => {
    const seenA: number[][] = [];
    const seenB: number[][] = [];
    const seenC: number[][] = [];
    const a = smallRedq(3, {}, { criticLoss: recording(redqCriticLoss, seenA) });
    const b = smallRedq(3, {}, { criticLoss: recording(redqCriticLoss, seenB) });
    const c = smallRedq(4, {}, { criticLoss: recording(redqCriticLoss, seenC) });
    for (let i = 0; i < 4; i++) {
      a.update(i);
      b.update(i);
      c.update(i);
    }
    expect(seenA).toHaveLength(4 * 3); // G = 3 per update
    for (const s of seenA) {
      expect(s).toHaveLength(2);
      expect(new Set(s).size).toBe(2);
      for (const m of s) expect(m >= 0 && m < 4).toBe(true);
    }
    expect(new Set(seenA.map((s) => s.join())).size).toBeGreaterThan(1); // not one fixed pair
    expect(seenB).toEqual(seenA);
    expect(seenC).not.toEqual(seenA);
    [a, b, c].forEach((x) => x.dispose());
  }, 60_000);

  it('SAC-AVG gives every Q update all N members', () => {
    const seen: number[][] = [];
    const agent = smallSacAvg(0, { criticLoss: recording(sacAvgCriticLoss, seen) });
    agent.update(0);
    expect(seen).toEqual([
      [0, 1, 2, 3],
      [0, 1, 2, 3],
      [0, 1, 2, 3],
    ]);
    agent.dispose();
  });
});

describe.each([
  ['redq', (seed: number) => smallRedq(seed)],
  ['sac-avg', (seed: number) => smallSacAvg(seed)],
] as const)('%s gradient routing and checkpoints', (algo, make) => {
  const scaling = new ActionScaling([-2], [2]);

  it('the critic loss changes every member of critic.* and nothing else; the actor loss actor.* only', () => {
    const agent = make(0);
    agent.update(0); // optimizer moments exist, critics away from their targets
    const all = agent.parameters();
    const replay = filledReplay();
    const rng = new Rng(123);
    const batch = transitionTensors(replay.sampleTransitions(16, rng), scaling);
    let before = snapshot(all);
    minimizeObjective(agent.criticOptimizer, agent.critic, () =>
      agent.terms.criticLoss({
        critic: agent.critic,
        targetCritic: agent.targetCritic,
        actor: agent.actor,
        batch,
        targetMembers: [1, 3],
        alpha: 0.2,
        gamma: 0.99,
        rng,
      }),
    );
    let after = snapshot(all);
    expect(changed(before, after).sort()).toEqual(namesWith(all, 'critic.').sort());
    // every member's slice moved, not only the target members'
    for (const name of namesWith(all, 'critic.')) {
      const [n] = (all.get(name) as tf.Variable).shape;
      const size = (before.get(name) as Float32Array).length / n;
      for (let m = 0; m < n; m++) {
        const moved = (after.get(name) as Float32Array)
          .subarray(m * size, (m + 1) * size)
          .some((v, i) => v !== (before.get(name) as Float32Array)[m * size + i]);
        expect(`${name}[${m}] ${moved}`).toBe(`${name}[${m}] true`);
      }
    }
    before = after;
    minimizeObjective(agent.actorOptimizer, agent.actor, () =>
      ensembleActorLoss({
        actor: agent.actor,
        critic: agent.critic,
        observation: batch.observation,
        alpha: 0.2,
        rng,
      }),
    );
    after = snapshot(all);
    expect(changed(before, after).sort()).toEqual(namesWith(all, 'actor.').sort());
    before = after;
    softUpdate(agent.targetCritic, agent.critic, 0.005);
    expect(changed(before, snapshot(all)).sort()).toEqual(namesWith(all, 'critic_target.').sort());
    before = snapshot(all);
    const metrics = agent.update(1);
    expect(changed(before, snapshot(all)).sort()).toEqual([...all.keys()].sort());
    expect(Object.keys(metrics).sort()).toEqual(
      [
        'actor_loss',
        'alpha',
        'critic_loss',
        'entropy',
        'q_mean',
        'q_member_std',
        'target_mean',
        'temperature_loss',
      ].sort(),
    );
    for (const v of Object.values(metrics)) expect(Number.isFinite(v)).toBe(true);
    disposeTransitionTensors(batch);
    agent.dispose();
  }, 60_000);

  it('same seed, same updates and parameters; the tensor count stays flat', () => {
    const [a, b] = [make(7), make(7)];
    for (let i = 0; i < 3; i++) expect(a.update(i)).toEqual(b.update(i));
    const [pa, pb] = [snapshot(a.parameters()), snapshot(b.parameters())];
    for (const [name, values] of pa)
      expect(Array.from(pb.get(name) as Float32Array)).toEqual(Array.from(values));
    a.act(obs, { step: 0, deterministic: false });
    const count = memory();
    for (let i = 0; i < 20; i++) {
      a.update(i);
      a.act(obs, { step: i, deterministic: i % 2 === 0 });
    }
    expect(memory()).toBe(count);
    a.dispose();
    b.dispose();
  }, 60_000);

  it('save then load into a fresh agent gives identical actions and identical next updates', async () => {
    const dir = mkdtempSync(join(tmpdir(), `agents-${algo}-`));
    const original = make(5);
    for (let i = 0; i < 3; i++) original.update(i);
    await original.save(dir);
    const restored = make(99);
    await restored.load(dir);
    expect(restored.updates).toBe(3);
    expect(Array.from(restored.act(obs, { step: 0, deterministic: true }))).toEqual(
      Array.from(original.act(obs, { step: 0, deterministic: true })),
    );
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
