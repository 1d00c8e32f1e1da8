/** Small SAC-SVG and SVG(1) agents on the shared test replay (obs 3, act 1, Pendulum's bounds). */
import { defaultsOf } from '@mbrl-ts/harness';
import type { ReplayBuffer } from '@mbrl-ts/replay';
import { SacSvgAgent, sacSvgSchema, Svg1Agent, svg1Schema, type SacSvgConfig, type Svg1Config } from '../src';
import { ACT, OBS } from './helpers';

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
  return new SacSvgAgent({
    observationSize: OBS,
    actionSize: ACT,
    actionLow: [-2],
    actionHigh: [2],
    replay,
    seed,
    config: {
      ...defaultsOf(sacSvgSchema),
      ...smallModel,
      stepBatchSize: 16,
      sequenceBatchSize: 8,
      modelUpdateRepeat: 2,
      ...overrides,
    },
  });
}

export function smallSvg1(replay: ReplayBuffer, seed = 0, overrides: Partial<Svg1Config> = {}): Svg1Agent {
  return new Svg1Agent({
    observationSize: OBS,
    actionSize: ACT,
    actionLow: [-2],
    actionHigh: [2],
    replay,
    seed,
    config: { ...defaultsOf(svg1Schema), ...smallModel, batchSize: 16, ...overrides },
  });
}
