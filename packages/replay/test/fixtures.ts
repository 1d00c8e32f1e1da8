/**
 * Hand-built episodes whose every number says where it came from, so a test can check that a
 * sampled row or sequence is exactly what was stored:
 *   observation     = [globalStep, episode, stepInEpisode]
 *   nextObservation = [globalStep + 1, episode, stepInEpisode + 1]
 *   action          = [globalStep, -globalStep]
 *   reward          = globalStep / 2
 */
import { ReplayBuffer, type Transition } from '../src';

export const OBS_DIM = 3;
export const ACT_DIM = 2;

/** How an episode ends: terminated, truncated (time limit), or not at all (still running). */
export type EpisodeEnd = 'terminated' | 'truncated' | 'open';

export interface EpisodeSpec {
  readonly length: number;
  readonly end: EpisodeEnd;
}

export function transition(
  globalStep: number,
  episode: number,
  step: number,
  end: EpisodeEnd | null,
): Transition {
  return {
    observation: [globalStep, episode, step],
    action: new Float64Array([globalStep, -globalStep]),
    reward: globalStep / 2,
    nextObservation: new Float32Array([globalStep + 1, episode, step + 1]),
    terminated: end === 'terminated',
    truncated: end === 'truncated',
  };
}

/** Adds the episodes in order; returns the number of transitions added. */
export function addEpisodes(
  buffer: ReplayBuffer,
  episodes: readonly EpisodeSpec[],
  firstGlobalStep = 0,
): number {
  let globalStep = firstGlobalStep;
  episodes.forEach((spec, episode) => {
    for (let step = 0; step < spec.length; step++) {
      const last = step === spec.length - 1;
      buffer.add(transition(globalStep, episode, step, last && spec.end !== 'open' ? spec.end : null));
      globalStep++;
    }
  });
  return globalStep - firstGlobalStep;
}

export function makeBuffer(capacity: number): ReplayBuffer {
  return new ReplayBuffer({ capacity, observationDim: OBS_DIM, actionDim: ACT_DIM });
}
