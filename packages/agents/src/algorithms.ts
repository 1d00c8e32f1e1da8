/**
 * SAC, TD3 and MnM as algorithms of the shared CLI (`mbrl-baselines train --algo sac|td3|mnm`), and
 * ALM (`alm train`).
 */
import {
  defineAlgorithm,
  type Agent,
  type AgentContext,
  type AlgorithmSpec,
  type ConfigOf,
  type Schema,
} from '@mbrl-ts/contract';
import type { AgentOptions } from './agent-options';
import { AlmAgent } from './alm/alm-agent';
import { almPresets, almReplayCapacity, almSchemaWith, type almSchema } from './alm/config';
import { withAlmTerms } from './alm/terms';
import { mnmPresets, mnmSchema } from './mnm/config';
import { MnmAgent } from './mnm/mnm-agent';
import { sacSchema } from './sac/config';
import { sacSvgPresets, sacSvgSchema, svg1Presets, svg1Schema } from './svg/config';
import { SacSvgAgent } from './svg/sac-svg-agent';
import { Svg1Agent } from './svg/svg1-agent';
import { SacAgent } from './sac/sac-agent';
import { td3Schema } from './td3/config';
import { redqPresets, redqSchema, sacAvgPresets, sacAvgSchema } from './redq/config';
import { RedqAgent, SacAvgAgent, type EnsembleSacTerms } from './redq/redq-agent';
import { mbpoPresets, mbpoSchema } from './mbpo/config';
import { MbpoAgent, type MbpoTerms } from './mbpo/mbpo-agent';
import { mbpoTask } from './mbpo/tasks';
import { Td3Agent } from './td3/td3-agent';
import { mpcPresets, mpcSchema } from './mpc/config';
import { MpcAgent } from './mpc/mpc-agent';
import { SHAPED_REWARD_TASKS, shapedRewardFor, taskRewardFor } from './mpc/task-rewards';
import type { MnmTerms, SacSvgTerms, SacTerms, Svg1Terms, Td3Terms } from './terms';

function optionsFrom<S extends Schema>(context: AgentContext<S>): AgentOptions<AgentContext<S>['config']> {
  const { env, replay, config, seed } = context;
  return {
    observationSize: env.observationSpace.shape[0],
    actionSize: env.actionSpace.shape[0],
    actionLow: env.actionSpace.low,
    actionHigh: env.actionSpace.high,
    replay,
    config,
    seed,
  };
}

export const sacAlgorithm = defineAlgorithm({
  name: 'sac',
  summary: 'Soft Actor-Critic with learned temperature (Haarnoja et al. 2018, SAC v2)',
  schema: sacSchema,
  replayCapacity: (_envId, config) => config.replayCapacity,
  create: (context) => new SacAgent(optionsFrom(context)),
});

export const td3Algorithm = defineAlgorithm({
  name: 'td3',
  summary: 'Twin Delayed DDPG (Fujimoto et al. 2018)',
  schema: td3Schema,
  replayCapacity: (_envId, config) => config.replayCapacity,
  create: (context) => new Td3Agent(optionsFrom(context)),
});

export const sacSvgAlgorithm = defineAlgorithm({
  name: 'sac-svg',
  summary:
    'SAC-SVG(H): SAC with an H-step stochastic value gradient through a learned GRU model (Amos et al. 2020)',
  schema: sacSvgSchema,
  presets: sacSvgPresets,
  flags: { horizon: '--horizon <H>' },
  replayCapacity: (_envId, config) => config.replayCapacity,
  create: (context) => new SacSvgAgent(optionsFrom(context)),
});

export const svg1Algorithm = defineAlgorithm({
  name: 'svg1',
  summary: 'SVG(1): one-step stochastic value gradient with a learned model and value (Heess et al. 2015)',
  schema: svg1Schema,
  presets: svg1Presets,
  replayCapacity: (_envId, config) => config.replayCapacity,
  create: (context) => new Svg1Agent(optionsFrom(context)),
});

export const mnmAlgorithm = defineAlgorithm({
  name: 'mnm',
  summary:
    'Mismatched No More (Eysenbach et al. 2022): model and policy trained on one lower bound, a classifier telling real from model transitions',
  schema: mnmSchema,
  presets: mnmPresets,
  replayCapacity: (_envId, config) => config.replayCapacity,
  create: (context) => new MnmAgent(optionsFrom(context)),
});

export const mpcAlgorithm = defineAlgorithm({
  name: 'mpc',
  summary:
    'MPC through a learned bootstrap ensemble: random shooting or CEM, replanning every step (the naive model-based loop; PETS, Chua et al. 2018)',
  schema: mpcSchema,
  presets: mpcPresets,
  flags: { planner: '--planner <name>' },
  replayCapacity: (_envId, config) => config.replayCapacity,
  create: (context) => {
    const id = context.env.id;
    if (context.config.reward === 'shaped' && !shapedRewardFor(id))
      throw new RangeError(
        `mpc: reward=shaped exists for ${SHAPED_REWARD_TASKS.join(', ')}, not ${id}; use reward=task or reward=learned`,
      );
    const taskReward = context.config.reward === 'shaped' ? shapedRewardFor(id) : taskRewardFor(id);
    return new MpcAgent({ ...optionsFrom(context), taskReward });
  },
});

export const redqAlgorithm = defineAlgorithm({
  name: 'redq',
  summary:
    'REDQ (Chen et al. 2021): SAC with N Q-functions, targets from the minimum over M drawn at random, G updates per step',
  schema: redqSchema,
  presets: redqPresets,
  replayCapacity: (_envId, config) => config.replayCapacity,
  create: (context) => new RedqAgent(optionsFrom(context)),
});

export const sacAvgAlgorithm = defineAlgorithm({
  name: 'sac-avg',
  summary:
    "SAC-AVG (the REDQ paper's baseline): SAC with N Q-functions, targets from their average, G updates per step",
  schema: sacAvgSchema,
  presets: sacAvgPresets,
  replayCapacity: (_envId, config) => config.replayCapacity,
  create: (context) => new SacAvgAgent(optionsFrom(context)),
});

export const mbpoAlgorithm = defineAlgorithm({
  name: 'mbpo',
  summary:
    'MBPO (Janner et al. 2019): SAC on short branched rollouts of a probabilistic dynamics ensemble, mixed with real data',
  schema: mbpoSchema,
  presets: mbpoPresets,
  replayCapacity: (_envId, config) => config.replayCapacity,
  create: (context) => new MbpoAgent({ ...optionsFrom(context), task: mbpoTask(context.env.id) }),
});

/** MBPO with other objectives (`MbpoTerms`), e.g. another model loss. */
export const mbpoAlgorithmWith = (terms: Partial<MbpoTerms>, options: VariantOptions = {}) => {
  const name = options.name ?? mbpoAlgorithm.name;
  return defineAlgorithm({
    ...mbpoAlgorithm,
    name,
    summary: options.summary ?? mbpoAlgorithm.summary,
    create: (context) =>
      new MbpoAgent({ ...optionsFrom(context), task: mbpoTask(context.env.id) }, terms, name),
  });
};

/** What a variant may change besides its terms. */
export interface VariantOptions {
  /**
   * The name typed after --algo and recorded in config.json and state.json; also what the agent's
   * seeded streams derive from. Default the base algorithm's (the variant then takes its place).
   */
  readonly name?: string;
  readonly summary?: string;
}

type AgentWithTerms<C, T> = new (options: AgentOptions<C>, terms: Partial<T>, algo: string) => Agent;

function variantOf<S extends Schema, T>(
  base: AlgorithmSpec<S>,
  AgentClass: AgentWithTerms<ConfigOf<S>, T>,
  terms: Partial<T>,
  options: VariantOptions,
): AlgorithmSpec<S> {
  const name = options.name ?? base.name;
  return defineAlgorithm({
    ...base,
    name,
    summary: options.summary ?? base.summary,
    create: (context) => new AgentClass(optionsFrom(context), terms, name),
  });
}

/** SAC with other objectives (`SacTerms`): e.g. `sacAlgorithmWith({ actorLoss }, { name: 'sac-mine' })`. */
export const sacAlgorithmWith = (terms: Partial<SacTerms>, options: VariantOptions = {}) =>
  variantOf(sacAlgorithm, SacAgent, terms, options);
export const td3AlgorithmWith = (terms: Partial<Td3Terms>, options: VariantOptions = {}) =>
  variantOf(td3Algorithm, Td3Agent, terms, options);
export const sacSvgAlgorithmWith = (terms: Partial<SacSvgTerms>, options: VariantOptions = {}) =>
  variantOf(sacSvgAlgorithm, SacSvgAgent, terms, options);
export const svg1AlgorithmWith = (terms: Partial<Svg1Terms>, options: VariantOptions = {}) =>
  variantOf(svg1Algorithm, Svg1Agent, terms, options);
export const redqAlgorithmWith = (terms: Partial<EnsembleSacTerms>, options: VariantOptions = {}) =>
  variantOf(redqAlgorithm, RedqAgent, terms, options);
export const sacAvgAlgorithmWith = (terms: Partial<EnsembleSacTerms>, options: VariantOptions = {}) =>
  variantOf(sacAvgAlgorithm, SacAvgAgent, terms, options);
export const mnmAlgorithmWith = (terms: Partial<MnmTerms>, options: VariantOptions = {}) =>
  variantOf(mnmAlgorithm, MnmAgent, terms, options);

/** Every algorithm of this package, for an app's CLI. */
export const baselineAlgorithms = [
  sacAlgorithm,
  td3Algorithm,
  sacSvgAlgorithm,
  svg1Algorithm,
  mnmAlgorithm,
  redqAlgorithm,
  sacAvgAlgorithm,
  mbpoAlgorithm,
  mpcAlgorithm,
] as const;

/** What `almAlgorithmWith` may change besides the terms (default name 'alm': an option of ALM itself). */
export type AlmVariantOptions = VariantOptions;

/**
 * ALM with more named values for its terms (see terms.ts): each new name becomes a value of the
 * term's config key, settable by --set / --config, checked like the built-ins and recorded in the
 * run's config.json, so a resume (with the same spec) picks the same value.
 *
 *   const spec = almAlgorithmWith({ classifierReward: { 'log-c': logC } });
 *   runCli({ ...options, algorithms: [spec] }, ['train', '--set', 'classifierReward=log-c', ...]);
 */
export function almAlgorithmWith(
  extra: Parameters<typeof withAlmTerms>[0],
  options: AlmVariantOptions = {},
): AlgorithmSpec<typeof almSchema> {
  const choices = withAlmTerms(extra);
  const name = options.name ?? 'alm';
  return defineAlgorithm({
    name,
    summary:
      options.summary ??
      'Aligned Latent Models (Ghugare et al.): encoder, latent model and policy trained on one lower bound',
    schema: almSchemaWith(choices),
    presets: almPresets,
    replayCapacity: almReplayCapacity,
    create: (context) => new AlmAgent(optionsFrom(context), choices, name),
  });
}

export const almAlgorithm = almAlgorithmWith({});
