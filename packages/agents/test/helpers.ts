/** Small agents on a replay buffer filled with fixed random transitions (obs 3, act 1, Pendulum's bounds). */
import { defaultsOf } from '@mbrl-ts/contract';
import { Rng, tf, type NamedVariables } from '@mbrl-ts/nn';
import { ReplayBuffer } from '@mbrl-ts/replay';
import {
  SacAgent,
  sacSchema,
  Td3Agent,
  td3Schema,
  type AgentOptions,
  type SacConfig,
  type Td3Config,
} from '../src';

export const OBS = 3;
export const ACT = 1;

export function filledReplay(rows = 200, seed = 1): ReplayBuffer {
  const replay = new ReplayBuffer({ capacity: rows, observationDim: OBS, actionDim: ACT });
  const rng = new Rng(seed);
  for (let i = 0; i < rows; i++) {
    replay.add({
      observation: rng.fillNormal(new Float64Array(OBS)),
      action: [rng.uniformRange(-2, 2)],
      reward: rng.normal(),
      nextObservation: rng.fillNormal(new Float64Array(OBS)),
      terminated: i % 50 === 49,
      truncated: i % 70 === 69,
    });
  }
  return replay;
}

const small = { batchSize: 16, hiddenSize: 16 };

/** The options every test agent shares: obs 3, act 1, Pendulum's bounds, on `replay`. */
export function testAgentOptions<C>(replay: ReplayBuffer, seed: number, config: C): AgentOptions<C> {
  return { observationSize: OBS, actionSize: ACT, actionLow: [-2], actionHigh: [2], replay, seed, config };
}

export function smallSac(replay: ReplayBuffer, seed = 0, overrides: Partial<SacConfig> = {}): SacAgent {
  return new SacAgent(testAgentOptions(replay, seed, { ...defaultsOf(sacSchema), ...small, ...overrides }));
}

export function smallTd3(replay: ReplayBuffer, seed = 0, overrides: Partial<Td3Config> = {}): Td3Agent {
  return new Td3Agent(testAgentOptions(replay, seed, { ...defaultsOf(td3Schema), ...small, ...overrides }));
}

/** A copy of every variable's values by name. */
export function snapshot(variables: NamedVariables): Map<string, Float32Array> {
  return new Map([...variables].map(([name, v]) => [name, Float32Array.from(v.dataSync() as Float32Array)]));
}

/** Names whose values differ between two snapshots. */
export function changed(before: Map<string, Float32Array>, after: Map<string, Float32Array>): string[] {
  return [...before.keys()].filter((name) => {
    const a = before.get(name) as Float32Array;
    const b = after.get(name) as Float32Array;
    return a.some((x, i) => x !== b[i]);
  });
}

export function namesWith(variables: NamedVariables, prefix: string): string[] {
  return [...variables.keys()].filter((n) => n.startsWith(prefix));
}

export const memory = () => tf.memory().numTensors;
