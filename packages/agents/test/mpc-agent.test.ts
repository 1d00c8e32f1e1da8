/**
 * The MPC agent: refit cadence, exact resume from a checkpoint, evaluation kept apart from the
 * training stream, determinism from the seed, memory, configuration errors. Tiny sizes on real
 * Pendulum transitions.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultsOf } from '@mbrl-ts/contract';
import { makeEnv } from '@mbrl-ts/envs';
import { initBackend } from '@mbrl-ts/kernels';
import { Rng, tf } from '@mbrl-ts/nn';
import { ReplayBuffer } from '@mbrl-ts/replay';
import { MpcAgent, mpcSchema, taskRewardFor, type MpcConfig } from '../src';
import { snapshot } from './helpers';

await initBackend('wasm', { logger: () => {} });

const env = await makeEnv('Pendulum-v1');
afterAll(() => env.close());

/** Pendulum transitions under uniform random actions. */
function pendulumReplay(rows: number, seed = 1): ReplayBuffer {
  const replay = new ReplayBuffer({ capacity: 1000, observationDim: 3, actionDim: 1 });
  const rng = new Rng(seed);
  let obs = env.reset({ seed }).obs;
  for (let i = 0; i < rows; i++) {
    const action = [rng.uniformRange(-2, 2)];
    const step = env.step(action);
    replay.add({
      observation: obs,
      action,
      reward: step.reward,
      nextObservation: step.obs,
      terminated: false,
      truncated: step.truncated,
    });
    obs = step.truncated ? env.reset().obs : step.obs;
  }
  return replay;
}

const tiny: Partial<MpcConfig> = {
  horizon: 4,
  candidates: 16,
  elites: 4,
  iterations: 2,
  members: 2,
  particles: 2,
  hiddenSize: 8,
  hiddenLayers: 1,
  batchSize: 32,
  epochs: 2,
  trainEvery: 5,
};

function agent(replay: ReplayBuffer, overrides: Partial<MpcConfig> = {}, seed = 0): MpcAgent {
  return new MpcAgent({
    observationSize: 3,
    actionSize: 1,
    actionLow: [-2],
    actionHigh: [2],
    replay,
    seed,
    config: { ...defaultsOf(mpcSchema), ...tiny, ...overrides },
    taskReward: taskRewardFor('Pendulum-v1'),
  });
}

const obsAt = (i: number) => Float64Array.of(Math.cos(i), Math.sin(i), 0.3 * i);

describe('MpcAgent', () => {
  it('refits at the first update and then every trainEvery steps, reporting nothing in between', () => {
    const replay = pendulumReplay(64);
    const a = agent(replay);
    const steps = [10, 11, 14, 15, 16, 20];
    const fitted = steps.map((s) => 'model_loss' in a.update(s));
    expect(fitted).toEqual([true, false, false, true, false, true]);
    expect(a.updates).toBe(3);
    a.dispose();
  });

  it('plans within the action box', () => {
    const a = agent(pendulumReplay(64));
    a.update(1);
    for (let i = 0; i < 5; i++) {
      const [u] = a.act(obsAt(i), { step: i, deterministic: false });
      expect(Math.abs(u)).toBeLessThanOrEqual(2);
    }
    a.dispose();
  });

  it('explores uniformly over the box before its first fit (the harness acts once before the first update)', () => {
    const a = agent(pendulumReplay(64));
    const before = Array.from(
      { length: 400 },
      (_, i) => a.act(obsAt(i), { step: i, deterministic: false })[0],
    );
    expect(Math.min(...before)).toBeGreaterThanOrEqual(-2);
    expect(Math.max(...before)).toBeLessThan(2);
    // uniform on [-2, 2): mean 0 and std 4 / sqrt(12) = 1.155, within sampling error for 400 draws
    const mean = before.reduce((s, u) => s + u, 0) / before.length;
    const std = Math.sqrt(before.reduce((s, u) => s + (u - mean) ** 2, 0) / before.length);
    expect(Math.abs(mean)).toBeLessThan(0.2);
    expect(Math.abs(std - 4 / Math.sqrt(12))).toBeLessThan(0.1);
    expect(a.updates).toBe(0);
    a.dispose();
  });

  it('resumes exactly: a loaded agent acts and refits as the uninterrupted one', async () => {
    const replay = pendulumReplay(80);
    const a = agent(replay);
    a.update(1);
    for (let i = 0; i < 3; i++) a.act(obsAt(i), { step: i, deterministic: false });
    const dir = join(mkdtempSync(join(tmpdir(), 'mpc-')), 'agent');
    await a.save(dir);
    const b = agent(replay);
    await b.load(dir);
    expect(snapshot(b.parameters())).toEqual(snapshot(a.parameters()));
    const run = (x: MpcAgent) => {
      const actions: number[] = [];
      for (let i = 3; i < 6; i++) actions.push(x.act(obsAt(i), { step: i, deterministic: false })[0]);
      x.update(6);
      actions.push(x.act(obsAt(7), { step: 7, deterministic: false })[0]);
      return actions;
    };
    const fromA = run(a);
    const fromB = run(b);
    expect(fromB).toEqual(fromA);
    expect(snapshot(b.parameters())).toEqual(snapshot(a.parameters()));
    a.dispose();
    b.dispose();
  });

  it('evaluating does not change the training stream; the same seed gives the same actions', () => {
    const replay = pendulumReplay(64);
    const a = agent(replay);
    const b = agent(replay);
    a.update(1);
    b.update(1);
    a.act(obsAt(0), { step: 0, deterministic: false });
    b.act(obsAt(0), { step: 0, deterministic: false });
    const e1 = a.act(obsAt(1), { step: 0, deterministic: true })[0];
    a.act(obsAt(2), { step: 0, deterministic: true });
    expect(a.act(obsAt(3), { step: 1, deterministic: false })).toEqual(
      b.act(obsAt(3), { step: 1, deterministic: false }),
    );
    // an evaluation at the same step plans the same way again
    const c = agent(replay);
    c.update(1);
    expect(c.act(obsAt(1), { step: 0, deterministic: true })[0]).toBe(e1);
    const other = agent(replay, {}, 1);
    other.update(1);
    expect(other.act(obsAt(0), { step: 0, deterministic: false })).not.toEqual(
      agent(replay).act(obsAt(0), { step: 0, deterministic: false }),
    );
    for (const x of [a, b, c, other]) x.dispose();
  });

  it('random shooting and a learned reward run through the same loop; no tensor is left behind', () => {
    const replay = pendulumReplay(64);
    const a = agent(replay, { planner: 'random', reward: 'learned', probabilistic: false });
    expect(a.ensemble.outputSize).toBe(4);
    a.update(1);
    a.act(obsAt(0), { step: 0, deterministic: false });
    const before = tf.memory().numTensors;
    a.update(100);
    a.act(obsAt(1), { step: 1, deterministic: false });
    a.act(obsAt(1), { step: 1, deterministic: true });
    expect(tf.memory().numTensors).toBe(before);
    a.dispose();
  });

  it('refuses particles that are not a multiple of the members, and more elites than candidates', () => {
    const replay = pendulumReplay(8);
    expect(() => agent(replay, { members: 3, particles: 4 })).toThrow(
      /particles \(4\) must be a multiple of members \(3\)/,
    );
    expect(() => agent(replay, { elites: 20, candidates: 10 })).toThrow(
      /elites \(20\) must not exceed candidates \(10\)/,
    );
  });
});
