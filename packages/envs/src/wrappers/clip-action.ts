/**
 * ClipAction: clip each action entry into the env's action bounds before stepping. The wrapped
 * env then accepts any finite action (its action space is unbounded, as in Gymnasium).
 */
import { readAction } from '../core/action';
import type { ActionInput, Env, StepResult } from '../core/env';
import { Box } from '../core/space';
import { Wrapper } from './wrapper';

export class ClipAction extends Wrapper {
  private readonly ownActionSpace: Box;
  private readonly clipped: Float64Array;

  constructor(env: Env) {
    super(env);
    this.ownActionSpace = Box.uniform(env.actionSpace.size, -Infinity, Infinity, env.actionSpace.dtype);
    this.clipped = new Float64Array(env.actionSpace.size);
  }

  /** The space the agent acts in (not the wrapped env's). */
  override get actionSpace(): Box {
    return this.ownActionSpace;
  }

  override step(action: ActionInput): StepResult {
    const a = readAction(this.id, action, this.clipped);
    const { low, high } = this.env.actionSpace;
    for (let i = 0; i < a.length; i++) a[i] = Math.min(high[i], Math.max(low[i], a[i]));
    return this.env.step(a);
  }
}
