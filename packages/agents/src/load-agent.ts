/**
 * A trained agent from a run directory, to act with: no training loop, no replay buffer of yours.
 *
 *   await initBackend('wasm');
 *   const { agent, env } = await loadAgent('runs/alm-pendulum');
 *   const action = agent.act(observation, { step: 0, deterministic: true });
 *
 * config.json names the algorithm, the task and the agent's settings; the agent is built from the
 * algorithm's spec with those settings (checked against its schema, as a resume would) and loads the
 * newest checkpoint whose manifest verifies (a damaged newer one is passed over, as on resume). A variant registered with `almAlgorithmWith` is found when its spec
 * is passed in `algorithms`.
 */
import {
  checkpointAt,
  latestCheckpoint,
  readRunIdentity,
  resolveConfig,
  RUN_CONFIG_FILE,
  RunIdentityError,
  type Agent,
  type AlgorithmSpec,
  type RunCheckpoint,
  type RunIdentity,
} from '@mbrl-ts/contract';
import { makeEnv, type Env } from '@mbrl-ts/envs';
import { ReplayBuffer } from '@mbrl-ts/replay';
import { join } from 'node:path';
import { almAlgorithm, baselineAlgorithms } from './algorithms';

export interface LoadAgentOptions {
  /** The specs to build from; default every algorithm of this package. */
  readonly algorithms?: readonly AlgorithmSpec[];
  /** A checkpoint's step; default the newest complete one. */
  readonly step?: number;
}

export interface LoadedAgent {
  readonly agent: Agent;
  /** The run's task, made fresh (close it when done). */
  readonly env: Env;
  /** What config.json says: algo, env, the agent's settings. */
  readonly run: RunIdentity;
  /** The checkpoint the agent was loaded from. */
  readonly checkpoint: RunCheckpoint;
}

export async function loadAgent(runDir: string, options: LoadAgentOptions = {}): Promise<LoadedAgent> {
  const run = readRunIdentity(runDir);
  const algorithms = options.algorithms ?? [...baselineAlgorithms, almAlgorithm];
  // the specs' schemas differ; each spec's create takes what its own schema resolves to
  const spec = algorithms.find((a) => a.name === run.algo) as AlgorithmSpec | undefined;
  if (!spec) {
    throw new RunIdentityError(
      `${runDir} is a ${run.algo} run; loadAgent knows ${algorithms.map((a) => a.name).join(', ')} (pass its spec in algorithms)`,
    );
  }
  const checkpoint = pickCheckpoint(runDir, options.step);
  const config = resolveConfig(spec.schema, run.agent, join(runDir, RUN_CONFIG_FILE));
  const env = await makeEnv(run.env);
  let agent: Agent | undefined;
  try {
    const observationDim = env.observationSpace.shape[0];
    const actionDim = env.actionSpace.shape[0];
    // the agents sample from the buffer they are given; an agent that only acts never does
    const replay = new ReplayBuffer({ capacity: 1, observationDim, actionDim });
    agent = await spec.create({ env, replay, config, seed: 0 });
    await agent.load(checkpoint.agentDir);
    return { agent, env, run, checkpoint };
  } catch (error) {
    agent?.dispose();
    env.close();
    throw error;
  }
}

function pickCheckpoint(runDir: string, step: number | undefined): RunCheckpoint {
  return step === undefined ? latestCheckpoint(runDir) : checkpointAt(runDir, step);
}
