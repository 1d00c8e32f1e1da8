/**
 * EpisodeStatistics: on the last step of each episode (terminated or truncated), put the
 * episode's undiscounted return and length in `info.episode`. Wrap it outside TimeLimit so that
 * it sees truncations (makeEnv does so with `episodeStatistics: true`).
 */
import type { ActionInput, JsonValue, ResetOptions, ResetResult, StepResult } from '../core/env';
import { InvalidStateError } from '../core/errors';
import { Wrapper } from './wrapper';

export class EpisodeStatistics extends Wrapper {
  private episodeReturn = 0;
  private episodeLength = 0;

  override reset(options?: ResetOptions): ResetResult {
    const result = this.env.reset(options);
    this.episodeReturn = 0;
    this.episodeLength = 0;
    return result;
  }

  override step(action: ActionInput): StepResult {
    const result = this.env.step(action);
    this.episodeReturn += result.reward;
    this.episodeLength += 1;
    if (!result.terminated && !result.truncated) return result;
    return { ...result, info: { ...result.info, episode: { return: this.episodeReturn, length: this.episodeLength } } };
  }

  protected override get stateKey(): string {
    return 'EpisodeStatistics';
  }

  protected override saveState(): JsonValue {
    return { return: this.episodeReturn, length: this.episodeLength };
  }

  protected override loadState(state: JsonValue | undefined): void {
    if (state === null || typeof state !== 'object' || Array.isArray(state) || typeof state.return !== 'number' || typeof state.length !== 'number') {
      throw new InvalidStateError(this.id, 'the state has no EpisodeStatistics entry ({ return, length }); save it from an env wrapped the same way');
    }
    this.episodeReturn = state.return;
    this.episodeLength = state.length;
  }
}
