/**
 * Reward terms and termination rules on hand-built states: set qpos/qvel, step, and compare with
 * the v4 formulas computed here from the positions before and after.
 */
import {
  HalfCheetahEnv,
  HopperEnv,
  InvertedPendulumEnv,
  Walker2dEnv,
  infoNumber,
  loadMujoco,
  type MujocoModule,
} from '../src/index';

let mujoco: MujocoModule;
beforeAll(async () => {
  mujoco = await loadMujoco();
});

const sq = (a: number[]) => a.reduce((s, x) => s + x * x, 0);

describe('HalfCheetah-v4', () => {
  test('reward = dx/dt - 0.1 |a|^2 with dt = 0.01 * 5; observation = qpos[1:] ++ qvel', () => {
    const env = new HalfCheetahEnv(mujoco);
    env.reset({ seed: 3 });
    const qpos = [0.25, 0.02, 0.05, 0.1, -0.1, 0.2, -0.2, 0.1, 0.0];
    const qvel = [2.0, 0, 0.3, 0, 0, 0, 0, 0, 0];
    env.setPhysics(qpos, qvel);
    expect(Array.from(env.observation())).toEqual([...qpos.slice(1), ...qvel]);
    const action = [0.5, -0.5, 0.25, 1, -1, 0];
    const step = env.step(action);
    const xAfter = env.getPhysics().qpos[0];
    const xVelocity = (xAfter - 0.25) / 0.05;
    expect(xVelocity).toBeGreaterThan(1); // it kept most of its 2 m/s
    expect(infoNumber(step.info, 'x_velocity')).toBeCloseTo(xVelocity, 12);
    expect(infoNumber(step.info, 'reward_ctrl')).toBeCloseTo(-0.1 * sq(action), 12);
    expect(step.reward).toBeCloseTo(xVelocity - 0.1 * sq(action), 12);
    expect(step.terminated).toBe(false);
    env.close();
  });
});

describe('Hopper-v4', () => {
  test('reward = dx/dt + 1 - 1e-3 |a|^2 with dt = 0.002 * 4; velocities clipped to 10 in the observation', () => {
    const env = new HopperEnv(mujoco);
    env.reset({ seed: 1 });
    const init = env.getPhysics();
    const qvel = [0.5, 0, 0, 0, 0, 40];
    env.setPhysics(init.qpos, qvel);
    expect(env.observation()[5 + 5]).toBe(10);
    const action = [0.3, -0.2, 0.1];
    const step = env.step(action);
    const xVelocity = (env.getPhysics().qpos[0] - init.qpos[0]) / 0.008;
    expect(step.reward).toBeCloseTo(xVelocity + 1 - 1e-3 * sq(action), 12);
    expect(infoNumber(step.info, 'reward_healthy')).toBe(1);
    expect(step.terminated).toBe(false);
    env.close();
  });

  test.each([
    ['height below 0.7', (q: Float64Array) => (q[1] = 0.65)],
    ['pitch beyond 0.2', (q: Float64Array) => (q[2] = 0.25)],
    ['pitch below -0.2', (q: Float64Array) => (q[2] = -0.25)],
    ['a joint angle beyond the healthy state range 100', (q: Float64Array) => (q[4] = 150)],
  ])('terminates when %s', (_name, edit) => {
    const env = new HopperEnv(mujoco);
    env.reset({ seed: 2 });
    const { qpos, qvel } = env.getPhysics();
    edit(qpos);
    env.setPhysics(qpos, qvel);
    const step = env.step([0, 0, 0]);
    expect(step.terminated).toBe(true);
    // With terminateWhenUnhealthy (the default), the healthy reward is still paid on that step.
    expect(infoNumber(step.info, 'reward_healthy')).toBe(1);
    env.close();
  });

  test('a healthy state at the start does not terminate; without termination the unhealthy reward is 0', () => {
    const env = new HopperEnv(mujoco, { terminateWhenUnhealthy: false });
    env.reset({ seed: 2 });
    expect(env.isHealthy()).toBe(true);
    const { qpos, qvel } = env.getPhysics();
    qpos[1] = 0.5;
    env.setPhysics(qpos, qvel);
    const step = env.step([0, 0, 0]);
    expect(step.terminated).toBe(false);
    expect(infoNumber(step.info, 'reward_healthy')).toBe(0);
    env.close();
  });
});

describe('Walker2d-v4', () => {
  test.each([
    ['height below 0.8', 1, 0.75, true],
    ['height above 2.0', 1, 2.1, true],
    ['pitch beyond 1', 2, 1.05, true],
    ['height 1.0 and pitch 0.5 (healthy)', 2, 0.5, false],
  ] as const)('%s', (_name, index, value, terminated) => {
    const env = new Walker2dEnv(mujoco);
    env.reset({ seed: 4 });
    const { qpos, qvel } = env.getPhysics();
    qpos[index] = value;
    if (index === 2) qpos[1] = 1.0;
    env.setPhysics(qpos, qvel);
    const x0 = qpos[0];
    const action = [0.1, 0.2, 0.3, -0.1, -0.2, -0.3];
    const step = env.step(action);
    expect(step.terminated).toBe(terminated);
    const xVelocity = (env.getPhysics().qpos[0] - x0) / 0.008;
    expect(step.reward).toBeCloseTo(xVelocity + 1 - 1e-3 * sq(action), 12);
    env.close();
  });
});

describe('InvertedPendulum-v4', () => {
  test('reward 1 per step; terminates once |pole angle| > 0.2', () => {
    const env = new InvertedPendulumEnv(mujoco);
    env.reset({ seed: 0 });
    env.setPhysics([0, 0.1], [0, 0]);
    const upright = env.step([0]);
    expect(upright.reward).toBe(1);
    expect(upright.terminated).toBe(false);
    env.setPhysics([0, 0.19], [0, 3]);
    const fallen = env.step([0]);
    expect(Math.abs(fallen.obs[1])).toBeGreaterThan(0.2);
    expect(fallen.terminated).toBe(true);
    expect(fallen.reward).toBe(1);
    env.close();
  });
});
