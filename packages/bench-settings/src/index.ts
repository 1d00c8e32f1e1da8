/**
 * Every package's benchmarks read their settings from the environment through these: a bad value
 * stops the bench with one line on stderr naming the variable and what it accepts, and exit code 2.
 * (Benches are development scripts, not part of any published package: each package lists this
 * one among its devDependencies.)
 */

function refuse(message: string): never {
  console.error(`bench: ${message}`);
  process.exit(2);
}

const raw = (name: string): string | undefined => {
  const value = process.env[name];
  return value === undefined || value === '' ? undefined : value;
};

/** An integer of at least `min`; `fallback` when the variable is unset or empty. */
export function envInteger(name: string, fallback: number, min: number): number {
  const text = raw(name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) refuse(`${name} must be an integer >= ${min}, got '${text}'`);
  return value;
}

/** Comma-separated integers of at least `min` each; `fallback` when the variable is unset or empty. */
export function envIntegers(name: string, fallback: readonly number[], min: number): number[] {
  const text = raw(name);
  if (text === undefined) return [...fallback];
  const values = text.split(',').map((item) => Number(item.trim()));
  if (values.some((value) => !Number.isInteger(value) || value < min))
    refuse(`${name} takes comma-separated integers >= ${min}, got '${text}'`);
  return values;
}

/** One of `choices`, or undefined when unset. */
export function envChoice<T extends string>(name: string, choices: readonly T[]): T | undefined {
  const text = raw(name);
  if (text === undefined) return undefined;
  if (!(choices as readonly string[]).includes(text))
    refuse(`${name} must be one of ${choices.join(', ')}, got '${text}'`);
  return text as T;
}

/** A comma-separated list drawn from `choices`, or undefined when unset. */
export function envSubset<T extends string>(name: string, choices: readonly T[]): T[] | undefined {
  const text = raw(name);
  if (text === undefined) return undefined;
  const items = text.split(',').map((item) => item.trim());
  const unknown = items.filter((item) => !(choices as readonly string[]).includes(item));
  if (unknown.length > 0) {
    refuse(
      `${name} takes a comma-separated list of ${choices.join(', ')}; '${unknown.join(',')}' is not one`,
    );
  }
  return items as T[];
}
