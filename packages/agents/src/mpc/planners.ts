/**
 * Planners over open-loop action sequences (the lecture notes' Section 2.1, seed 003): given a
 * function that scores N candidate sequences at once, find the sequence of H actions with the
 * highest predicted return. A planner is a value: `randomShooting(...)` or `crossEntropyMethod(...)`,
 * swapped by name in the MPC agent's config.
 *
 *   random shooting (Algorithm 3)  N sequences uniform in the action box, the best one
 *   cross-entropy method (Alg. 4)  `iterations` rounds of: N sequences from a Gaussian over
 *                                  sequences (clipped to the box), the `elites` best, the Gaussian
 *                                  refit to them (mean and per-entry std, smoothed by `alpha`)
 *
 * Sequences are flat Float32Arrays [H * A] (time-major); a batch of N is [N, H, A]. `evaluate`
 * gets the whole batch as one tensor so that every candidate goes through the model in one batched
 * product per layer per horizon step. All randomness comes from the Rng passed in.
 */
import type { Rng } from '@mbrl-ts/nn';
import { tf } from '@mbrl-ts/nn';

/** What a planner optimises: sequences of `horizon` actions of `actionSize` within [low, high]. */
export interface PlanningProblem {
  readonly horizon: number;
  readonly actionSize: number;
  /** Per action dimension (length actionSize). */
  readonly low: ArrayLike<number>;
  readonly high: ArrayLike<number>;
  /** Predicted return of each candidate: actions [N, H, A] -> [N] (the planner disposes `actions`). */
  evaluate(actions: tf.Tensor3D): Float32Array;
}

export interface Plan {
  /** The chosen sequence [H * A]: random shooting's best candidate, CEM's final mean. */
  readonly actions: Float32Array;
  /** The best predicted return among the candidates scored. */
  readonly bestReturn: number;
  /** Candidate sequences scored (N times the iterations). */
  readonly evaluated: number;
}

export interface Planner {
  readonly name: string;
  /**
   * Plan from a starting guess `initialMean` [H * A] (CEM's warm start: the previous step's
   * solution shifted by one step; random shooting ignores it).
   */
  plan(problem: PlanningProblem, rng: Rng, initialMean?: Float32Array): Plan;
}

function checkInt(who: string, key: string, value: number, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new RangeError(`${who}: ${key} must be an integer >= ${min}, got ${value}`);
  }
}

function scoreBatch(problem: PlanningProblem, samples: Float32Array, n: number): Float32Array {
  const { horizon, actionSize } = problem;
  const actions = tf.tensor3d(samples, [n, horizon, actionSize]);
  let returns: Float32Array;
  try {
    returns = problem.evaluate(actions);
  } finally {
    actions.dispose();
  }
  if (returns.length !== n) {
    throw new RangeError(`planner: evaluate returned ${returns.length} returns for ${n} candidates`);
  }
  return returns;
}

/** Index of the largest entry; NaN counts as the lowest. */
function argmax(values: Float32Array): number {
  let best = 0;
  let bestValue = -Infinity;
  for (let i = 0; i < values.length; i++) {
    if (values[i] > bestValue) {
      bestValue = values[i];
      best = i;
    }
  }
  return best;
}

export interface RandomShootingOptions {
  /** N: sequences sampled per plan. */
  readonly candidates: number;
}

/** Random shooting (Algorithm 3 of the notes): N uniform sequences, the one with the highest return. */
export function randomShooting(options: RandomShootingOptions): Planner {
  checkInt('randomShooting', 'candidates', options.candidates, 1);
  return {
    name: 'random',
    plan(problem, rng) {
      const { horizon, actionSize, low, high } = problem;
      const n = options.candidates;
      const d = horizon * actionSize;
      const samples = new Float32Array(n * d);
      for (let i = 0; i < n * d; i++) {
        const a = i % actionSize;
        samples[i] = rng.uniformRange(low[a], high[a]);
      }
      const returns = scoreBatch(problem, samples, n);
      const best = argmax(returns);
      return { actions: samples.slice(best * d, (best + 1) * d), bestReturn: returns[best], evaluated: n };
    },
  };
}

export interface CrossEntropyOptions {
  /** N: sequences sampled per iteration. */
  readonly candidates: number;
  /** M: the best sequences the Gaussian is refit to. */
  readonly elites: number;
  readonly iterations: number;
  /** Smoothing: new = alpha * old + (1 - alpha) * refit (PETS: 0.1). */
  readonly alpha: number;
  /**
   * Starting std as a fraction of the box width (PETS: variance (high - low)^2 / 16, a std of a
   * quarter of the width).
   */
  readonly initialStdFraction: number;
}

/** The Gaussian CEM keeps over sequences: a mean and a std per entry [H * A]. */
export interface SequenceGaussian {
  readonly mean: Float32Array;
  readonly std: Float32Array;
}

/**
 * The elites of a scored batch and the Gaussian fitted to them (maximum likelihood: their mean and
 * their population std per entry). `samples` [N * d], `returns` [N]; ties keep the lower index.
 */
export function fitElites(
  samples: Float32Array,
  returns: Float32Array,
  elites: number,
  d: number,
): SequenceGaussian & { readonly indices: number[] } {
  const n = returns.length;
  if (samples.length !== n * d) throw new RangeError(`fitElites: ${samples.length} samples for ${n} x ${d}`);
  if (elites < 1 || elites > n) throw new RangeError(`fitElites: elites must be in [1, ${n}], got ${elites}`);
  const order = Array.from({ length: n }, (_, i) => i);
  const key = (i: number) => (Number.isNaN(returns[i]) ? -Infinity : returns[i]);
  order.sort((i, j) => key(j) - key(i) || i - j);
  const indices = order.slice(0, elites);
  const mean = new Float32Array(d);
  const std = new Float32Array(d);
  for (let k = 0; k < d; k++) {
    let sum = 0;
    for (const i of indices) sum += samples[i * d + k];
    const m = sum / elites;
    let sq = 0;
    for (const i of indices) sq += (samples[i * d + k] - m) ** 2;
    mean[k] = m;
    std[k] = Math.sqrt(sq / elites);
  }
  return { mean, std, indices };
}

/**
 * One CEM refit: the elites' Gaussian blended with the old one, mean' = alpha mean + (1 - alpha)
 * eliteMean and var' = alpha var + (1 - alpha) eliteVar (PETS's update, on variances).
 */
export function refitGaussian(
  old: SequenceGaussian,
  samples: Float32Array,
  returns: Float32Array,
  elites: number,
  alpha: number,
): SequenceGaussian {
  const d = old.mean.length;
  const fit = fitElites(samples, returns, elites, d);
  const mean = new Float32Array(d);
  const std = new Float32Array(d);
  for (let k = 0; k < d; k++) {
    mean[k] = alpha * old.mean[k] + (1 - alpha) * fit.mean[k];
    std[k] = Math.sqrt(alpha * old.std[k] ** 2 + (1 - alpha) * fit.std[k] ** 2);
  }
  return { mean, std };
}

/**
 * The cross-entropy method (Algorithm 4 of the notes) as PETS runs it (Chua et al. 2018, "Deep
 * Reinforcement Learning in a Handful of Trials using Probabilistic Dynamics Models"): the std of
 * each entry is capped at half the distance from the mean to the nearer bound, so that +-2 std lies
 * in the box, and samples are clipped to it. Returns the final mean.
 */
export function crossEntropyMethod(options: CrossEntropyOptions): Planner {
  const who = 'crossEntropyMethod';
  checkInt(who, 'candidates', options.candidates, 1);
  checkInt(who, 'elites', options.elites, 1);
  checkInt(who, 'iterations', options.iterations, 1);
  if (options.elites > options.candidates) {
    throw new RangeError(
      `${who}: elites (${options.elites}) must not exceed candidates (${options.candidates})`,
    );
  }
  if (!(options.alpha >= 0 && options.alpha < 1))
    throw new RangeError(`${who}: alpha must be in [0, 1), got ${options.alpha}`);
  if (!(options.initialStdFraction > 0)) {
    throw new RangeError(`${who}: initialStdFraction must be > 0, got ${options.initialStdFraction}`);
  }
  return {
    name: 'cem',
    plan(problem, rng, initialMean) {
      const { horizon, actionSize, low, high } = problem;
      const d = horizon * actionSize;
      const n = options.candidates;
      let mean: Float32Array = new Float32Array(d);
      let std: Float32Array = new Float32Array(d);
      for (let k = 0; k < d; k++) {
        const a = k % actionSize;
        mean[k] = initialMean ? initialMean[k] : (low[a] + high[a]) / 2;
        std[k] = options.initialStdFraction * (high[a] - low[a]);
      }
      const samples = new Float32Array(n * d);
      let bestReturn = -Infinity;
      for (let it = 0; it < options.iterations; it++) {
        const capped = new Float32Array(d);
        for (let k = 0; k < d; k++) {
          const a = k % actionSize;
          const room = Math.min(mean[k] - low[a], high[a] - mean[k]) / 2;
          capped[k] = Math.min(std[k], Math.max(room, 0));
        }
        for (let i = 0; i < n; i++) {
          for (let k = 0; k < d; k++) {
            const a = k % actionSize;
            const x = mean[k] + capped[k] * rng.normal();
            samples[i * d + k] = Math.min(high[a], Math.max(low[a], x));
          }
        }
        const returns = scoreBatch(problem, samples, n);
        bestReturn = Math.max(bestReturn, returns[argmax(returns)]);
        ({ mean, std } = refitGaussian({ mean, std }, samples, returns, options.elites, options.alpha));
      }
      return { actions: mean, bestReturn, evaluated: n * options.iterations };
    },
  };
}

/**
 * The warm start of the next step (PETS): the plan moved one step earlier, its last action the
 * box centre.
 */
export function shiftPlan(
  plan: Float32Array,
  actionSize: number,
  low: ArrayLike<number>,
  high: ArrayLike<number>,
): Float32Array {
  const out = new Float32Array(plan.length);
  out.set(plan.subarray(actionSize));
  for (let a = 0; a < actionSize; a++) out[plan.length - actionSize + a] = (low[a] + high[a]) / 2;
  return out;
}
