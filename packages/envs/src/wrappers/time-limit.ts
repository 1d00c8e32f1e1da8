/**
 * TimeLimit: end an episode after `maxEpisodeSteps` steps by setting `truncated` (never
 * `terminated`: the task did not end, an outside limit did, so value bootstrapping may go on).
 * makeEnv applies it with each task's limit (1000 steps; Pendulum 200).
 */
import type { ActionInput, Env, JsonValue, ResetOptions, ResetResult, StepResult } from '../core/env';
import { InvalidOptionError, InvalidStateError, ResetNeededError } from '../core/errors';
import { Wrapper } from './wrapper';

export class TimeLimit extends Wrapper {
  private elapsed = 0;
  private truncatedEpisode = false;

  constructor(
    env: Env,
    readonly maxEpisodeSteps: number,
  ) {
    super(env);
    if (!Number.isInteger(maxEpisodeSteps) || maxEpisodeSteps < 1) {
      throw new InvalidOptionError(env.id, `maxEpisodeSteps must be a positive integer, got ${maxEpisodeSteps}`);
    }
  }

  /** Steps taken in the current episode. */
  get elapsedSteps(): number {
    return this.elapsed;
  }

  override reset(options?: ResetOptions): ResetResult {
    const result = this.env.reset(options);
    this.elapsed = 0;
    this.truncatedEpisode = false;
    return result;
  }

  override step(action: ActionInput): StepResult {
    if (this.truncatedEpisode) {
      throw new ResetNeededError(this.id, `step() called after the episode was truncated at ${this.maxEpisodeSteps} steps; call reset() to start a new episode`);
    }
    const result = this.env.step(action);
    this.elapsed += 1;
    if (this.elapsed >= this.maxEpisodeSteps) {
      this.truncatedEpisode = true;
      return { ...result, truncated: true };
    }
    return result;
  }

  protected override get stateKey(): string {
    return 'TimeLimit';
  }

  protected override saveState(): JsonValue {
    return { elapsed: this.elapsed, truncated: this.truncatedEpisode };
  }

  protected override loadState(state: JsonValue | undefined): void {
    if (state === null || typeof state !== 'object' || Array.isArray(state) || typeof state.elapsed !== 'number' || typeof state.truncated !== 'boolean') {
      throw new InvalidStateError(this.id, 'the state has no TimeLimit entry ({ elapsed, truncated }); save it from an env wrapped the same way');
    }
    this.elapsed = state.elapsed;
    this.truncatedEpisode = state.truncated;
  }
}
