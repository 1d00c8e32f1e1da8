/**
 * Action validation shared by every task: length and finiteness, with an error naming the env.
 * Out-of-range values are legal (MuJoCo clamps ctrl to ctrlrange; ClipAction clips explicitly),
 * so they pass, as in Gymnasium.
 */
import type { ActionInput } from './env';
import { InvalidActionError } from './errors';

/** Check `action` and copy it into `out` (a Float64Array of the action space's length). */
export function readAction(envId: string, action: ActionInput, out: Float64Array): Float64Array {
  if (action === null || typeof action !== 'object' || typeof action.length !== 'number') {
    throw new InvalidActionError(envId, `action must be a Float32Array, Float64Array or number[], got ${String(action)}`);
  }
  if (action.length !== out.length) {
    throw new InvalidActionError(envId, `action has ${action.length} entries but the action space has ${out.length}`);
  }
  for (let i = 0; i < out.length; i++) {
    const a = action[i];
    if (typeof a !== 'number' || !Number.isFinite(a)) {
      throw new InvalidActionError(envId, `action[${i}] is ${String(a)}; every entry must be a finite number`);
    }
    out[i] = a;
  }
  return out;
}
