/**
 * Random shooting and CEM on a problem with a known optimum, CEM's refit on hand-computed elites,
 * the warm-start shift, determinism from the seed.
 *
 * The problem: a scalar linear system x' = x + u with the cost sum_t (u_t^2 + x_{t+1}^2) over
 * H = 2 steps from x_0 = 1. By hand (backward Riccati, V_2 = 0):
 *   t = 1: min_u u^2 + (x + u)^2        -> u_1 = -x_1 / 2, V_1(x) = x^2 / 2
 *   t = 0: min_u u^2 + 1.5 (x + u)^2    -> u_0 = -0.6 x_0, V_0(x) = 0.6 x^2
 * so from x_0 = 1: u_0 = -0.6, x_1 = 0.4, u_1 = -0.2, return -0.6.
 */
import { initBackend } from '@mbrl-ts/kernels';
import { Rng, tf } from '@mbrl-ts/nn';
import {
  crossEntropyMethod,
  fitElites,
  randomShooting,
  refitGaussian,
  shiftPlan,
  type PlanningProblem,
} from '../src';

await initBackend('wasm', { logger: () => {} });

/** The linear-quadratic problem, its rollout batched over candidates as tensor ops. */
function linearQuadratic(x0: number): PlanningProblem {
  return {
    horizon: 2,
    actionSize: 1,
    low: [-1],
    high: [1],
    evaluate: (actions) =>
      tf.tidy(() => {
        const [n, horizon] = actions.shape;
        let x = tf.fill([n], x0);
        let ret = tf.zeros([n]);
        for (let t = 0; t < horizon; t++) {
          const u = actions.slice([0, t, 0], [n, 1, 1]).reshape([n]);
          x = x.add(u);
          ret = ret.sub(u.square()).sub(x.square());
        }
        return ret.dataSync() as Float32Array;
      }),
  };
}

describe("planners on x' = x + u with quadratic cost (optimum by hand: u_0 = -0.6, u_1 = -0.2)", () => {
  it('random shooting finds the optimal first action within 0.05', () => {
    const plan = randomShooting({ candidates: 4000 }).plan(linearQuadratic(1), new Rng(3));
    expect(plan.actions[0]).toBeCloseTo(-0.6, 1);
    expect(Math.abs(plan.actions[0] + 0.6)).toBeLessThan(0.05);
    expect(plan.bestReturn).toBeLessThanOrEqual(-0.6 + 1e-6);
    expect(plan.bestReturn).toBeGreaterThan(-0.6 - 0.01);
    expect(plan.evaluated).toBe(4000);
  });

  it('CEM finds both optimal actions within 0.01', () => {
    const cem = crossEntropyMethod({
      candidates: 200,
      elites: 20,
      iterations: 8,
      alpha: 0.1,
      initialStdFraction: 0.25,
    });
    const plan = cem.plan(linearQuadratic(1), new Rng(5));
    expect(Math.abs(plan.actions[0] + 0.6)).toBeLessThan(0.01);
    expect(Math.abs(plan.actions[1] + 0.2)).toBeLessThan(0.01);
    expect(plan.evaluated).toBe(1600);
  });

  it('the optimum moves with the state: from x_0 = -0.5, u_0 = 0.3', () => {
    const cem = crossEntropyMethod({
      candidates: 200,
      elites: 20,
      iterations: 8,
      alpha: 0.1,
      initialStdFraction: 0.25,
    });
    const plan = cem.plan(linearQuadratic(-0.5), new Rng(6));
    expect(Math.abs(plan.actions[0] - 0.3)).toBeLessThan(0.01);
  });

  it('a bound is respected: from x_0 = 4 the optimum u_0 = -2.4 is clipped to the box edge -1', () => {
    const rs = randomShooting({ candidates: 500 }).plan(linearQuadratic(4), new Rng(1));
    const cem = crossEntropyMethod({
      candidates: 100,
      elites: 10,
      iterations: 5,
      alpha: 0.1,
      initialStdFraction: 0.25,
    }).plan(linearQuadratic(4), new Rng(1));
    for (const plan of [rs, cem]) {
      for (const a of plan.actions) expect(Math.abs(a)).toBeLessThanOrEqual(1);
      expect(plan.actions[0]).toBeLessThan(-0.85);
    }
  });

  it('the same seed gives the same plan; another seed another one', () => {
    const cem = crossEntropyMethod({
      candidates: 50,
      elites: 5,
      iterations: 3,
      alpha: 0.1,
      initialStdFraction: 0.25,
    });
    const a = cem.plan(linearQuadratic(1), new Rng(9)).actions;
    const b = cem.plan(linearQuadratic(1), new Rng(9)).actions;
    const c = cem.plan(linearQuadratic(1), new Rng(10)).actions;
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
    const r1 = randomShooting({ candidates: 50 }).plan(linearQuadratic(1), new Rng(9)).actions;
    const r2 = randomShooting({ candidates: 50 }).plan(linearQuadratic(1), new Rng(9)).actions;
    expect(Array.from(r1)).toEqual(Array.from(r2));
  });

  it('planning leaves no tensor behind', () => {
    const before = tf.memory().numTensors;
    crossEntropyMethod({
      candidates: 30,
      elites: 3,
      iterations: 2,
      alpha: 0.1,
      initialStdFraction: 0.25,
    }).plan(linearQuadratic(1), new Rng(1));
    randomShooting({ candidates: 30 }).plan(linearQuadratic(1), new Rng(1));
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('CEM refit on hand-computed elites', () => {
  // 5 candidates of d = 2 entries; returns rank candidates 3, 0, 4 as the three elites
  const samples = Float32Array.from([1, 2, /**/ 0, 0, /**/ 9, 9, /**/ 3, -2, /**/ 2, 6]);
  const returns = Float32Array.from([5, -1, -7, 8, 4]);

  it('picks the M best and fits their mean and population std', () => {
    const fit = fitElites(samples, returns, 3, 2);
    expect(fit.indices).toEqual([3, 0, 4]);
    // entry 0: (3 + 1 + 2) / 3 = 2, var ((1)^2 + (-1)^2 + 0) / 3 = 2/3
    // entry 1: (-2 + 2 + 6) / 3 = 2, var (16 + 0 + 16) / 3 = 32/3
    expect(fit.mean[0]).toBeCloseTo(2, 6);
    expect(fit.mean[1]).toBeCloseTo(2, 6);
    expect(fit.std[0]).toBeCloseTo(Math.sqrt(2 / 3), 6);
    expect(fit.std[1]).toBeCloseTo(Math.sqrt(32 / 3), 6);
  });

  it('blends with the old Gaussian by alpha, on variances', () => {
    const old = { mean: Float32Array.from([0, 10]), std: Float32Array.from([1, 2]) };
    const next = refitGaussian(old, samples, returns, 3, 0.25);
    expect(next.mean[0]).toBeCloseTo(0.25 * 0 + 0.75 * 2, 6);
    expect(next.mean[1]).toBeCloseTo(0.25 * 10 + 0.75 * 2, 6);
    expect(next.std[0]).toBeCloseTo(Math.sqrt(0.25 * 1 + 0.75 * (2 / 3)), 6);
    expect(next.std[1]).toBeCloseTo(Math.sqrt(0.25 * 4 + 0.75 * (32 / 3)), 6);
  });

  it('a NaN return is never an elite', () => {
    const fit = fitElites(samples, Float32Array.from([NaN, 1, 2, 3, 4]), 4, 2);
    expect(fit.indices).toEqual([4, 3, 2, 1]);
  });

  it('rejects settings out of range with the key', () => {
    expect(() =>
      crossEntropyMethod({ candidates: 10, elites: 11, iterations: 1, alpha: 0.1, initialStdFraction: 0.25 }),
    ).toThrow(/elites \(11\) must not exceed candidates \(10\)/);
    expect(() => randomShooting({ candidates: 0 })).toThrow(/candidates must be an integer >= 1/);
  });
});

describe('warm start', () => {
  it('shifts the plan one step earlier and fills the last step with the box centre', () => {
    const plan = Float32Array.from([1, 2, 3, 4, 5, 6]); // H = 3, A = 2
    expect(Array.from(shiftPlan(plan, 2, [-1, 0], [1, 4]))).toEqual([3, 4, 5, 6, 0, 2]);
  });

  it('CEM starts from the given mean: one iteration with elites = N from a far start stays near it', () => {
    const cem = crossEntropyMethod({
      candidates: 4,
      elites: 4,
      iterations: 1,
      alpha: 0.9,
      initialStdFraction: 0.01,
    });
    const plan = cem.plan(linearQuadratic(1), new Rng(2), Float32Array.from([0.8, 0.8]));
    // mean' = 0.9 * 0.8 + 0.1 * (sample mean, within 4 * 0.02 of 0.8)
    expect(Math.abs(plan.actions[0] - 0.8)).toBeLessThan(0.01);
  });
});
