/** Small SAC-SVG and SVG(1) agents on the shared test replay (obs 3, act 1, Pendulum's bounds). */
import { defaultsOf } from '@mbrl-ts/contract';
import type { ReplayBuffer } from '@mbrl-ts/replay';
import { SacSvgAgent, sacSvgSchema, Svg1Agent, svg1Schema, type SacSvgConfig, type Svg1Config } from '../src';
import { testAgentOptions } from './helpers';

const smallModel = {
  encoderHiddenSize: 8,
  latentSize: 8,
  headHiddenSize: 8,
  hiddenSize: 16,
  hiddenLayers: 2,
};

export function smallSacSvg(
  replay: ReplayBuffer,
  seed = 0,
  overrides: Partial<SacSvgConfig> = {},
): SacSvgAgent {
  return new SacSvgAgent(
    testAgentOptions(replay, seed, {
      ...defaultsOf(sacSvgSchema),
      ...smallModel,
      stepBatchSize: 16,
      sequenceBatchSize: 8,
      modelUpdateRepeat: 2,
      ...overrides,
    }),
  );
}

export function smallSvg1(replay: ReplayBuffer, seed = 0, overrides: Partial<Svg1Config> = {}): Svg1Agent {
  return new Svg1Agent(
    testAgentOptions(replay, seed, { ...defaultsOf(svg1Schema), ...smallModel, batchSize: 16, ...overrides }),
  );
}
