import {
  ClipAction,
  DynamicsNoise,
  EpisodeStatistics,
  InvalidOptionError,
  PendulumEnv,
  RescaleAction,
  TimeLimit,
  makeEnv,
} from '../src/index';

describe('wrappers', () => {
  test('TimeLimit sets truncated (never terminated) at the limit; makeEnv applies 1000 by default', async () => {
    const env = await makeEnv('HalfCheetah-v4');
    expect(env).toBeInstanceOf(TimeLimit);
    expect((env as TimeLimit).maxEpisodeSteps).toBe(1000);
    const bare = await makeEnv('HalfCheetah-v4', { maxEpisodeSteps: null });
    expect(bare).not.toBeInstanceOf(TimeLimit);
    expect(() => new TimeLimit(bare, 0)).toThrow(InvalidOptionError);
    env.close();
    bare.close();
  });

  test('EpisodeStatistics reports the return and length at the episode end only', async () => {
    const env = await makeEnv('Pendulum-v1', { maxEpisodeSteps: 5, episodeStatistics: true });
    expect(env).toBeInstanceOf(EpisodeStatistics);
    env.reset({ seed: 3 });
    let sum = 0;
    for (let t = 1; t <= 5; t++) {
      const s = env.step([0.1 * t]);
      sum += s.reward;
      if (t < 5) expect(s.info.episode).toBeUndefined();
      else expect(s.info.episode).toEqual({ return: sum, length: 5 });
    }
    env.reset();
    const s = env.step([0]);
    expect(s.info.episode).toBeUndefined();
  });

  test('RescaleAction maps [-1, 1] onto the env bounds', () => {
    const direct = new PendulumEnv();
    const scaled = new RescaleAction(new PendulumEnv());
    expect(Array.from(scaled.actionSpace.low)).toEqual([-1]);
    direct.reset({ seed: 9 });
    scaled.reset({ seed: 9 });
    for (const a of [-1, -0.25, 0.5, 1]) expect(scaled.step([a])).toEqual(direct.step([2 * a]));
    const shifted = new RescaleAction(new PendulumEnv(), 0, 1);
    const ref = new PendulumEnv();
    shifted.reset({ seed: 1 });
    ref.reset({ seed: 1 });
    expect(shifted.step([0.75])).toEqual(ref.step([1]));
  });

  test('ClipAction clips into the bounds before stepping', () => {
    const clipped = new ClipAction(new PendulumEnv());
    const ref = new PendulumEnv();
    expect(clipped.actionSpace.high[0]).toBe(Infinity);
    clipped.reset({ seed: 2 });
    ref.reset({ seed: 2 });
    expect(clipped.step([100])).toEqual(ref.step([2]));
    expect(() => clipped.step([NaN])).toThrow(/Pendulum-v1: action\[0\] is NaN/);
  });

  test('DynamicsNoise: std 0 changes nothing; std > 0 perturbs, reproducibly by seed', async () => {
    const actions = Array.from({ length: 20 }, (_, t) => new Float64Array(6).fill(Math.sin(t)));
    const run = async (std: number | null, seed: number) => {
      const base = await makeEnv('HalfCheetah-v4');
      const env = std === null ? base : new DynamicsNoise(base, { std });
      env.reset({ seed });
      const obs = actions.map((a) => Array.from(env.step(a).obs));
      env.close();
      return obs;
    };
    const plain = await run(null, 1);
    expect(await run(0, 1)).toEqual(plain);
    const noisy = await run(0.05, 1);
    expect(noisy).not.toEqual(plain);
    expect(await run(0.05, 1)).toEqual(noisy);
    // The perturbation of the first next state is of the order of std (qpos entries after the first).
    const firstDiff = noisy[0].slice(0, 8).map((x, i) => Math.abs(x - plain[0][i]));
    expect(Math.max(...firstDiff)).toBeGreaterThan(0.005);
    expect(Math.max(...firstDiff)).toBeLessThan(0.5);
    expect(() => new DynamicsNoise(new PendulumEnv(), { std: 0.1 })).toThrow(/needs a MuJoCo task/);
  });
});
