import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng, tf } from '@mbrl-ts/nn';
import { initBackend } from '@mbrl-ts/kernels';
import { ActionScaling, AgentStateError, deriveSeed, type SacAgent, type Td3Agent } from '../src';
import { filledReplay, smallSac, smallTd3, snapshot } from './helpers';

await initBackend('wasm', { logger: () => {} });

type AnyAgent = SacAgent | Td3Agent;
const makers: Array<[string, (seed: number) => AnyAgent]> = [
  ['sac', (seed) => smallSac(filledReplay(), seed)],
  ['td3', (seed) => smallTd3(filledReplay(), seed)],
];
const obs = Float64Array.of(0.3, -1.2, 0.8);

describe.each(makers)('%s agent', (algo, make) => {
  it('acts inside the env bounds, deterministically in evaluation', () => {
    const agent = make(0);
    const eval1 = agent.act(obs, { step: 0, deterministic: true });
    const eval2 = agent.act(obs, { step: 0, deterministic: true });
    expect(Array.from(eval1)).toEqual(Array.from(eval2));
    for (let i = 0; i < 20; i++) {
      const a = agent.act(obs, { step: 0, deterministic: false });
      expect(a.length).toBe(1);
      expect(Math.abs(a[0])).toBeLessThanOrEqual(2);
    }
    agent.dispose();
  });

  it('same seed gives identical parameters after 10 updates; another seed does not', () => {
    const [a, b, c] = [make(3), make(3), make(4)];
    for (let i = 0; i < 10; i++) {
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

  it('holds the tensor count flat over 200 updates and acting', () => {
    const agent = make(0);
    // optimizer moments are created on each optimizer's first step (TD3's actor: the second update)
    agent.update(0);
    agent.update(1);
    agent.act(obs, { step: 0, deterministic: false });
    const before = tf.memory().numTensors;
    for (let i = 0; i < 200; i++) {
      agent.update(i);
      agent.act(obs, { step: i, deterministic: i % 2 === 0 });
    }
    expect(tf.memory().numTensors).toBe(before);
    agent.dispose();
  }, 120_000);

  it('save then load into a fresh agent gives identical actions and an identical next update', async () => {
    const dir = mkdtempSync(join(tmpdir(), `agents-${algo}-`));
    const original = make(5);
    for (let i = 0; i < 7; i++) original.update(i); // odd: TD3 is mid policy delay
    await original.save(dir);
    const restored = make(99); // different initial weights and Rng: everything must come from the files
    await restored.load(dir);
    expect(restored.updates).toBe(original.updates);
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

it('refuses to load a checkpoint of another algorithm, naming both', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'agents-mismatch-'));
  const sac = smallSac(filledReplay());
  await sac.save(dir);
  const td3 = smallTd3(filledReplay());
  await expect(td3.load(dir)).rejects.toThrow(AgentStateError);
  await expect(td3.load(dir)).rejects.toThrow(/holds a sac agent, not td3/);
  sac.dispose();
  td3.dispose();
});

it('SAC with learnAlpha false keeps alpha at initialAlpha', () => {
  const agent = smallSac(filledReplay(), 0, { learnAlpha: false, initialAlpha: 0.2 });
  for (let i = 0; i < 3; i++) expect(agent.update(i).alpha).toBeCloseTo(0.2, 6);
  agent.dispose();
});

it('SAC sets the target entropy to -|A| and learns alpha away from 1', () => {
  const agent = smallSac(filledReplay());
  expect(agent.targetEntropy).toBe(-1);
  let alpha = 1;
  for (let i = 0; i < 5; i++) alpha = agent.update(i).alpha;
  expect(alpha).not.toBe(1);
  agent.dispose();
});

describe('replay batches for the losses', () => {
  it('mark terminated transitions only: a time-limit truncation still bootstraps', () => {
    const replay = filledReplay(140);
    const rng = new Rng(0);
    const batch = replay.sampleTransitions(140, rng);
    for (let b = 0; b < 140; b++) {
      const slot = batch.indices[b];
      expect(batch.terminated[b]).toBe(slot % 50 === 49 ? 1 : 0); // slot 69 (truncated) stays 0
    }
  });
});

describe('ActionScaling', () => {
  it('maps [-1, 1] to the env box and back', () => {
    const s = new ActionScaling([-2, 0], [2, 1]);
    expect(Array.from(s.toEnv([1, -1]))).toEqual([2, 0]);
    expect(Array.from(s.toEnv([0.5, 0]))).toEqual([1, 0.5]);
    expect(Array.from(s.toUnitInPlace(Float32Array.of(1, 0.5, -2, 1)))).toEqual([0.5, 0, -1, 1]);
  });
  it('rejects unbounded boxes with a clear message', () => {
    expect(() => new ActionScaling([-Infinity], [1])).toThrow(/finite, non-empty box/);
  });
});

describe('deriveSeed', () => {
  it('differs from the run seed and between labels, and is fixed for a seed', () => {
    expect(deriveSeed(0, 'sac')).toBe(deriveSeed(0, 'sac'));
    expect(deriveSeed(0, 'sac')).not.toBe(deriveSeed(0, 'td3'));
    expect(deriveSeed(0, 'sac')).not.toBe(deriveSeed(1, 'sac'));
    expect(deriveSeed(0, 'sac')).not.toBe(0);
  });
});
