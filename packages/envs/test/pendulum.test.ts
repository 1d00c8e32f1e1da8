import { PendulumEnv, angleNormalize, makeEnv } from '../src/index';

describe('Pendulum-v1', () => {
  test('one step against the hand-computed semi-implicit Euler update and cost', () => {
    const env = new PendulumEnv();
    env.reset({ seed: 1 });
    const th = 2.5;
    const thDot = -1.5;
    env.setState({ ...env.getState(), physics: { theta: th, thetaDot: thDot } });
    const u = 1.2;
    const step = env.step([u]);
    const newThDot = thDot + (1.5 * 10 * Math.sin(th) + 3 * u) * 0.05;
    const newTh = th + newThDot * 0.05;
    expect(step.reward).toBeCloseTo(-(th ** 2 + 0.1 * thDot ** 2 + 0.001 * u ** 2), 12);
    expect(Array.from(step.obs)).toEqual([Math.cos(newTh), Math.sin(newTh), newThDot]);
  });

  test('torque is clipped to [-2, 2] and speed to [-8, 8]', () => {
    const env = new PendulumEnv();
    env.reset({ seed: 1 });
    env.setState({ ...env.getState(), physics: { theta: Math.PI / 2, thetaDot: 7.9 } });
    const step = env.step([50]);
    expect(step.obs[2]).toBe(8);
    expect(step.reward).toBeCloseTo(-((Math.PI / 2) ** 2 + 0.1 * 7.9 ** 2 + 0.001 * 4), 12);
  });

  test('angleNormalize wraps into [-pi, pi)', () => {
    expect(angleNormalize(0)).toBe(0);
    expect(angleNormalize(3 * Math.PI)).toBeCloseTo(-Math.PI, 12);
    expect(angleNormalize(-Math.PI / 2 - 4 * Math.PI)).toBeCloseTo(-Math.PI / 2, 12);
  });

  test('episodes are truncated at 200 steps and never terminated', async () => {
    const env = await makeEnv('Pendulum-v1');
    env.reset({ seed: 0 });
    for (let t = 1; t <= 200; t++) {
      const s = env.step([0.5]);
      expect(s.terminated).toBe(false);
      expect(s.truncated).toBe(t === 200);
    }
  });
});
