/**
 * Opens one harness run directory for an analysis: checks that it is an mbrl-ts run of an
 * algorithm this build knows, builds the agent with the run's own settings (config.json), and
 * loads the run's latest complete checkpoint (or the one asked for) into it. Everything that can be wrong with the
 * directory is a `RunDirectoryProblem` naming it.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Agent, AlgorithmSpec, CheckpointInfo, RunConfig } from '@mbrl-ts/harness';
import type { Env } from '@mbrl-ts/envs';
import { RunDirectoryProblem } from '../errors';

export interface LoadedRun {
  readonly dir: string;
  readonly config: RunConfig;
  readonly checkpoint: CheckpointInfo;
  readonly agent: Agent;
  /** An env of the run's task, for the analysis's own episodes. */
  readonly env: Env;
  /** The run's discount (its agent's gamma). */
  readonly gamma: number;
  /** Free the agent's tensors and the env. */
  dispose(): void;
}

/** The run's config.json, checked for the fields an analysis needs. */
export function readRunConfig(dir: string): RunConfig {
  const path = resolve(dir);
  if (!existsSync(path)) throw new RunDirectoryProblem(path, 'does not exist');
  if (!statSync(path).isDirectory()) throw new RunDirectoryProblem(path, 'is not a directory');
  const configPath = join(path, 'config.json');
  if (!existsSync(configPath))
    throw new RunDirectoryProblem(
      path,
      'has no config.json, so it is not a harness run directory (give one run, e.g. <grid>/<env>/<algo>/seed0)',
    );
  let config: Partial<RunConfig>;
  try {
    config = JSON.parse(readFileSync(configPath, 'utf8')) as Partial<RunConfig>;
  } catch (error) {
    throw new RunDirectoryProblem(path, `config.json is not valid JSON (${(error as Error).message})`);
  }
  if (
    typeof config?.algo !== 'string' ||
    typeof config.env !== 'string' ||
    typeof config.trainer !== 'object' ||
    config.trainer === null ||
    typeof config.agent !== 'object' ||
    config.agent === null
  ) {
    throw new RunDirectoryProblem(
      path,
      'config.json is not an mbrl-ts run configuration (needs algo, env, trainer, agent)',
    );
  }
  return config as RunConfig;
}

/** Every algorithm this build can load (ALM and whatever mbrl-baselines offers). */
export async function knownAlgorithms(): Promise<readonly AlgorithmSpec[]> {
  const { almAlgorithm, baselineAlgorithms } = await import('@mbrl-ts/agents');
  return [almAlgorithm as unknown as AlgorithmSpec, ...(baselineAlgorithms as unknown as AlgorithmSpec[])];
}

/**
 * Build the run's agent and load its latest checkpoint. `algos` limits which algorithms the
 * analysis accepts (their names); the error for another one says which it needs.
 */
export async function loadRun(
  dir: string,
  options: {
    readonly backend?: string;
    readonly accept?: readonly string[];
    readonly analysis: string;
    /** A checkpoint's step; default the latest complete one. */
    readonly checkpoint?: number;
  },
): Promise<LoadedRun> {
  const path = resolve(dir);
  const config = readRunConfig(path);
  const specs = await knownAlgorithms();
  const spec = specs.find((s) => s.name === config.algo);
  if (!spec)
    throw new RunDirectoryProblem(
      path,
      `is a run of "${config.algo}", which this build cannot load (known: ${specs.map((s) => s.name).join(', ')})`,
    );
  if (options.accept && !options.accept.includes(config.algo))
    throw new RunDirectoryProblem(
      path,
      `is a ${config.algo} run; ${options.analysis} needs a run of ${options.accept.join(' or ')}`,
    );
  const { CheckpointStore, resolveConfig } = await import('@mbrl-ts/harness');
  const complete = new CheckpointStore(join(path, 'checkpoints')).list();
  if (complete.length === 0)
    throw new RunDirectoryProblem(
      path,
      'has no complete checkpoint yet (checkpoints/checkpoint-<step>/COMPLETE.json)',
    );
  const checkpoint =
    options.checkpoint === undefined ? complete.at(-1)! : complete.find((c) => c.step === options.checkpoint);
  if (!checkpoint)
    throw new RunDirectoryProblem(
      path,
      `has no complete checkpoint at step ${options.checkpoint} (it has ${complete.map((c) => c.step).join(', ')})`,
    );
  const { makeEnv, envSpec } = await import('@mbrl-ts/envs');
  try {
    envSpec(config.env);
  } catch {
    throw new RunDirectoryProblem(path, `is a run on ${config.env}, a task this build does not have`);
  }
  const { initBackend } = await import('@mbrl-ts/kernels');
  await initBackend((options.backend ?? 'auto') as Parameters<typeof initBackend>[0], { logger: () => {} });
  const agentConfig = resolveConfig(spec.schema, config.agent, join(path, 'config.json'));
  const gamma = agentConfig.gamma;
  if (typeof gamma !== 'number')
    throw new RunDirectoryProblem(path, `its ${config.algo} settings have no discount "gamma"`);
  const env = await makeEnv(config.env);
  const { ReplayBuffer } = await import('@mbrl-ts/replay');
  // The agent samples from replay only in update(); an analysis never updates, so a small buffer does.
  const replay = new ReplayBuffer({
    capacity: 1024,
    observationDim: env.observationSpace.shape[0],
    actionDim: env.actionSpace.shape[0],
  });
  const agent = await spec.create({ env, replay, config: agentConfig, seed: config.trainer.seed });
  try {
    await agent.load(join(checkpoint.dir, 'agent'));
  } catch (error) {
    agent.dispose();
    env.close();
    throw new RunDirectoryProblem(
      path,
      `checkpoint ${checkpoint.dir} cannot be loaded: ${(error as Error).message}`,
    );
  }
  return {
    dir: path,
    config,
    checkpoint,
    agent,
    env,
    gamma,
    dispose() {
      agent.dispose();
      env.close();
    },
  };
}
