/**
 * The analyses' arithmetic against hand-computed values: discounted Monte Carlo returns, the
 * per-episode cut and the pair count, the paper's normalised bias (and the authors' per-pair
 * variant), and the latent rollout distances and their per-step aggregation.
 */
import { biasStatistics } from '../src/analysis/bias-stats';
import { discountedReturns, monteCarloSample, type EpisodeRecord } from '../src/analysis/monte-carlo';
import {
  latentSpread,
  noChangeDistances,
  stepDistances,
  summarizeSteps,
} from '../src/analysis/rollout-errors';

/** An episode of `length` steps with 1-d observations t + offset, 1-d actions -t and the given rewards. */
function episode(rewards: number[], offset = 0): EpisodeRecord {
  return {
    observations: Float64Array.from(rewards, (_, t) => t + offset),
    actions: Float64Array.from(rewards, (_, t) => -t),
    rewards: Float64Array.from(rewards),
    terminated: false,
  };
}

describe('Monte Carlo returns', () => {
  it('discounts to the end of the episode', () => {
    // G_2 = 3, G_1 = 2 + 0.5 * 3 = 3.5, G_0 = 1 + 0.5 * 3.5 = 2.75
    expect(Array.from(discountedReturns([1, 2, 3], 0.5))).toEqual([2.75, 3.5, 3]);
    expect(Array.from(discountedReturns([1, 2, 3], 1))).toEqual([6, 5, 3]);
    expect(Array.from(discountedReturns([1, 2, 3], 0))).toEqual([1, 2, 3]);
    expect(() => discountedReturns([1], 1.5)).toThrow('gamma must be in [0, 1]');
  });

  it('keeps the first 350 pairs of each episode with returns over the whole episode', () => {
    const gamma = 0.99;
    const long = episode(new Array<number>(400).fill(1));
    const sample = monteCarloSample([long, episode(new Array<number>(400).fill(1), 1000)], {
      states: 500,
      cutoff: 350,
      gamma,
    });
    // reward 1 for 400 steps: G_t = (1 - 0.99^(400 - t)) / (1 - 0.99); the cut does not shorten it
    const expected = (t: number) => (1 - gamma ** (400 - t)) / (1 - gamma);
    expect(sample.returns).toHaveLength(500);
    expect(sample.returns[0]).toBeCloseTo(expected(0), 9);
    expect(sample.returns[0]).toBeCloseTo(98.2049447, 6);
    expect(sample.returns[349]).toBeCloseTo(expected(349), 9);
    expect(sample.returns[349]).toBeCloseTo(40.1043994, 6);
    // 350 pairs of episode 0, then the first 150 of episode 1
    expect(sample.episode[349]).toBe(0);
    expect(sample.step[349]).toBe(349);
    expect(sample.episode[350]).toBe(1);
    expect(sample.step[350]).toBe(0);
    expect(sample.step[499]).toBe(149);
    expect(sample.observations[350]).toBe(1000);
    expect(sample.observations[499]).toBe(1149);
    expect(sample.actions[499]).toBe(-149);
    expect(sample.returns[350]).toBeCloseTo(expected(0), 9);
  });

  it('takes short episodes whole and says when the episodes hold too few pairs', () => {
    const sample = monteCarloSample([episode([1, 2, 3]), episode([4, 4])], {
      states: 5,
      cutoff: 350,
      gamma: 0.5,
    });
    expect(Array.from(sample.returns)).toEqual([2.75, 3.5, 3, 6, 4]);
    expect(Array.from(sample.episode)).toEqual([0, 0, 0, 1, 1]);
    expect(() =>
      monteCarloSample([episode([1, 2, 3]), episode([4, 4])], { states: 5, cutoff: 2, gamma: 0.5 }),
    ).toThrow('2 episode(s) give 4 state-action pairs (at most 2 each), fewer than 5');
  });
});

describe('bias statistics', () => {
  it('normalises by |mean Monte Carlo return| as the paper defines it', () => {
    // bias = 2, -2, 3, -3: mean 0, population std sqrt(26 / 4); mean G = 10
    const s = biasStatistics([12, 8, 13, 7], [10, 10, 10, 10]);
    expect(s.n).toBe(4);
    expect(s.returnMean).toBe(10);
    expect(s.estimateMean).toBe(10);
    expect(s.biasMean).toBe(0);
    expect(s.biasStd).toBeCloseTo(Math.sqrt(6.5), 12);
    expect(s.normaliser).toBe(10);
    expect(s.normalisedBiasMean).toBe(0);
    expect(s.normalisedBiasStd).toBeCloseTo(Math.sqrt(6.5) / 10, 12);
  });

  it('uses the magnitude of a negative mean return, and the per-pair variant clips |G| at 10', () => {
    // returns -20, 5 (mean -7.5); estimates -10, 5: bias 10, 0 (mean 5, population std 5)
    const s = biasStatistics([-10, 5], [-20, 5]);
    expect(s.biasMean).toBe(5);
    expect(s.biasStd).toBe(5);
    expect(s.normaliser).toBe(7.5);
    expect(s.normalisedBiasMean).toBeCloseTo(5 / 7.5, 12);
    expect(s.normalisedBiasStd).toBeCloseTo(5 / 7.5, 12);
    // per pair: 10 / max(20, 10) = 0.5, 0 / max(5, 10) = 0
    expect(s.perPairNormalisedBiasMean).toBe(0.25);
    expect(s.perPairNormalisedBiasStd).toBe(0.25);
  });

  it('refuses what it cannot normalise or compare', () => {
    expect(() => biasStatistics([1, 2], [1, -1])).toThrow('mean Monte Carlo return is 0');
    expect(() => biasStatistics([1], [1, 2])).toThrow('1 estimates for 2 Monte Carlo returns');
    expect(() => biasStatistics([NaN], [1])).toThrow('pair 0 is not finite');
    expect(() => biasStatistics([], [])).toThrow('no state-action pairs');
  });
});

describe('latent rollout errors', () => {
  it('measures L2 distances per step and the no-change reference', () => {
    // 2-d latents; predicted (0,0), (3,4) against encoded (0,0), (0,0): 0, 5
    expect(Array.from(stepDistances([0, 0, 3, 4], [0, 0, 0, 0], 2))).toEqual([0, 5]);
    // encoded (1,1), (4,5), (1,1): distance from the first 0, 5, 0
    expect(Array.from(noChangeDistances([1, 1, 4, 5, 1, 1], 2))).toEqual([0, 5, 0]);
    // (0,0) and (2,0) around their mean (1,0): 1 each
    expect(latentSpread([0, 0, 2, 0], 2)).toBe(1);
    expect(() => stepDistances([0, 0, 1], [0, 0, 1], 2)).toThrow('not whole rows of 2');
    expect(() => stepDistances([0, 0, 1, 1], [0, 0], 2)).toThrow('predicted has 2 steps, encoded 1');
  });

  it('aggregates per step over the trajectories that reach it', () => {
    const steps = summarizeSteps([
      [1, 2, 3],
      [3, 4],
    ]);
    expect(steps).toEqual([
      { step: 0, n: 2, mean: 2, std: 1 },
      { step: 1, n: 2, mean: 3, std: 1 },
      { step: 2, n: 1, mean: 3, std: 0 },
    ]);
  });
});
