import { Box, InvalidOptionError, UnknownEnvError, listEnvs, makeEnv } from '../src/index';
import { Rng } from '@mbrl-ts/rng';

const CORE_TASKS: Array<[id: string, obs: number, act: number, low: number, high: number, dt: number]> = [
  ['Pendulum-v1', 3, 1, -2, 2, 0.05],
  ['InvertedPendulum-v4', 4, 1, -3, 3, 0.04],
  ['HalfCheetah-v4', 17, 6, -1, 1, 0.05],
  ['Hopper-v4', 11, 3, -1, 1, 0.008],
  ['Walker2d-v4', 17, 6, -1, 1, 0.008],
];

describe('spaces and sizes', () => {
  test.each(CORE_TASKS)('%s: obs %i, action %i in [%d, %d], dt %d', async (id, obs, act, low, high, dt) => {
    const env = await makeEnv(id);
    try {
      expect(listEnvs()).toContain(id);
      expect(env.observationSpace.shape).toEqual([obs]);
      expect(env.actionSpace.shape).toEqual([act]);
      expect(Array.from(env.actionSpace.low)).toEqual(new Array(act).fill(low));
      expect(Array.from(env.actionSpace.high)).toEqual(new Array(act).fill(high));
      expect(env.actionSpace.dtype).toBe('float32');
      expect(env.dt).toBeCloseTo(dt, 12);
      const { obs: o0 } = env.reset({ seed: 0 });
      expect(o0).toBeInstanceOf(Float64Array);
      expect(o0.length).toBe(obs);
      const step = env.step(new Float32Array(act));
      expect(step.obs.length).toBe(obs);
      expect(Number.isFinite(step.reward)).toBe(true);
    } finally {
      env.close();
    }
  });

  test('observations include the root x position when asked (18 entries)', async () => {
    const env = await makeEnv('HalfCheetah-v4', { task: { excludeCurrentPositionsFromObservation: false } });
    expect(env.observationSpace.size).toBe(18);
    expect(env.reset().obs.length).toBe(18);
    env.close();
  });

  test('an unknown id fails with the list of known ids', async () => {
    await expect(makeEnv('HalfCheetah-v9')).rejects.toThrow(UnknownEnvError);
    await expect(makeEnv('HalfCheetah-v9')).rejects.toThrow(
      /Unknown environment id "HalfCheetah-v9".*Hopper-v4/,
    );
  });

  test('an unknown task option is rejected with the accepted options', async () => {
    await expect(makeEnv('Hopper-v4', { task: { ctrlCost: 1 } })).rejects.toThrow(InvalidOptionError);
    await expect(makeEnv('Hopper-v4', { task: { ctrlCost: 1 } })).rejects.toThrow(
      /Hopper-v4: unknown option "ctrlCost".*ctrlCostWeight/,
    );
  });

  test('Box bounds, contains and sample', () => {
    const box = new Box([-1, 0], [1, 2]);
    expect(box.contains([0, 1])).toBe(true);
    expect(box.contains([0, 3])).toBe(false);
    expect(box.contains([0])).toBe(false);
    expect(() => new Box([1], [0])).toThrow(/exceeds/);
    expect(() => Box.unbounded(2).sample(new Rng(0))).toThrow(/unbounded/);
    const draw = box.sample(new Rng(1));
    expect(box.contains(draw)).toBe(true);
  });
});
