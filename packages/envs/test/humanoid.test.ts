/**
 * Humanoid-v4 on real MuJoCo: spaces, the 376-entry observation layout, the centre-of-mass
 * forward reward (free flight), no contact cost in the v4 reward, the open healthy range, reset
 * noise, determinism and checkpoint replay, random-policy returns.
 */
import {
  HUMANOID_SIZES,
  HumanoidEnv,
  infoNumber,
  loadMujoco,
  makeEnv,
  type EpisodeSummary,
  type MujocoModule,
} from '../src/index';
import { Rng } from '@mbrl-ts/rng';
import { HUMANOID_XML } from '../src/assets/humanoid';
import { GymnasiumMirror } from './gymnasium-mirror';
import { rollout } from './helpers';
import { stepsUntilDone, sumOfSquares as sq } from './legged-helpers';

let mujoco: MujocoModule;
beforeAll(async () => {
  mujoco = await loadMujoco();
});

/** The model's standing pose (torso at 1.4 m, feet about 0.1 m above the floor) moved to `z`. */
function standing(env: HumanoidEnv, z = 1.4): Float64Array {
  env.reset({ seed: 0 });
  const qpos = new Float64Array(24);
  qpos[2] = z;
  qpos[3] = 1;
  return qpos;
}

/** Let the humanoid drop from its start pose until its feet touch the floor (contacts active, still healthy). */
function landed(env: HumanoidEnv): void {
  env.reset({ seed: 4 });
  for (let t = 0; t < 40 && sq(env.externalContactForces()) < 1; t++) env.step(new Float64Array(17));
  expect(env.isHealthy()).toBe(true);
}

describe('Humanoid-v4', () => {
  test('spaces: 376 observations (378 with x, y), 17 actions in [-0.4, 0.4], dt 0.015', async () => {
    const env = await makeEnv('Humanoid-v4');
    expect(env.observationSpace.shape).toEqual([376]);
    expect(env.actionSpace.shape).toEqual([17]);
    expect(Array.from(env.actionSpace.low)).toEqual(new Array(17).fill(-0.4));
    expect(Array.from(env.actionSpace.high)).toEqual(new Array(17).fill(0.4));
    expect(env.dt).toBeCloseTo(0.015, 12);
    expect(env.reset({ seed: 0 }).obs.length).toBe(376);
    env.close();

    const withXY = new HumanoidEnv(mujoco, { excludeCurrentPositionsFromObservation: false });
    expect(withXY.reset().obs.length).toBe(378);
    const { qpos, qvel } = withXY.getPhysics();
    expect([qpos.length, qvel.length]).toEqual([HUMANOID_SIZES.nq, HUMANOID_SIZES.nv]);
    withXY.close();
  });

  test('observation = qpos[2:] ++ qvel ++ cinert ++ cvel ++ qfrc_actuator ++ cfrc_ext (real contact forces)', () => {
    const env = new HumanoidEnv(mujoco);
    landed(env);
    const action = new Float64Array(17).fill(0.1);
    const { obs } = env.step(action);
    const { qpos, qvel } = env.getPhysics();
    expect(Array.from(obs.slice(0, 22))).toEqual(Array.from(qpos.slice(2)));
    expect(Array.from(obs.slice(22, 45))).toEqual(Array.from(qvel));
    // cinert: 10 per body, the body's mass last; the world body (0) is all zeros.
    const cinert = obs.slice(45, 185);
    expect(Array.from(cinert.slice(0, 10))).toEqual(new Array(10).fill(0));
    const masses = Array.from({ length: 13 }, (_, b) => cinert[10 * (b + 1) + 9]);
    expect(masses[0]).toBeCloseTo(8.907, 3); // torso: two capsules and the head sphere at density 1000
    expect(masses.reduce((s, m) => s + m, 0)).toBeCloseTo(42.116, 2); // the whole body
    // qfrc_actuator: gear * ctrl on each actuated hinge (abdomen_z is actuator 1, gear 100).
    const qfrcActuator = obs.slice(269, 292);
    expect(Array.from(qfrcActuator.slice(0, 6))).toEqual(new Array(6).fill(0)); // the free joint is not actuated
    expect(qfrcActuator[6]).toBeCloseTo(100 * 0.1, 12);
    // cfrc_ext: the feet are on the floor, so their external forces are non-zero.
    const contact = obs.slice(292, 376);
    expect(Array.from(contact)).toEqual(Array.from(env.externalContactForces()));
    expect(sq(contact)).toBeGreaterThan(1);
    env.close();
  });

  test('forward reward: the centre of mass coasting at 1 m/s gives x_velocity 1 and reward 1.25 + 5', () => {
    const env = new HumanoidEnv(mujoco);
    const qpos = standing(env);
    const qvel = new Float64Array(23);
    qvel[0] = 1;
    env.setPhysics(qpos, qvel);
    const [x0] = env.massCenter();
    const coast = env.step(new Float64Array(17));
    // Internal (joint) forces cannot change the centre of mass' horizontal velocity in flight;
    // the reward reads it at the last RK4 stage, off the path by about 1e-11 m here.
    expect(infoNumber(coast.info, 'x_velocity')).toBeCloseTo(1, 8);
    expect(infoNumber(coast.info, 'x_position')).toBeCloseTo(x0 + 0.015, 9);
    expect(coast.reward).toBeCloseTo(1.25 + 5, 8);
    expect(coast.terminated).toBe(false);

    // The centre of mass moves with the root: shifting qpos[0] by 0.3 shifts it by 0.3.
    const shifted = Float64Array.from(qpos);
    shifted[0] += 0.3;
    env.setPhysics(qpos, qvel);
    const [a] = env.massCenter();
    env.setPhysics(shifted, qvel);
    expect(env.massCenter()[0]).toBeCloseTo(a + 0.3, 12);
    env.close();
  });

  test("reward = 1.25 * dx_com/dt + 5 - 0.1 |a|^2 on Gymnasium's mass_center (xipos as mj_step left it); no contact cost on the floor", () => {
    const env = new HumanoidEnv(mujoco);
    const gym = new GymnasiumMirror(mujoco, HUMANOID_XML, 5);
    env.reset({ seed: 4 });
    const start = env.getPhysics();
    gym.setState(start.qpos, start.qvel);
    let lag = 0;
    let onFloor = 0;
    for (let t = 0; t < 25; t++) {
      const action = Array.from({ length: 17 }, (_, i) => 0.4 * Math.sin(0.5 * t + i));
      const [x0, y0] = gym.massCenter();
      gym.doSimulation(action);
      const [x1, y1] = gym.massCenter();
      const step = env.step(action);
      expect(Array.from(env.getPhysics().qpos)).toEqual(Array.from(gym.qpos()));
      const xVelocity = (x1 - x0) / 0.015;
      expect(infoNumber(step.info, 'x_position')).toBeCloseTo(x1, 14);
      expect(infoNumber(step.info, 'y_velocity')).toBeCloseTo((y1 - y0) / 0.015, 10);
      expect(infoNumber(step.info, 'reward_quadctrl')).toBeCloseTo(-0.1 * sq(action), 12);
      expect(infoNumber(step.info, 'reward_linvel')).toBeCloseTo(1.25 * xVelocity, 10);
      expect(step.reward).toBeCloseTo(1.25 * xVelocity + 5 - 0.1 * sq(action), 10);
      expect(step.info.reward_impact).toBeUndefined();
      if (sq(env.externalContactForces()) > 1) onFloor++;
      lag = Math.max(lag, Math.abs(gym.stateMassCenter()[0] - x1));
      if (step.terminated) break;
    }
    expect(onFloor).toBeGreaterThan(3);
    // The last RK4 stage is not the final state: recomputing would move the reward.
    expect(lag).toBeGreaterThan(1e-6);
    gym.close();
    env.close();
  });

  test('healthy: torso z in the open range (1.0, 2.0); leaving it terminates', () => {
    const env = new HumanoidEnv(mujoco);
    const still = new Float64Array(23);
    for (const [z, healthy] of [
      [1.0, false],
      [1.0001, true],
      [1.9999, true],
      [2.0, false],
    ] as const) {
      env.setPhysics(standing(env, z), still);
      expect(env.isHealthy()).toBe(healthy);
    }
    env.setPhysics(
      standing(env, 1.99),
      Float64Array.from({ length: 23 }, (_, i) => (i === 2 ? 3 : 0)),
    );
    const step = env.step(new Float64Array(17));
    expect(env.getPhysics().qpos[2]).toBeGreaterThan(2);
    expect(step.terminated).toBe(true);
    expect(infoNumber(step.info, 'reward_alive')).toBe(5);
    env.close();
  });

  test('reset noise: qpos0 + U(-0.01, 0.01) and qvel U(-0.01, 0.01)', () => {
    const env = new HumanoidEnv(mujoco);
    env.reset({ seed: 12 });
    let largest = 0;
    for (let episode = 0; episode < 30; episode++) {
      env.reset();
      const { qpos, qvel } = env.getPhysics();
      const init = standing(env); // (resets again; fine, only the numbers are used)
      qpos.forEach((q, i) => (largest = Math.max(largest, Math.abs(q - init[i]))));
      qvel.forEach((v) => (largest = Math.max(largest, Math.abs(v))));
    }
    expect(largest).toBeLessThanOrEqual(0.01);
    expect(largest).toBeGreaterThan(0.009);
    env.close();
  });

  test('the same seed gives the same trajectory; a JSON checkpoint continues the episode exactly', async () => {
    const a = await makeEnv('Humanoid-v4');
    const b = await makeEnv('Humanoid-v4');
    const ra = rollout(a, 60, 7, 42);
    const rb = rollout(b, 60, 7, 42);
    expect(rb.rewards).toEqual(ra.rewards);
    expect(rb.observations).toEqual(ra.observations);

    a.reset({ seed: 8 });
    a.step(new Float64Array(17).fill(0.1));
    const saved = JSON.parse(JSON.stringify(a.getState()));
    const action = new Float64Array(17).fill(-0.1);
    const continued = stepsUntilDone(a, action, 30);
    b.reset({ seed: 1 });
    b.setState(saved);
    expect(stepsUntilDone(b, action, 30)).toEqual(continued);
    a.close();
    b.close();
  });

  test('random actions: the humanoid falls within tens of steps, earning about 5 per step until then', async () => {
    const env = await makeEnv('Humanoid-v4', { episodeStatistics: true });
    const rng = new Rng(11);
    env.reset({ seed: 11 });
    const episodes: EpisodeSummary[] = [];
    while (episodes.length < 5) {
      const s = env.step(env.actionSpace.sample(rng));
      if (s.info.episode !== undefined) {
        episodes.push(s.info.episode);
        env.reset();
      }
    }
    for (const e of episodes) {
      expect(e.length).toBeLessThan(100);
      expect(e.return / e.length).toBeGreaterThan(4);
      expect(e.return / e.length).toBeLessThan(6);
    }
    env.close();
  });
});
