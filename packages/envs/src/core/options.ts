/**
 * Task options: defaults merged with what the caller gave, unknown keys rejected by name.
 */
import { InvalidOptionError } from './errors';

export function resolveOptions<T extends object>(envId: string, defaults: T, given: Partial<T> | undefined): T {
  const known = Object.keys(defaults);
  for (const key of Object.keys(given ?? {})) {
    if (!known.includes(key)) {
      throw new InvalidOptionError(envId, `unknown option "${key}"; accepted options: ${known.join(', ') || '(none)'}`);
    }
  }
  return { ...defaults, ...given };
}
