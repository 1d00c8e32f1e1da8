import { defaultsOf, resolveConfig } from '@mbrl-ts/contract';
import {
  almSchema,
  baselineAlgorithms,
  mnmSchema,
  redqSchema,
  sacAvgSchema,
  mbpoSchema,
  sacAlgorithm,
  sacSchema,
  sacSvgAlgorithm,
  sacSvgSchema,
  svg1Schema,
  td3Algorithm,
  td3Schema,
} from '../src';

describe('algorithm specs', () => {
  it('name sac, td3, sac-svg, svg1 and mnm, with paper defaults and a source for every default', () => {
    expect(baselineAlgorithms.map((a) => a.name)).toEqual([
      'sac',
      'td3',
      'sac-svg',
      'svg1',
      'mnm',
      'redq',
      'sac-avg',
      'mbpo',
      'mpc',
    ]);
    for (const schema of [
      sacSchema,
      td3Schema,
      sacSvgSchema,
      svg1Schema,
      mnmSchema,
      redqSchema,
      sacAvgSchema,
    ]) {
      for (const field of Object.values(schema)) expect(field.doc.length).toBeGreaterThan(10);
    }
    expect(defaultsOf(sacSchema)).toMatchObject({
      learningRate: 3e-4,
      batchSize: 256,
      tau: 0.005,
      gamma: 0.99,
      hiddenSize: 256,
      hiddenLayers: 2,
      targetEntropyPerActionDim: -1,
    });
    expect(defaultsOf(td3Schema)).toMatchObject({
      learningRate: 3e-4,
      batchSize: 256,
      tau: 0.005,
      gamma: 0.99,
      policyDelay: 2,
      explorationNoise: 0.1,
      policyNoise: 0.2,
      noiseClip: 0.5,
    });
  });

  it("SAC-SVG: the authors' configuration as defaults, the horizon as its own flag", () => {
    expect(defaultsOf(sacSvgSchema)).toMatchObject({
      horizon: 3,
      actorLearningRate: 1e-4,
      criticLearningRate: 1e-4,
      modelLearningRate: 1e-3,
      modelMaxGradNorm: 1,
      latentSize: 512,
      recurrentLayers: 2,
      hiddenSize: 512,
      hiddenLayers: 4,
      initialAlpha: 0.1,
      sequenceBatchSize: 512,
      stepBatchSize: 1024,
      modelUpdateRepeat: 4,
      tau: 0.005,
    });
    expect(sacSvgAlgorithm.flags).toEqual({ horizon: '--horizon <H>' });
    expect(() => resolveConfig(sacSvgSchema, { horizon: 0 })).toThrow(/"horizon" must be >= 1/);
    expect(() => resolveConfig(svg1Schema, { alpha: -1 })).toThrow(/"alpha" must be >= 0/);
  });

  it('ask for a replay of 1e6 transitions by default (the loop caps it at totalSteps)', () => {
    expect(sacAlgorithm.replayCapacity('HalfCheetah-v4', defaultsOf(sacSchema))).toBe(1_000_000);
    expect(
      td3Algorithm.replayCapacity('Pendulum-v1', { ...defaultsOf(td3Schema), replayCapacity: 5000 }),
    ).toBe(5000);
  });

  it('reject settings outside the schema with the key named', () => {
    expect(() => resolveConfig(td3Schema, { policyDelay: 0 })).toThrow(/"policyDelay" must be >= 1/);
    expect(() => resolveConfig(sacSchema, { learningRate: 0 })).toThrow(/"learningRate" must be > 0/);
  });
});

describe('size settings', () => {
  const schemas = {
    alm: almSchema,
    sac: sacSchema,
    td3: td3Schema,
    'sac-svg': sacSvgSchema,
    svg1: svg1Schema,
    mnm: mnmSchema,
    redq: redqSchema,
    'sac-avg': sacAvgSchema,
    mbpo: mbpoSchema,
  };

  it('give every integer a documented upper bound, and every default lies within it', () => {
    for (const [algo, schema] of Object.entries(schemas)) {
      for (const [key, field] of Object.entries(schema)) {
        if (field.kind !== 'int') continue;
        if (field.max === undefined) throw new Error(`${algo}.${key} has no upper bound`);
        expect(field.default).toBeLessThanOrEqual(field.max);
      }
    }
  });

  it('refuse sizes that could never be built, naming the range, before any tensor exists', () => {
    expect(() => resolveConfig(almSchema, { hiddenSize: 1_000_000 })).toThrow('hiddenSize');
    expect(() => resolveConfig(almSchema, { hiddenSize: 1_000_000 })).toThrow(
      'must be <= 16384, got 1000000',
    );
    expect(() => resolveConfig(almSchema, { batchSize: 1_000_000 })).toThrow('65536');
    expect(() => resolveConfig(sacSchema, { hiddenLayers: 33 })).toThrow('must be <= 32, got 33');
    expect(resolveConfig(almSchema, { hiddenSize: 16_384 }).hiddenSize).toBe(16_384);
  });
});
