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
    expect(() => parseFlagValue('batchSize', schema.batchSize, 'ten')).toThrow(/must be an integer, got NaN/);
    expect(() => parseFlagValue('useKl', schema.useKl, 'maybe')).toThrow(/true or false/);
  });
});
