import { ConfigError, defaultsOf, parseFlagValue, resolveConfig, type Schema } from '../src';

const schema = {
  batchSize: { kind: 'int', default: 512, min: 1, doc: 'Table 3: batch size' },
  lr: { kind: 'number', default: 1e-4, greaterThan: 0, doc: 'Table 3: learning rate' },
  useKl: { kind: 'boolean', default: true, doc: 'ablation: KL term' },
  actorLoss: { kind: 'enum', values: ['svg', 'td3'], default: 'svg', doc: 'ALM-TD3 ablation' },
} as const satisfies Schema;

describe('resolveConfig', () => {
  it('fills defaults and applies typed overrides', () => {
    expect(defaultsOf(schema)).toEqual({ batchSize: 512, lr: 1e-4, useKl: true, actorLoss: 'svg' });
    const c = resolveConfig(schema, { batchSize: 256, actorLoss: 'td3' }, 'config file a.json');
    expect(c).toEqual({ batchSize: 256, lr: 1e-4, useKl: true, actorLoss: 'td3' });
    const n: number = c.batchSize; // typed
    expect(n).toBe(256);
  });

  it('rejects unknown keys and wrong types naming the key and the source', () => {
    expect(() => resolveConfig(schema, { batch_size: 3 }, 'config file a.json')).toThrow(
      'config file a.json: unknown key "batch_size" (known keys: batchSize, lr, useKl, actorLoss)',
    );
    expect(() => resolveConfig(schema, { batchSize: '512' }, 'f')).toThrow(
      'f: "batchSize" must be an integer, got "512"',
    );
    expect(() => resolveConfig(schema, { batchSize: 1.5 }, 'f')).toThrow(/must be an integer, got 1.5/);
    expect(() => resolveConfig(schema, { batchSize: 0 }, 'f')).toThrow(/must be >= 1/);
    expect(() => resolveConfig(schema, { lr: 0 }, 'f')).toThrow(/"lr" must be > 0/);
    expect(() => resolveConfig(schema, { useKl: 'yes' }, 'f')).toThrow(/true or false/);
    expect(() => resolveConfig(schema, { actorLoss: 'sac' }, 'f')).toThrow(/one of svg, td3/);
    expect(() => resolveConfig(schema, [1], 'f')).toThrow(/expected a JSON object of settings, got an array/);
    expect(() => resolveConfig(schema, { lr: 0 })).toThrow(ConfigError);
  });

  it('parses command-line strings into the field type', () => {
    expect(parseFlagValue('batchSize', schema.batchSize, '128')).toBe(128);
    expect(parseFlagValue('useKl', schema.useKl, 'false')).toBe(false);
    expect(() => parseFlagValue('batchSize', schema.batchSize, '-5')).toThrow(
      '--batchSize: "batchSize" must be >= 1, got -5 (number)',
    );
    expect(() => parseFlagValue('batchSize', schema.batchSize, 'ten')).toThrow(
      '--batchSize: "batchSize" must be an integer in decimal digits >= 1, got "ten"',
    );
    expect(parseFlagValue('lr', schema.lr, '3e-4')).toBe(3e-4);
    expect(parseFlagValue('lr', schema.lr, '.5')).toBe(0.5);
    expect(() => parseFlagValue('useKl', schema.useKl, 'maybe')).toThrow(/true or false/);
  });
});

describe('strict inputs', () => {
  const bounded = {
    steps: { kind: 'int', default: 10, min: 1, max: 1000, doc: 'steps' },
    lr: { kind: 'number', default: 1e-4, greaterThan: 0, doc: 'learning rate' },
  } as const satisfies Schema;

  it.each(['1e3', '0x10', ' 300 ', '300 ', '+5', '1.0', '', '9007199254740993', '99999999999999999999'])(
    'an integer flag refuses %j (decimal digits only)',
    (raw) => {
      expect(() => parseFlagValue('steps', bounded.steps, raw)).toThrow(
        `--steps: "steps" must be an integer in decimal digits from 1 to 1000, got ${JSON.stringify(raw)}`,
      );
    },
  );

  it('an integer flag refuses values past its bounds and unsafe integers from files', () => {
    expect(() => parseFlagValue('steps', bounded.steps, '1001')).toThrow(/must be <= 1000, got 1001/);
    expect(() => resolveConfig({ n: { kind: 'int', default: 1, doc: '' } }, { n: 2 ** 53 }, 'f')).toThrow(
      /"n" must be an integer, got 9007199254740992/,
    );
  });

  it.each(['0x1', '1e', 'Infinity', 'NaN', ' 1', '1_000'])('a real flag refuses %j', (raw) => {
    expect(() => parseFlagValue('lr', bounded.lr, raw)).toThrow(
      `--lr: "lr" must be a decimal number, got ${JSON.stringify(raw)}`,
    );
  });

  it.each(['__proto__', 'toString', 'constructor', 'hasOwnProperty', 'valueOf'])(
    'the prototype key %s is an unknown key, in a file and from JSON',
    (key) => {
      expect(() => resolveConfig(bounded, { [key]: 1 }, 'f')).toThrow(`f: unknown key "${key}"`);
      expect(() => resolveConfig(bounded, JSON.parse(`{"${key}": 1}`), 'f')).toThrow(
        `f: unknown key "${key}"`,
      );
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    },
  );
});
