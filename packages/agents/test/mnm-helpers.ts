/** A tiny MnM agent (hidden 16, batch 16) on the shared fixed replay (obs 3, act 1, bounds +-2). */
import { defaultsOf } from '@mbrl-ts/contract';
import type { ReplayBuffer } from '@mbrl-ts/replay';
import { MnmAgent, mnmSchema, type MnmConfig } from '../src';
import { testAgentOptions } from './helpers';

export const tinyMnm: Partial<MnmConfig> = { batchSize: 16, hiddenSize: 16, modelHiddenSize: 16 };

export function smallMnm(replay: ReplayBuffer, seed = 0, overrides: Partial<MnmConfig> = {}): MnmAgent {
  return new MnmAgent(testAgentOptions(replay, seed, { ...defaultsOf(mnmSchema), ...tinyMnm, ...overrides }));
}
