import { evaluate, type EvaluationEnv } from '../src';

/** A counter env: reward = action[0]; the episode terminates after `3 + seed % 2` steps. */
function counterEnv(): EvaluationEnv & { seeds: number[] } {
  let t = 0;
  let limit = 0;
  const seeds: number[] = [];
  return {
    seeds,
    reset(options) {
      seeds.push(options?.seed ?? -1);
      t = 0;
      limit = 3 + ((options?.seed ?? 0) % 2);
      return { obs: new Float64Array([t]) };
    },
    step(action) {
      t += 1;
      return {
        obs: new Float64Array([t]),
        reward: Number(action[0]),
        terminated: t >= limit,
        truncated: false,
      };
    },
  };
}

describe('evaluate', () => {
  it('runs whole deterministic episodes with seeds seed + i and sums rewards', () => {
    const env = counterEnv();
    const contexts: boolean[] = [];
    const policy = {
      act: (obs: Float64Array, ctx: { deterministic: boolean }) => (
        contexts.push(ctx.deterministic),
        [obs[0] + 1]
      ),
    };
    const result = evaluate(policy, env, 3, { seed: 10 });
    // seed 10 -> 3 steps, rewards 1+2+3; seed 11 -> 4 steps, 1+2+3+4; seed 12 -> 3 steps.
    expect(result).toEqual({ returns: [6, 10, 6], lengths: [3, 4, 3] });
    expect(env.seeds).toEqual([10, 11, 12]);
    expect(contexts.every(Boolean)).toBe(true);
  });

  it('rejects a bad episode count and an env that never ends', () => {
    const policy = { act: () => [0] };
    expect(() => evaluate(policy, counterEnv(), 0, { seed: 0 })).toThrow(/positive integer/);
    const endless: EvaluationEnv = {
      reset: () => ({ obs: new Float64Array(1) }),
      step: () => ({ obs: new Float64Array(1), reward: 0, terminated: false, truncated: false }),
    };
    expect(() => evaluate(policy, endless, 1, { seed: 0, maxEpisodeSteps: 50 })).toThrow(
      /ran 50 steps without ending/,
    );
  });
});
