/**
 * Typed configurations with defaults, validated at the edge.
 *
 * An algorithm declares its hyperparameters once as a schema (type, default, bounds, and where the
 * default comes from); `resolveConfig` merges user overrides (a JSON file, CLI flags) into the
 * defaults and rejects unknown keys and wrong types with one message that names the key, the
 * source and what was expected. The resolved object is fully typed.
 *
 * Strict at the edge: a key is known only if the schema has it as its own property (`__proto__`,
 * `toString` and the like are unknown keys); an integer is a safe integer within the field's
 * bounds, and on the command line it is written in decimal digits (an optional leading minus, no
 * exponent, no hex, no spaces); a real number on the command line is a decimal number with an
 * optional exponent (3e-4).
 */

interface FieldBase<T> {
  readonly default: T;
  /** Where the default comes from, e.g. "ALM Table 3: batch size". */
  readonly doc: string;
}

export interface IntField extends FieldBase<number> {
  readonly kind: 'int';
  readonly min?: number;
  readonly max?: number;
}
export interface NumberField extends FieldBase<number> {
  readonly kind: 'number';
  readonly min?: number;
  readonly max?: number;
  /** Exclusive lower bound (for learning rates and the like). */
  readonly greaterThan?: number;
}
export interface BooleanField extends FieldBase<boolean> {
  readonly kind: 'boolean';
}
export interface StringField extends FieldBase<string> {
  readonly kind: 'string';
}
export interface EnumField<V extends string = string> extends FieldBase<V> {
  readonly kind: 'enum';
  readonly values: readonly V[];
}

export type Field = IntField | NumberField | BooleanField | StringField | EnumField;
export type Schema = Readonly<Record<string, Field>>;

export type ConfigOf<S extends Schema> = {
  -readonly [K in keyof S]: S[K] extends EnumField<infer V>
    ? V
    : S[K] extends BooleanField
      ? boolean
      : S[K] extends StringField
        ? string
        : number;
};

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function defaultsOf<S extends Schema>(schema: S): ConfigOf<S> {
  return Object.fromEntries(Object.entries(schema).map(([k, f]) => [k, f.default])) as ConfigOf<S>;
}

function rangeOf(field: IntField | NumberField): string {
  if (field.min !== undefined && field.max !== undefined) return ` from ${field.min} to ${field.max}`;
  if (field.min !== undefined) return ` >= ${field.min}`;
  if (field.max !== undefined) return ` <= ${field.max}`;
  return '';
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : `${String(value)} (${typeof value})`;
}

export function checkField(key: string, field: Field, value: unknown, source: string): unknown {
  const fail = (expected: string): never => {
    throw new ConfigError(`${source}: "${key}" must be ${expected}, got ${describe(value)}`);
  };
  switch (field.kind) {
    case 'int':
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value))
        fail(field.kind === 'int' ? 'an integer' : 'a finite number');
      const v = value as number;
      if (field.kind === 'int' && !Number.isSafeInteger(v)) fail('an integer');
      if (field.min !== undefined && v < field.min) fail(`>= ${field.min}`);
      if (field.max !== undefined && v > field.max) fail(`<= ${field.max}`);
      if (field.kind === 'number' && field.greaterThan !== undefined && !(v > field.greaterThan)) {
        fail(`> ${field.greaterThan}`);
      }
      return v;
    }
    case 'boolean':
      if (typeof value !== 'boolean') fail('true or false');
      return value;
    case 'string':
      if (typeof value !== 'string') fail('a string');
      return value;
    case 'enum':
      if (typeof value !== 'string' || !field.values.includes(value))
        fail(`one of ${field.values.join(', ')}`);
      return value;
  }
}

/**
 * Merge `overrides` into the schema's defaults. `source` names where the overrides came from
 * ("config file runs/a.json", "--batch-size") for the error message.
 */
export function resolveConfig<S extends Schema>(
  schema: S,
  overrides: unknown,
  source = 'config',
): ConfigOf<S> {
  if (overrides === undefined || overrides === null) return defaultsOf(schema);
  if (typeof overrides !== 'object' || Array.isArray(overrides)) {
    throw new ConfigError(
      `${source}: expected a JSON object of settings, got ${Array.isArray(overrides) ? 'an array' : typeof overrides}`,
    );
  }
  const known = Object.keys(schema);
  const resolved: Record<string, unknown> = { ...defaultsOf(schema) };
  for (const [key, value] of Object.entries(overrides)) {
    if (!hasField(schema, key)) {
      throw new ConfigError(`${source}: unknown key "${key}" (known keys: ${known.join(', ')})`);
    }
    resolved[key] = checkField(key, schema[key], value, source);
  }
  return resolved as ConfigOf<S>;
}

/** Whether `key` is one of the schema's own fields (never an inherited property such as `toString`). */
export function hasField(schema: Schema, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(schema, key);
}

const DECIMAL_INTEGER = /^-?[0-9]+$/;
const DECIMAL_NUMBER = /^-?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?$/;

/** Parse a command-line string into the field's type (for flags such as --batch-size 256). */
export function parseFlagValue(key: string, field: Field, raw: string, source = `--${key}`): unknown {
  let value: unknown = raw;
  if (field.kind === 'int' && !(DECIMAL_INTEGER.test(raw) && Number.isSafeInteger(Number(raw)))) {
    throw new ConfigError(
      `${source}: "${key}" must be an integer in decimal digits${rangeOf(field)}, got ${JSON.stringify(raw)}`,
    );
  }
  if (field.kind === 'number' && !DECIMAL_NUMBER.test(raw)) {
    throw new ConfigError(`${source}: "${key}" must be a decimal number, got ${JSON.stringify(raw)}`);
  }
  if (field.kind === 'int' || field.kind === 'number') value = Number(raw);
  if (field.kind === 'boolean') {
    if (raw !== 'true' && raw !== 'false') {
      throw new ConfigError(`${source}: "${key}" must be true or false, got ${JSON.stringify(raw)}`);
    }
    value = raw === 'true';
  }
  return checkField(key, field, value, source);
}
