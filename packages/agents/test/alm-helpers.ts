/** A tiny ALM agent (hidden 16, latent 4, batch 16) on the shared fixed replay (obs 3, act 1, bounds +-2). */
import { defaultsOf } from '@mbrl-ts/contract';
import type { ReplayBuffer } from '@mbrl-ts/replay';
import { AlmAgent, almSchema, type AlmConfig } from '../src';
import { testAgentOptions } from './helpers';

export const tinyAlm: Partial<AlmConfig> = {
  batchSize: 16,
  hiddenSize: 16,
  modelHiddenSize: 16,
  latentSize: 4,
};

export function smallAlm(replay: ReplayBuffer, seed = 0, overrides: Partial<AlmConfig> = {}): AlmAgent {
  return new AlmAgent(testAgentOptions(replay, seed, { ...defaultsOf(almSchema), ...tinyAlm, ...overrides }));
}
