/**
 * Ant-v4 on real MuJoCo: spaces, observation layout, reward terms on hand-built states
 * (forward velocity in free flight, control cost, clipped contact cost), health rule, reset
 * noise, determinism and checkpoint replay, random-policy returns.
 */
import { ANT_XML } from '../src/assets/ant';
import { AntEnv, clippedContactCost, infoNumber, loadMujoco, makeEnv, type MujocoModule } from '../src/index';
import { GymnasiumMirror } from './gymnasium-mirror';
import { rollout } from './helpers';
import { stepsUntilDone, sumOfSquares as sq } from './legged-helpers';

let mujoco: MujocoModule;
beforeAll(async () => {
  mujoco = await loadMujoco();
});

const clip = (x: number) => Math.min(1, Math.max(-1, x));

/** Torso at `z`, legs spread with the ankles inside their joint ranges (30..70 degrees). */
function pose(z: number): number[] {
  return [0.3, -0.2, z, 1, 0, 0, 0, 0, 0.8, 0, -0.8, 0, -0.8, 0, 0.8];
}

/** An Ant that has fallen from its start pose and stands on the floor (contacts active). */
function landed(env: AntEnv): void {
  env.reset({ seed: 5 });
  for (let t = 0; t < 20; t++) env.step(new Float64Array(8));
}

describe('Ant-v4', () => {
  test('spaces: 27 observations (111 with contact forces, 29 with x, y), 8 actions in [-1, 1], dt 0.05', async () => {
    const env = await makeEnv('Ant-v4');
    expect(env.observationSpace.shape).toEqual([27]);
    expect(env.actionSpace.shape).toEqual([8]);
    expect(Array.from(env.actionSpace.low)).toEqual(new Array(8).fill(-1));
    expect(Array.from(env.actionSpace.high)).toEqual(new Array(8).fill(1));
    expect(env.actionSpace.dtype).toBe('float32');
    expect(env.dt).toBeCloseTo(0.05, 12);
    expect(env.reset({ seed: 0 }).obs.length).toBe(27);
    env.close();

    const withForces = new AntEnv(mujoco, { useContactForces: true });
    expect(withForces.observationSpace.size).toBe(111);
    expect(withForces.reset().obs.length).toBe(111);
    expect(withForces.externalContactForces().length).toBe(84);
    const { qpos, qvel } = withForces.getPhysics();
    expect([qpos.length, qvel.length]).toEqual([15, 14]);
    withForces.close();

    const withXY = new AntEnv(mujoco, { excludeCurrentPositionsFromObservation: false });
    expect(withXY.reset().obs.length).toBe(29);
    withXY.close();
  });

  test('observation = qpos[2:] ++ qvel (++ clip(cfrc_ext, -1, 1) with contact forces)', () => {
    const env = new AntEnv(mujoco, { useContactForces: true });
    landed(env);
    const step = env.step(new Float64Array(8));
    const { qpos, qvel } = env.getPhysics();
    const raw = env.externalContactForces();
    expect(Array.from(step.obs)).toEqual([
      ...Array.from(qpos.slice(2)),
      ...Array.from(qvel),
      ...Array.from(raw, clip),
    ]);
    // On the floor some raw forces exceed the clip range, so the clipping matters.
    expect(raw.some((f) => Math.abs(f) > 1)).toBe(true);
    expect(step.obs.slice(27).every((f) => Math.abs(f) <= 1)).toBe(true);
    env.close();
  });

  test('forward reward in free flight: x velocity 1.5 m/s is reported as 1.5; reward = dx/dt + 1 - 0.5 |a|^2', () => {
    const env = new AntEnv(mujoco);
    env.reset({ seed: 1 });
    const qvel = new Array(14).fill(0);
    qvel[0] = 1.5;
    qvel[1] = -0.5;
    env.setPhysics(pose(0.9), qvel);
    // No torque, no contact: the body falls and drifts rigidly, x and y linear in time, so every
    // RK4 stage lies on the path and the torso's xpos moves by exactly 1.5 * 0.05 per step.
    const coast = env.step(new Float64Array(8));
    expect(infoNumber(coast.info, 'x_velocity')).toBeCloseTo(1.5, 9);
    expect(infoNumber(coast.info, 'y_velocity')).toBeCloseTo(-0.5, 9);
    expect(infoNumber(coast.info, 'x_position')).toBeCloseTo(0.3 + 1.5 * 0.05, 9);
    expect(coast.reward).toBeCloseTo(1.5 + 1, 9);
    expect(coast.terminated).toBe(false);
    expect(coast.info.reward_contact).toBeUndefined(); // no contact cost in the default v4 reward
    const action = [1, -1, 0.5, -0.5, 0.25, 0, 0.75, -0.3];
    const push = env.step(action);
    expect(infoNumber(push.info, 'reward_ctrl')).toBeCloseTo(-0.5 * sq(action), 12);
    expect(push.reward).toBeCloseTo(infoNumber(push.info, 'x_velocity') + 1 - 0.5 * sq(action), 12);
    env.close();
  });

  test("reward and info read the torso's xpos as mj_step left it (Gymnasium's get_body_com), not the final qpos", () => {
    const env = new AntEnv(mujoco);
    const gym = new GymnasiumMirror(mujoco, ANT_XML, 5);
    env.reset({ seed: 5 });
    const start = env.getPhysics();
    gym.setState(start.qpos, start.qvel);
    let lag = 0;
    for (let t = 0; t < 30; t++) {
      const action = Array.from({ length: 8 }, (_, i) => Math.sin(0.7 * t + i));
      const [x0, y0] = gym.torsoXY();
      gym.doSimulation(action);
      const [x1, y1] = gym.torsoXY();
      const step = env.step(action);
      expect(Array.from(env.getPhysics().qpos)).toEqual(Array.from(gym.qpos()));
      expect(infoNumber(step.info, 'x_position')).toBe(x1);
      expect(infoNumber(step.info, 'y_position')).toBe(y1);
      expect(infoNumber(step.info, 'x_velocity')).toBeCloseTo((x1 - x0) / 0.05, 12);
      expect(infoNumber(step.info, 'y_velocity')).toBeCloseTo((y1 - y0) / 0.05, 12);
      expect(step.reward).toBeCloseTo((x1 - x0) / 0.05 + 1 - 0.5 * sq(action), 12);
      lag = Math.max(lag, Math.abs(x1 - gym.qpos()[0]));
      if (step.terminated) break;
    }
    // The last RK4 stage is not the final state: reading qpos[0] instead would change the reward.
    expect(lag).toBeGreaterThan(1e-4);
    gym.close();
    env.close();
  });

  test('contact cost = 5e-4 * |clip(cfrc_ext, -1, 1)|^2 with useContactForces; zero in flight', () => {
    const plain = new AntEnv(mujoco);
    const charged = new AntEnv(mujoco, { useContactForces: true });
    landed(plain);
    landed(charged);
    const action = [0.5, 0.5, -0.5, -0.5, 0.5, 0.5, -0.5, -0.5];
    const a = plain.step(action);
    const b = charged.step(action);
    const raw = charged.externalContactForces();
    const contactCost = 5e-4 * sq(Array.from(raw, clip));
    expect(contactCost).toBeGreaterThan(0);
    expect(clippedContactCost(raw, [-1, 1], 5e-4)).toBeCloseTo(contactCost, 15);
    expect(infoNumber(b.info, 'reward_contact')).toBeCloseTo(-contactCost, 15);
    const xVelocity = infoNumber(b.info, 'x_velocity');
    expect(b.reward).toBeCloseTo(xVelocity + 1 - 0.5 * sq(action) - contactCost, 12);
    // Same physics, same state: the two rewards differ by exactly the contact cost.
    expect(Array.from(b.obs.slice(0, 27))).toEqual(Array.from(a.obs));
    expect(a.reward - b.reward).toBeCloseTo(contactCost, 12);

    charged.setPhysics(pose(0.9), new Array(14).fill(0));
    const flying = charged.step(new Float64Array(8));
    expect(charged.externalContactForces().every((f) => f === 0)).toBe(true);
    expect(infoNumber(flying.info, 'reward_contact')).toBeCloseTo(0, 15);
    plain.close();
    charged.close();
  });

  test('healthy: finite state and torso z in the closed range [0.2, 1.0]', () => {
    const env = new AntEnv(mujoco);
    env.reset({ seed: 2 });
    const still = new Array(14).fill(0);
    for (const [z, healthy] of [
      [0.2, true],
      [0.1999, false],
      [1.0, true],
      [1.0001, false],
      [0.55, true],
    ] as const) {
      env.setPhysics(pose(z), still);
      expect(env.isHealthy()).toBe(healthy);
    }
    const nan = [...still];
    nan[3] = Number.NaN;
    env.setPhysics(pose(0.55), nan);
    expect(env.isHealthy()).toBe(false);
    env.close();
  });

  test('terminates when the torso rises above 1.0; the healthy reward is still paid on that step', () => {
    const env = new AntEnv(mujoco);
    env.reset({ seed: 3 });
    const up = new Array(14).fill(0);
    up[2] = 2;
    env.setPhysics(pose(0.98), up);
    const step = env.step(new Float64Array(8));
    expect(env.getPhysics().qpos[2]).toBeGreaterThan(1);
    expect(step.terminated).toBe(true);
    expect(infoNumber(step.info, 'reward_survive')).toBe(1);
    expect(() => env.step(new Float64Array(8))).toThrow(/Ant-v4.*reset/);
    env.close();

    const lenient = new AntEnv(mujoco, { terminateWhenUnhealthy: false });
    lenient.reset({ seed: 3 });
    lenient.setPhysics(pose(0.98), up);
    const free = lenient.step(new Float64Array(8));
    expect(free.terminated).toBe(false);
    expect(infoNumber(free.info, 'reward_survive')).toBe(0);
    lenient.close();
  });

  test('reset noise: qpos0 + U(-0.1, 0.1) and qvel 0.1 * N(0, 1)', () => {
    const env = new AntEnv(mujoco);
    const init = [0, 0, 0.75, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    const velocities: number[] = [];
    env.reset({ seed: 9 });
    for (let episode = 0; episode < 60; episode++) {
      env.reset();
      const { qpos, qvel } = env.getPhysics();
      qpos.forEach((q, i) => expect(Math.abs(q - init[i])).toBeLessThanOrEqual(0.1));
      velocities.push(...qvel);
    }
    const mean = velocities.reduce((s, v) => s + v, 0) / velocities.length;
    const std = Math.sqrt(velocities.reduce((s, v) => s + (v - mean) ** 2, 0) / velocities.length);
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(std).toBeGreaterThan(0.09);
    expect(std).toBeLessThan(0.11);
    expect(velocities.some((v) => Math.abs(v) > 0.1)).toBe(true); // normal, not uniform
    env.close();
  });

  test('the same seed gives the same trajectory; a JSON checkpoint continues the episode exactly', async () => {
    const a = await makeEnv('Ant-v4', { task: { useContactForces: true } });
    const b = await makeEnv('Ant-v4', { task: { useContactForces: true } });
    const ra = rollout(a, 120, 7, 42);
    const rb = rollout(b, 120, 7, 42);
    expect(rb.rewards).toEqual(ra.rewards);
    expect(rb.observations).toEqual(ra.observations);
    expect(rb.terminated).toEqual(ra.terminated);

    const saved = JSON.parse(JSON.stringify(a.getState()));
    const action = new Float64Array(8).fill(0.3);
    const continued = stepsUntilDone(a, action, 40);
    b.reset({ seed: 1 });
    b.setState(saved);
    expect(stepsUntilDone(b, action, 40)).toEqual(continued);

    // A state saved without xpos / xipos (before they were saved) still loads; the first step
    // then measures from the state's own kinematics, so only its reward can differ.
    const { xpos: _xpos, xipos: _xipos, ...older } = saved.physics;
    b.setState({ ...saved, physics: older });
    const again = stepsUntilDone(b, action, 40);
    expect(again.map((row) => row.slice(1))).toEqual(continued.map((row) => row.slice(1)));
    expect(again[0][0]).not.toBe(continued[0][0]);
    a.close();
    b.close();
  });

  test('random actions: about 1 - 0.5 * 8/3 = -0.33 reward per step, no forward progress on average', async () => {
    const env = await makeEnv('Ant-v4', { maxEpisodeSteps: 200, episodeStatistics: true });
    const r = rollout(env, 600, 11, 11);
    const perStep = r.rewards.reduce((s, x) => s + x, 0) / r.rewards.length;
    expect(perStep).toBeGreaterThan(-1);
    expect(perStep).toBeLessThan(0.3);
    env.close();
  });
});
