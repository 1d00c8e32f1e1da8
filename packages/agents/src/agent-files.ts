/**
 * An agent's directory in a checkpoint:
 *
 *   state.json                  algo, format version, sizes, update counters, the agent's Rng state
 *   parameters.json / .bin      every network (online and target) and log alpha, by name
 *   <name>_adam.json / .bin     each optimizer's moments and step counts
 *
 * Loading checks the algorithm and sizes first, so a checkpoint of another agent fails with a
 * message rather than a shape error deep in a tensor file.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  loadOptimizerState,
  loadParameters,
  saveOptimizerState,
  saveParameters,
  writeFileAtomic,
  type Adam,
  type NamedVariables,
  type RngState,
  type VariableSelection,
} from '@mbrl-ts/nn';

export const AGENT_STATE_VERSION = 1;

export interface AgentState {
  readonly algo: string;
  readonly version: number;
  readonly observationSize: number;
  readonly actionSize: number;
  readonly updates: number;
  readonly rng: RngState;
  /** Algorithm-specific counters and numbers. */
  readonly extra: Record<string, number>;
}

/** What identifies an agent's files: the algorithm and the sizes its networks were built for. */
export type AgentIdentity = Pick<AgentState, 'algo' | 'observationSize' | 'actionSize'>;

/** The state.json of an agent: its identity, its update counter, its Rng and algorithm extras. */
export function agentState(
  identity: AgentIdentity,
  updates: number,
  rng: { getState(): RngState },
  extra: Record<string, number> = {},
): AgentState {
  const { algo, observationSize, actionSize } = identity;
  return {
    algo,
    version: AGENT_STATE_VERSION,
    observationSize,
    actionSize,
    updates,
    rng: rng.getState(),
    extra,
  };
}

export class AgentStateError extends Error {
  override readonly name = 'AgentStateError';
}

export interface AgentFiles {
  readonly state: AgentState;
  readonly parameters: NamedVariables;
  readonly optimizers: Readonly<Record<string, { optimizer: Adam; variables: VariableSelection }>>;
}

export async function saveAgentFiles(dir: string, files: AgentFiles): Promise<void> {
  await mkdir(dir, { recursive: true });
  await saveParameters(join(dir, 'parameters'), files.parameters, { algo: files.state.algo });
  for (const [name, { optimizer, variables }] of Object.entries(files.optimizers)) {
    await saveOptimizerState(join(dir, `${name}_adam`), optimizer, variables);
  }
  await writeFileAtomic(
    join(dir, 'state.json'),
    new TextEncoder().encode(JSON.stringify(files.state, null, 1) + '\n'),
  );
}

/** Check and read state.json, then restore parameters and optimizers in place. */
export async function loadAgentFiles(
  dir: string,
  expected: AgentIdentity,
  target: Omit<AgentFiles, 'state'>,
): Promise<AgentState> {
  const path = join(dir, 'state.json');
  let state: AgentState;
  try {
    state = JSON.parse(await readFile(path, 'utf8')) as AgentState;
  } catch (error) {
    throw new AgentStateError(`cannot read agent state ${path}: ${(error as Error).message}`);
  }
  if (state.algo !== expected.algo) {
    throw new AgentStateError(`${dir} holds a ${state.algo} agent, not ${expected.algo}`);
  }
  if (state.version !== AGENT_STATE_VERSION) {
    throw new AgentStateError(
      `${path} has format version ${state.version}; this build reads ${AGENT_STATE_VERSION}`,
    );
  }
  if (state.observationSize !== expected.observationSize || state.actionSize !== expected.actionSize) {
    throw new AgentStateError(
      `${dir} is an agent for observations of ${state.observationSize} and actions of ${state.actionSize}, this env has ${expected.observationSize} and ${expected.actionSize}`,
    );
  }
  await loadParameters(join(dir, 'parameters'), target.parameters);
  for (const [name, { optimizer, variables }] of Object.entries(target.optimizers)) {
    await loadOptimizerState(join(dir, `${name}_adam`), optimizer, variables);
  }
  return state;
}
