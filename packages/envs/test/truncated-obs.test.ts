/**
 * AntTruncatedObs-v2 and HumanoidTruncatedObs-v2 (the paper's T-Ant-v2 / T-Humanoid-v2): sizes,
 * rewards checked against the full-observation tasks stepping the same physics, the impact-cost
 * cap, the closed healthy range, the contact-free option, determinism and checkpoint replay,
 * and a flat WASM heap over make/reset/close cycles of the four legged tasks.
 */
import {
  AntEnv,
  AntTruncatedObsEnv,
  HumanoidEnv,
  HumanoidTruncatedObsEnv,
  InvalidOptionError,
  clippedContactCost,
  envSpec,
  impactCost,
  infoNumber,
  listEnvs,
  loadMujoco,
  makeEnv,
  wasmHeapBytes,
  type MujocoModule,
} from '../src/index';
import { Rng } from '@mbrl-ts/rng';
import { ANT_XML } from '../src/assets/ant';
import { HUMANOID_XML } from '../src/assets/humanoid';
import { GymnasiumMirror } from './gymnasium-mirror';
import { rollout } from './helpers';
import { stepsUntilDone, sumOfSquares as sq } from './legged-helpers';

let mujoco: MujocoModule;
beforeAll(async () => {
  mujoco = await loadMujoco();
});

describe('contact cost functions', () => {
  test('clippedContactCost clips each entry to the range before squaring', () => {
    expect(clippedContactCost([0.5, -3, 2, 0], [-1, 1], 5e-4)).toBeCloseTo(5e-4 * (0.25 + 1 + 1), 15);
  });
  test('impactCost squares unclipped forces and caps the cost', () => {
    expect(impactCost([1000, -2000], 5e-7, 10)).toBeCloseTo(5e-7 * 5e6, 12);
    expect(impactCost([1e5], 5e-7, 10)).toBe(10);
  });
});

describe('AntTruncatedObs-v2', () => {
  test('27 observations, 8 actions, registered with a 1000-step limit; layout options are not accepted', async () => {
    for (const id of ['Ant-v4', 'Humanoid-v4', 'AntTruncatedObs-v2', 'HumanoidTruncatedObs-v2']) {
      expect(listEnvs()).toContain(id);
      expect(envSpec(id).maxEpisodeSteps).toBe(1000);
    }
    const env = await makeEnv('AntTruncatedObs-v2');
    expect(env.observationSpace.shape).toEqual([27]);
    expect(env.actionSpace.shape).toEqual([8]);
    expect(env.dt).toBeCloseTo(0.05, 12);
    env.close();
    await expect(makeEnv('AntTruncatedObs-v2', { task: { useContactForces: true } })).rejects.toThrow(
      InvalidOptionError,
    );
  });

  test('same physics as Ant-v4 with contact forces: obs = its first 27 entries, reward charges the contact cost', () => {
    const full = new AntEnv(mujoco, { useContactForces: true });
    const truncated = new AntTruncatedObsEnv(mujoco);
    expect(Array.from(truncated.reset({ seed: 21 }).obs)).toEqual(
      Array.from(full.reset({ seed: 21 }).obs.slice(0, 27)),
    );
    // The authors' AntTruncatedObsEnv.step: get_body_com("torso")[0] before and after do_simulation.
    const gym = new GymnasiumMirror(mujoco, ANT_XML, 5);
    const start = truncated.getPhysics();
    gym.setState(start.qpos, start.qvel);
    const rng = new Rng(3);
    let charged = 0;
    for (let t = 0; t < 60; t++) {
      const action = full.actionSpace.sample(rng);
      const [x0] = gym.torsoXY();
      gym.doSimulation(action);
      const a = full.step(action);
      const b = truncated.step(action);
      expect(Array.from(b.obs)).toEqual(Array.from(a.obs.slice(0, 27)));
      const contactCost = 0.5 * 1e-3 * sq(Array.from(gym.cfrcExt(), (f) => Math.min(1, Math.max(-1, f))));
      const xVelocity = (gym.torsoXY()[0] - x0) / 0.05;
      expect(infoNumber(b.info, 'reward_contact')).toBeCloseTo(-contactCost, 15);
      expect(b.reward).toBeCloseTo(xVelocity + 1 - 0.5 * sq(action) - contactCost, 12);
      expect(b.terminated).toBe(a.terminated);
      if (contactCost > 0) charged++;
      if (a.terminated) break;
    }
    expect(charged).toBeGreaterThan(5);
    gym.close();
    full.close();
    truncated.close();
  });

  test('contactCostWeight 0 reproduces the contact-free reward of mujoco-py >= 2', () => {
    const env = new AntTruncatedObsEnv(mujoco, { contactCostWeight: 0 });
    env.reset({ seed: 5 });
    for (let t = 0; t < 20; t++) env.step(new Float64Array(8));
    expect(sq(env.externalContactForces())).toBeGreaterThan(0);
    expect(infoNumber(env.step(new Float64Array(8)).info, 'reward_contact')).toBeCloseTo(0, 15);
    env.close();
  });
});

describe('HumanoidTruncatedObs-v2', () => {
  test('45 observations, 17 actions in [-0.4, 0.4], dt 0.015', async () => {
    const env = await makeEnv('HumanoidTruncatedObs-v2');
    expect(env.observationSpace.shape).toEqual([45]);
    expect(env.actionSpace.shape).toEqual([17]);
    expect(env.actionSpace.high[0]).toBeCloseTo(0.4, 6);
    expect(env.dt).toBeCloseTo(0.015, 12);
    env.close();
  });

  test('same physics as Humanoid-v4: obs = its first 45 entries; reward = v4 reward - min(5e-7 |cfrc_ext|^2, 10)', () => {
    const full = new HumanoidEnv(mujoco);
    const truncated = new HumanoidTruncatedObsEnv(mujoco);
    expect(Array.from(truncated.reset({ seed: 8 }).obs)).toEqual(
      Array.from(full.reset({ seed: 8 }).obs.slice(0, 45)),
    );
    // The authors' HumanoidTruncatedObsEnv.step: mass_center (xipos) before and after
    // do_simulation, 0.25 * dx / timestep + 5 - 0.1 |ctrl|^2 - min(0.5e-6 |cfrc_ext|^2, 10).
    const gym = new GymnasiumMirror(mujoco, HUMANOID_XML, 5);
    const start = truncated.getPhysics();
    gym.setState(start.qpos, start.qvel);
    const rng = new Rng(4);
    let charged = 0;
    for (let t = 0; t < 40; t++) {
      const action = full.actionSpace.sample(rng);
      const [x0] = gym.massCenter();
      gym.doSimulation(action);
      const a = full.step(action);
      const b = truncated.step(action);
      expect(Array.from(b.obs)).toEqual(Array.from(a.obs.slice(0, 45)));
      const cost = Math.min(0.5e-6 * sq(gym.cfrcExt()), 10);
      expect(infoNumber(b.info, 'reward_impact')).toBeCloseTo(-cost, 15);
      expect(b.reward).toBeCloseTo(
        (0.25 * (gym.massCenter()[0] - x0)) / 0.003 + 5 - 0.1 * sq(action) - cost,
        10,
      );
      expect(b.reward).toBeCloseTo(a.reward - cost, 10);
      expect(infoNumber(b.info, 'reward_linvel')).toBeCloseTo(infoNumber(a.info, 'reward_linvel'), 12);
      if (cost > 0) charged++;
      if (a.terminated || b.terminated) break;
    }
    expect(charged).toBeGreaterThan(3);
    gym.close();
    full.close();
    truncated.close();
  });

  test('a hard landing caps the impact cost at 10', () => {
    const env = new HumanoidTruncatedObsEnv(mujoco);
    env.reset({ seed: 0 });
    const qpos = new Float64Array(24);
    qpos[2] = 1.35; // feet just above the floor
    qpos[3] = 1;
    const qvel = new Float64Array(23);
    qvel[2] = -8;
    env.setPhysics(qpos, qvel);
    const step = env.step(new Float64Array(17));
    expect(5e-7 * sq(env.externalContactForces())).toBeGreaterThan(10);
    expect(infoNumber(step.info, 'reward_impact')).toBe(-10);
    env.close();
  });

  test('healthy range is closed in v2: z = 1.0 and z = 2.0 are healthy', () => {
    const env = new HumanoidTruncatedObsEnv(mujoco);
    env.reset({ seed: 0 });
    const still = new Float64Array(23);
    for (const [z, healthy] of [
      [1.0, true],
      [0.9999, false],
      [2.0, true],
      [2.0001, false],
    ] as const) {
      const qpos = new Float64Array(24);
      qpos[2] = z;
      qpos[3] = 1;
      env.setPhysics(qpos, still);
      expect(env.isHealthy()).toBe(healthy);
    }
    env.close();
  });
});

describe('truncated tasks: determinism and checkpoints', () => {
  test.each(['AntTruncatedObs-v2', 'HumanoidTruncatedObs-v2'])(
    '%s: same seed, same trajectory; checkpoint replays exactly',
    async (id) => {
      const a = await makeEnv(id);
      const b = await makeEnv(id);
      const ra = rollout(a, 60, 5, 17);
      const rb = rollout(b, 60, 5, 17);
      expect(rb.rewards).toEqual(ra.rewards);
      expect(rb.observations).toEqual(ra.observations);

      a.reset({ seed: 3 });
      a.step(new Float64Array(a.actionSpace.size).fill(0.2));
      const saved = JSON.parse(JSON.stringify(a.getState()));
      const action = new Float64Array(a.actionSpace.size).fill(-0.2);
      const continued = stepsUntilDone(a, action, 30);
      b.setState(saved);
      expect(stepsUntilDone(b, action, 30)).toEqual(continued);
      a.close();
      b.close();
    },
  );
});

describe('legged tasks: WASM memory', () => {
  test('make/reset/step/close cycles of the four legged tasks leave the heap flat', async () => {
    const ids = ['Ant-v4', 'Humanoid-v4', 'AntTruncatedObs-v2', 'HumanoidTruncatedObs-v2'];
    const cycle = async (i: number) => {
      const env = await makeEnv(ids[i % ids.length]);
      env.reset({ seed: i });
      env.step(new Float64Array(env.actionSpace.size));
      env.close();
    };
    for (let i = 0; i < 8; i++) await cycle(i);
    const before = wasmHeapBytes(mujoco);
    for (let i = 0; i < 400; i++) await cycle(i);
    expect(wasmHeapBytes(mujoco)).toBe(before);
  });
});
