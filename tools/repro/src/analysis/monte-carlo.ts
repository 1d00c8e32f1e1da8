/**
 * Monte Carlo returns of the Q-value bias protocol (Fujimoto et al. 2018; Chen et al. 2021, the
 * ALM paper's Appendix E and Figures 4 and 8): run the current policy for whole episodes, give
 * every visited state-action pair its discounted return to the end of the episode, and keep only
 * the first `cutoff` pairs of each episode (350 in the authors' protocol), whose returns are the
 * least shortened by the episode's end. Episodes are added until `states` pairs are kept.
 */

/** One finished episode: what the policy saw and did, and the rewards it got. */
export interface EpisodeRecord {
  /** [length * observationSize], row-major: s_0, s_1, ... */
  readonly observations: Float64Array;
  /** [length * actionSize], row-major, in the env's bounds: a_0, a_1, ... */
  readonly actions: Float64Array;
  /** r_0 .. r_{length-1}. */
  readonly rewards: Float64Array;
  readonly terminated: boolean;
}

/** G_t = r_t + gamma G_{t+1}, with G_{T-1} = r_{T-1}: the return to the end of the episode. */
export function discountedReturns(rewards: ArrayLike<number>, gamma: number): Float64Array {
  if (!(gamma >= 0 && gamma <= 1))
    throw new RangeError(`discountedReturns: gamma must be in [0, 1], got ${gamma}`);
  const out = new Float64Array(rewards.length);
  let next = 0;
  for (let t = rewards.length - 1; t >= 0; t--) {
    next = rewards[t] + gamma * next;
    out[t] = next;
  }
  return out;
}

/** The state-action pairs kept for the bias analysis, with their Monte Carlo returns. */
export interface MonteCarloSample {
  /** [n * observationSize] */
  readonly observations: Float64Array;
  /** [n * actionSize], env bounds */
  readonly actions: Float64Array;
  /** [n] discounted return of each pair to the end of its episode */
  readonly returns: Float64Array;
  /** Which episode (0-based) each pair comes from. */
  readonly episode: Int32Array;
  /** Its step within that episode. */
  readonly step: Int32Array;
}

/**
 * The first `cutoff` pairs of each episode, in episode order, until `states` pairs: exactly
 * `states` (the last episode used may contribute only some of its first `cutoff`). Throws when the
 * episodes hold fewer pairs than that.
 */
export function monteCarloSample(
  episodes: readonly EpisodeRecord[],
  options: { readonly states: number; readonly cutoff: number; readonly gamma: number },
): MonteCarloSample {
  const { states, cutoff, gamma } = options;
  if (!Number.isInteger(states) || states < 1)
    throw new RangeError(`states must be an integer >= 1, got ${states}`);
  if (!Number.isInteger(cutoff) || cutoff < 1)
    throw new RangeError(`cutoff must be an integer >= 1, got ${cutoff}`);
  const first = episodes[0];
  if (!first) throw new RangeError('monteCarloSample: no episodes');
  const obsSize = first.observations.length / first.rewards.length;
  const actSize = first.actions.length / first.rewards.length;
  const out = {
    observations: new Float64Array(states * obsSize),
    actions: new Float64Array(states * actSize),
    returns: new Float64Array(states),
    episode: new Int32Array(states),
    step: new Int32Array(states),
  };
  let n = 0;
  for (let e = 0; e < episodes.length && n < states; e++) {
    const episode = episodes[e];
    const returns = discountedReturns(episode.rewards, gamma);
    const keep = Math.min(cutoff, returns.length, states - n);
    out.observations.set(episode.observations.subarray(0, keep * obsSize), n * obsSize);
    out.actions.set(episode.actions.subarray(0, keep * actSize), n * actSize);
    for (let t = 0; t < keep; t++) {
      out.returns[n + t] = returns[t];
      out.episode[n + t] = e;
      out.step[n + t] = t;
    }
    n += keep;
  }
  if (n < states)
    throw new RangeError(
      `monteCarloSample: ${episodes.length} episode(s) give ${n} state-action pairs (at most ${cutoff} each), fewer than ${states}`,
    );
  return out;
}

/** How many pairs an episode of `length` steps adds: min(length, cutoff). */
export function pairsKept(length: number, cutoff: number): number {
  return Math.min(length, cutoff);
}
