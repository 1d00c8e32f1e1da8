/**
 * Seeding rules shared by every task.
 *
 * Each env owns one `Rng`. `reset({ seed })` reseeds it; `reset()` continues its stream. An env
 * that was never given a seed starts from `DEFAULT_SEED`, so two fresh envs reset without seeds
 * produce the same first episode (documented and tested, never a hidden source of entropy).
 */
import { Rng } from '@mbrl-ts/rng';
import { InvalidOptionError } from './errors';

/** The seed of an env's Rng until `reset({ seed })` says otherwise. */
export const DEFAULT_SEED = 0;

export function seededRng(envId: string, seed: number): Rng {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new InvalidOptionError(envId, `seed must be an integer in [0, 2^32 - 1], got ${seed}`);
  }
  return new Rng(seed);
}
