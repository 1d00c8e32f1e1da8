/**
 * REDQ (Chen et al. 2021, "Randomized Ensembled Double Q-Learning: Learning Fast Without a Model",
 * Algorithm 1) and its SAC-AVG baseline: SAC with an ensemble of N Q-functions and G Q updates per
 * environment step. One `update` is one environment step's worth:
 *
 *   repeat G times:
 *     sample a batch of transitions from replay (the agent's own Rng)
 *     draw the target members: REDQ M distinct of N from the agent's Rng; SAC-AVG all N
 *     Q ensemble <- Adam step on the critic term      (trains critic.* only, every member)
 *     target ensemble <- tau * ensemble + (1 - tau) * target ensemble
 *   actor     <- Adam step on the actor term, on the last batch (trains actor.* only;
 *                the average of all N members, read only)
 *   log alpha <- Adam step on sacTemperatureLoss (trains log_alpha only), if learnAlpha
 *
 * The ensemble is one QEnsemble: each layer's weights are [N, in, out], so every forward and
 * backward pass of all N members is one batched product per layer. Networks act in [-1, 1];
 * actions are rescaled to the env's bounds in `act` and back for the losses.
 */
import { ConfigError, type ActContext, type UpdateMetrics } from '@mbrl-ts/contract';
import { QEnsemble, SquashedGaussianActor } from '@mbrl-ts/models';
import { Adam, mergeVariables, softUpdate, tf, type NamedVariables, type Rng } from '@mbrl-ts/nn';
import {
  ensembleActorLoss,
  readMetrics,
  redqCriticLoss,
  sacAvgCriticLoss,
  type EnsembleActorInputs,
  type EnsembleCriticInputs,
  type Metric,
} from '@mbrl-ts/objectives';
import { allocateTransitionBatch, type TransitionBatch } from '@mbrl-ts/replay';
import { type AgentFiles } from '../agent-files';
import { clipSetting, hiddenSizes, type AgentOptions } from '../agent-options';
import { CheckpointedAgent } from '../checkpointed-agent';
import { minimizeDeferred } from '../minimize';
import { LearnedTemperature } from '../temperature';
import { withTerms, type Objective } from '../terms';
import { disposeTransitionTensors, transitionTensors } from '../transition-tensors';
import type { RedqConfig, SacAvgConfig } from './config';

/** The objectives of REDQ and SAC-AVG, swappable as every agent's terms are. */
export interface EnsembleSacTerms {
  /** The ensemble's TD loss on a target over `targetMembers`. */
  readonly criticLoss: Objective<EnsembleCriticInputs>;
  /** The actor's loss; it must report `log_prob_mean` for the temperature. */
  readonly actorLoss: Objective<EnsembleActorInputs>;
}
export const REDQ_TERMS: EnsembleSacTerms = { criticLoss: redqCriticLoss, actorLoss: ensembleActorLoss };
export const SAC_AVG_TERMS: EnsembleSacTerms = { criticLoss: sacAvgCriticLoss, actorLoss: ensembleActorLoss };

/**
 * `m` distinct integers of [0, n), uniformly among the m-subsets, in the order drawn (a partial
 * Fisher-Yates shuffle on `rng`: exactly m draws).
 */
export function randomSubset(n: number, m: number, rng: Rng): number[] {
  if (!Number.isInteger(m) || !Number.isInteger(n) || m < 1 || m > n) {
    throw new RangeError(`randomSubset: need integers 1 <= m <= n, got m = ${m}, n = ${n}`);
  }
  const pool = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < m; i++) {
    const j = i + rng.int(n - i);
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, m);
}

type EnsembleSacConfig = SacAvgConfig;

export abstract class EnsembleSacAgent<
  C extends EnsembleSacConfig = EnsembleSacConfig,
> extends CheckpointedAgent {
  /** A batch must be sampleable before the first update. */
  get minReplaySize(): number {
    return this.config.batchSize;
  }
  readonly config: C;
  readonly actor: SquashedGaussianActor;
  readonly critic: QEnsemble;
  readonly targetCritic: QEnsemble;
  readonly temperature: LearnedTemperature;
  readonly targetEntropy: number;
  readonly actorOptimizer: Adam;
  readonly criticOptimizer: Adam;
  readonly terms: EnsembleSacTerms;
  protected readonly batch: TransitionBatch;

  constructor(
    options: AgentOptions<C>,
    defaults: EnsembleSacTerms,
    terms: Partial<EnsembleSacTerms>,
    algo: string,
  ) {
    super(algo, options);
    this.terms = withTerms(new.target.name, defaults, terms);
    const { config, observationSize, actionSize } = options;
    this.config = config;
    const { init } = this;
    const sizes = hiddenSizes(config.hiddenLayers, config.hiddenSize);
    this.actor = SquashedGaussianActor.create({ observationSize, actionSize, hiddenSizes: sizes, rng: init });
    this.critic = QEnsemble.create({
      observationSize,
      actionSize,
      ensembleSize: config.ensembleSize,
      hiddenSizes: sizes,
      rng: init,
    });
    this.targetCritic = this.critic.clone();
    this.targetEntropy = config.targetEntropyPerActionDim * actionSize;
    const adam = () =>
      new Adam({ learningRate: config.learningRate, maxGradNorm: clipSetting(config.maxGradNorm) });
    this.actorOptimizer = adam();
    // one Adam over the [N, ...] variables: Adam is element-wise, so this is N members' own Adams
    this.criticOptimizer = adam();
    this.temperature = new LearnedTemperature({
      initialAlpha: config.initialAlpha,
      learningRate: config.learningRate,
      maxGradNorm: clipSetting(config.maxGradNorm),
    });
    this.batch = allocateTransitionBatch(config.batchSize, observationSize, actionSize);
  }

  /** The members the next Q update's target reduces over (drawn from the agent's Rng or fixed). */
  protected abstract drawTargetMembers(): number[];

  act(obs: Float64Array, context: ActContext): Float32Array {
    return this.scaling.toEnv(this.actor.act(obs, this.rng, context.deterministic));
  }

  update(_step: number): UpdateMetrics {
    const { config } = this;
    const { alpha } = this.temperature;
    const kept: Array<Record<string, Metric>> = [];
    let batch = null;
    try {
      for (let g = 0; g < config.utdRatio; g++) {
        if (batch !== null) disposeTransitionTensors(batch);
        batch = null;
        this.replay.sampleTransitions(config.batchSize, this.rng, this.batch);
        batch = transitionTensors(this.batch, this.scaling);
        const targetMembers = this.drawTargetMembers();
        const inputs = batch;
        const step = minimizeDeferred(this.criticOptimizer, this.critic, () =>
          this.terms.criticLoss({
            critic: this.critic,
            targetCritic: this.targetCritic,
            actor: this.actor,
            batch: inputs,
            targetMembers,
            alpha,
            gamma: config.gamma,
            rng: this.rng,
          }),
        );
        kept.push(step.metrics);
        softUpdate(this.targetCritic, this.critic, config.tau);
      }
      const observation = (batch as NonNullable<typeof batch>).observation;
      const actorStep = minimizeDeferred(this.actorOptimizer, this.actor, () =>
        this.terms.actorLoss({ actor: this.actor, critic: this.critic, observation, alpha, rng: this.rng }),
      );
      const actor = readMetrics(actorStep.metrics);
      const temperature = config.learnAlpha
        ? this.temperature.step(actor.log_prob_mean, this.targetEntropy)
        : {};
      this.updates += 1;
      return {
        ...meanOfMetrics(kept.splice(0)),
        actor_loss: actor.actor_loss,
        entropy: actor.entropy,
        ...(config.learnAlpha ? { temperature_loss: temperature.temperature_loss } : {}),
        alpha: this.temperature.alpha,
      };
    } finally {
      if (batch !== null) disposeTransitionTensors(batch);
      for (const metrics of kept)
        tf.dispose(Object.values(metrics).filter((v): v is tf.Scalar => typeof v !== 'number'));
    }
  }

  /** Every saved tensor by name: actor, ensemble, target ensemble and log alpha. */
  parameters(): NamedVariables {
    return new Map([
      ...mergeVariables({ actor: this.actor, critic: this.critic, critic_target: this.targetCritic }),
      ...this.temperature.variables(),
    ]);
  }

  protected files(): Omit<AgentFiles, 'state'> {
    return {
      parameters: this.parameters(),
      optimizers: {
        actor: { optimizer: this.actorOptimizer, variables: this.actor },
        critic: { optimizer: this.criticOptimizer, variables: this.critic },
        alpha: this.temperature.optimizerFile(),
      },
    };
  }

  protected override afterLoad(): void {
    this.temperature.refresh();
  }

  get logAlpha(): tf.Variable {
    return this.temperature.logAlpha;
  }

  get alphaOptimizer(): Adam {
    return this.temperature.optimizer;
  }
}

/** The G updates' metrics, each name's mean, read in one round trip. */
function meanOfMetrics(steps: ReadonlyArray<Record<string, Metric>>): Record<string, number> {
  const flat: Record<string, Metric> = {};
  steps.forEach((metrics, g) => {
    for (const [name, value] of Object.entries(metrics)) flat[`${g}:${name}`] = value;
  });
  const values = readMetrics(flat); // disposes the tensors
  const sums: Record<string, number> = {};
  for (const [key, value] of Object.entries(values)) {
    const name = key.slice(key.indexOf(':') + 1);
    sums[name] = (sums[name] ?? 0) + value / steps.length;
  }
  return sums;
}

/** REDQ: the target is the minimum over M members drawn afresh for every Q update. */
export class RedqAgent extends EnsembleSacAgent<RedqConfig> {
  constructor(options: AgentOptions<RedqConfig>, terms: Partial<EnsembleSacTerms> = {}, algo = 'redq') {
    if (options.config.targetSubsetSize > options.config.ensembleSize) {
      throw new ConfigError(
        `redq: targetSubsetSize (M = ${options.config.targetSubsetSize}) must not exceed ensembleSize (N = ${options.config.ensembleSize})`,
      );
    }
    super(options, REDQ_TERMS, terms, algo);
  }

  protected drawTargetMembers(): number[] {
    return randomSubset(this.config.ensembleSize, this.config.targetSubsetSize, this.rng);
  }
}

/** SAC-AVG: the target is the average over all N members (no draw). */
export class SacAvgAgent extends EnsembleSacAgent<SacAvgConfig> {
  private readonly allMembers: readonly number[];

  constructor(options: AgentOptions<SacAvgConfig>, terms: Partial<EnsembleSacTerms> = {}, algo = 'sac-avg') {
    super(options, SAC_AVG_TERMS, terms, algo);
    this.allMembers = Array.from({ length: options.config.ensembleSize }, (_, i) => i);
  }

  protected drawTargetMembers(): number[] {
    return [...this.allMembers];
  }
}
