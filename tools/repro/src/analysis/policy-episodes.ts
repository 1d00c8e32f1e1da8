/**
 * Whole episodes of a trained policy, recorded for the analyses: the deterministic policy (as in
 * evaluation), episode i reset with seed `seed + i`, so an analysis is reproducible.
 */
import type { Agent } from '@mbrl-ts/harness';
import type { Env } from '@mbrl-ts/envs';
import type { EpisodeRecord } from './monte-carlo';

export interface EpisodeOptions {
  /** Seed of the first episode's reset. */
  readonly seed: number;
  /** The training step passed to `act` (the checkpoint's). */
  readonly step: number;
  /** Safety cap for tasks without a time limit. */
  readonly maxEpisodeSteps?: number;
}

/** One episode of the deterministic policy. */
export function recordEpisode(agent: Agent, env: Env, seed: number, options: EpisodeOptions): EpisodeRecord {
  const cap = options.maxEpisodeSteps ?? 100_000;
  const observations: number[] = [];
  const actions: number[] = [];
  const rewards: number[] = [];
  let { obs } = env.reset({ seed: seed >>> 0 });
  for (;;) {
    const action = agent.act(obs, { step: options.step, deterministic: true });
    observations.push(...obs);
    actions.push(...action);
    const result = env.step(action);
    rewards.push(result.reward);
    obs = result.obs;
    if (result.terminated || result.truncated)
      return {
        observations: Float64Array.from(observations),
        actions: Float64Array.from(actions),
        rewards: Float64Array.from(rewards),
        terminated: result.terminated,
      };
    if (rewards.length >= cap)
      throw new RangeError(
        `episode with seed ${seed} ran ${cap} steps without ending; the task needs a time limit`,
      );
  }
}

/**
 * Episodes until `enough(episodes)` says so (or `maxEpisodes`): e.g. until the kept state-action
 * pairs reach the asked number.
 */
export function recordEpisodesUntil(
  agent: Agent,
  env: Env,
  enough: (episodes: readonly EpisodeRecord[]) => boolean,
  options: EpisodeOptions & { readonly maxEpisodes?: number },
): EpisodeRecord[] {
  const max = options.maxEpisodes ?? 10_000;
  const episodes: EpisodeRecord[] = [];
  while (!enough(episodes)) {
    if (episodes.length >= max) throw new RangeError(`still not enough data after ${max} episodes`);
    episodes.push(recordEpisode(agent, env, options.seed + episodes.length, options));
  }
  return episodes;
}
