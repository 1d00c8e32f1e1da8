/**
 * RescaleAction: the agent acts in [minAction, maxAction] (default [-1, 1] in every dimension)
 * and the wrapper maps each entry affinely onto the env's [low, high]:
 *   a_env = low + (a - minAction) * (high - low) / (maxAction - minAction).
 */
import { readAction } from '../core/action';
import type { ActionInput, Env, StepResult } from '../core/env';
import { InvalidOptionError } from '../core/errors';
import { Box } from '../core/space';
import { Wrapper } from './wrapper';

export class RescaleAction extends Wrapper {
  private readonly ownActionSpace: Box;
  private readonly scaled: Float64Array;

  constructor(env: Env, minAction = -1, maxAction = 1) {
    super(env);
    if (!(Number.isFinite(minAction) && Number.isFinite(maxAction) && minAction < maxAction)) {
      throw new InvalidOptionError(env.id, `RescaleAction needs finite minAction < maxAction, got [${minAction}, ${maxAction}]`);
    }
    const { low, high } = env.actionSpace;
    for (let i = 0; i < low.length; i++) {
      if (!Number.isFinite(low[i]) || !Number.isFinite(high[i])) {
        throw new InvalidOptionError(env.id, `RescaleAction needs a bounded action space; dimension ${i} is [${low[i]}, ${high[i]}]`);
      }
    }
    this.ownActionSpace = Box.uniform(low.length, minAction, maxAction, env.actionSpace.dtype);
    this.scaled = new Float64Array(low.length);
  }

  /** The space the agent acts in (not the wrapped env's). */
  override get actionSpace(): Box {
    return this.ownActionSpace;
  }

  override step(action: ActionInput): StepResult {
    const a = readAction(this.id, action, this.scaled);
    const { low, high } = this.env.actionSpace;
    const lo = this.actionSpace.low[0];
    const span = this.actionSpace.high[0] - lo;
    for (let i = 0; i < a.length; i++) a[i] = low[i] + ((a[i] - lo) * (high[i] - low[i])) / span;
    return this.env.step(a);
  }
}
