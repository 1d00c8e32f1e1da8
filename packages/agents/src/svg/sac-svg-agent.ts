/**
 * SAC-SVG(H) (Amos et al. 2020), one update, in the authors' order (svg/agent.py `update`):
 *
 *   fold new replay observations into the normaliser
 *   if H > 1: modelUpdateRepeat times
 *       sample sequences of H - 1 transitions          (sequenceBatchSize)
 *       dynamics   <- Adam step on svgDynamicsLoss      (trains dynamics.*)
 *   sample a batch of transitions                       (stepBatchSize)
 *   critics    <- Adam step on sacCriticLoss            (trains critic.*)
 *   actor      <- Adam step on sacSvgActorLoss (H-step value expansion through the model; plain
 *                 sacActorLoss before modelFreeWarmupSteps)        (trains actor.*)
 *   log alpha  <- Adam step on sacTemperatureLoss, target entropy on its schedule (log_alpha)
 *   reward     <- Adam step on svgRewardLoss            (trains reward.*)
 *   done       <- Adam step on svgDoneLoss              (trains done.*)
 *   target critics <- tau critics + (1 - tau) target critics, every targetUpdateInterval updates
 *
 * Observations are normalised (running mean / std); actions live in [-1, 1] for the networks.
 */
import type { ActContext, UpdateMetrics } from '@mbrl-ts/contract';
import { SquashedGaussianActor, TwinQCritic } from '@mbrl-ts/models';
import { Adam, mergeVariables, softUpdate, tf, type NamedVariables } from '@mbrl-ts/nn';
import { scheduledTargetEntropy, type TransitionTensors } from '@mbrl-ts/objectives';
import {
  allocateSequenceBatch,
  allocateTransitionBatch,
  type SequenceBatch,
  type TransitionBatch,
} from '@mbrl-ts/replay';
import { type AgentFiles } from '../agent-files';
import { hiddenSizes, type AgentOptions } from '../agent-options';
import { CheckpointedAgent } from '../checkpointed-agent';
import { minimizeObjective } from '../minimize';
import { SAC_SVG_TERMS, withTerms, type SacSvgTerms } from '../terms';
import { LearnedTemperature } from '../temperature';
import { disposeTransitionTensors, transitionTensors } from '../transition-tensors';
import { checkLogStdBounds, type SacSvgConfig } from './config';
import { SvgModels } from './svg-models';

export class SacSvgAgent extends CheckpointedAgent {
  readonly config: SacSvgConfig;
  readonly actor: SquashedGaussianActor;
  readonly critic: TwinQCritic;
  readonly targetCritic: TwinQCritic;
  readonly model: SvgModels;
  /** log alpha and its optimizer (SAC's learned temperature, the target entropy on a schedule). */
  readonly temperature: LearnedTemperature;
  readonly actorOptimizer: Adam;
  readonly criticOptimizer: Adam;
  protected readonly batch: TransitionBatch;
  protected readonly sequences: SequenceBatch | null;

  /** The critic and actor objectives (SAC-SVG's by default; see terms.ts). */
  readonly terms: SacSvgTerms;

  constructor(options: AgentOptions<SacSvgConfig>, terms: Partial<SacSvgTerms> = {}, algo = 'sac-svg') {
    super(algo, options);
    this.terms = withTerms('SacSvgAgent', SAC_SVG_TERMS, terms);
    const { config, observationSize, actionSize } = options;
    checkLogStdBounds(config, 'SacSvgAgent');
    this.config = config;
    const { init } = this;
    const sizes = hiddenSizes(config.hiddenLayers, config.hiddenSize);
    this.actor = SquashedGaussianActor.create({
      observationSize,
      actionSize,
      hiddenSizes: sizes,
      logStdTanhBounds: [config.logStdMin, config.logStdMax],
      rng: init,
    });
    this.critic = TwinQCritic.create({ observationSize, actionSize, hiddenSizes: sizes, rng: init });
    this.targetCritic = this.critic.clone();
    this.model = new SvgModels(config, observationSize, actionSize, init);
    this.actorOptimizer = new Adam({ learningRate: config.actorLearningRate });
    this.criticOptimizer = new Adam({ learningRate: config.criticLearningRate });
    this.temperature = new LearnedTemperature({
      initialAlpha: config.initialAlpha,
      learningRate: config.temperatureLearningRate,
    });
    this.batch = allocateTransitionBatch(config.stepBatchSize, observationSize, actionSize);
    this.sequences =
      config.horizon > 1
        ? allocateSequenceBatch(config.horizon - 1, config.sequenceBatchSize, observationSize, actionSize)
        : null;
  }

  /** The model needs H - 1 consecutive transitions; the critics a full step batch. */
  get minReplaySize(): number {
    return Math.max(this.config.stepBatchSize, this.config.sequenceBatchSize + this.config.horizon);
  }

  /** The temperature's target entropy at an environment step. */
  targetEntropy(step: number): number {
    const c = this.config;
    return scheduledTargetEntropy(
      {
        initial: c.targetEntropyInitialPerActionDim * this.actionSize,
        final: c.targetEntropyFinalPerActionDim * this.actionSize,
        decay: c.targetEntropyDecay,
        totalSteps: c.targetEntropySteps,
      },
      step,
    );
  }

  act(obs: Float64Array, context: ActContext): Float32Array {
    const normalized = this.model.normalizer.normalizeInPlace(Float32Array.from(obs));
    return this.scaling.toEnv(this.actor.act(normalized, this.rng, context.deterministic));
  }

  update(step: number): UpdateMetrics {
    const { config } = this;
    this.model.normalizer.observe(this.replay);
    let dynamics: Record<string, number> = {};
    if (this.sequences !== null) {
      let sum = 0;
      for (let i = 0; i < config.modelUpdateRepeat; i++) {
        this.replay.sampleSequences(config.horizon - 1, config.sequenceBatchSize, this.rng, this.sequences);
        sum += this.model.fitDynamics(this.sequences, this.scaling).dynamics_loss;
      }
      dynamics = { dynamics_loss: sum / config.modelUpdateRepeat };
    }
    const batch = this.sampleBatch();
    try {
      const { alpha } = this.temperature;
      const critic = minimizeObjective(this.criticOptimizer, this.critic, () =>
        this.terms.criticLoss({
          critic: this.critic,
          targetCritic: this.targetCritic,
          actor: this.actor,
          batch,
          alpha,
          gamma: config.gamma,
          rng: this.rng,
        }),
      );
      const modelBased = step >= config.modelFreeWarmupSteps;
      const actor = minimizeObjective(this.actorOptimizer, this.actor, () =>
        modelBased
          ? this.terms.actorLoss({
              actor: this.actor,
              dynamics: this.model.dynamics,
              reward: this.model.reward,
              done: this.model.done,
              critic: this.critic,
              observation: batch.observation,
              horizon: config.horizon,
              gamma: config.gamma,
              alpha,
              rng: this.rng,
            })
          : this.terms.modelFreeActorLoss({
              actor: this.actor,
              critic: this.critic,
              observation: batch.observation,
              alpha,
              rng: this.rng,
            }),
      );
      const targetEntropy = this.targetEntropy(step);
      const temperature = this.temperature.step(actor.log_prob_mean, targetEntropy);
      const heads = this.model.fitHeads(batch);
      this.updates += 1;
      if (this.updates % config.targetUpdateInterval === 0)
        softUpdate(this.targetCritic, this.critic, config.tau);
      return {
        ...dynamics,
        critic_loss: critic.critic_loss,
        q1_mean: critic.q1_mean,
        actor_loss: actor.actor_loss,
        ...(modelBased ? { expanded_value_mean: actor.expanded_value_mean } : {}),
        entropy: actor.entropy,
        target_entropy: targetEntropy,
        temperature_loss: temperature.temperature_loss,
        alpha: this.temperature.alpha,
        reward_loss: heads.reward_loss,
        done_loss: heads.done_loss,
      };
    } finally {
      disposeTransitionTensors(batch);
    }
  }

  /** A transition batch with normalised observations, as tensors. */
  protected sampleBatch(): TransitionTensors {
    this.replay.sampleTransitions(this.config.stepBatchSize, this.rng, this.batch);
    this.model.normalizer.normalizeInPlace(this.batch.observation);
    this.model.normalizer.normalizeInPlace(this.batch.nextObservation);
    return transitionTensors(this.batch, this.scaling);
  }

  /** Every saved tensor by name: networks, targets, the model, the normaliser and log alpha. */
  parameters(): NamedVariables {
    return new Map([
      ...mergeVariables({ actor: this.actor, critic: this.critic, critic_target: this.targetCritic }),
      ...this.model.parameters(),
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
        ...this.model.optimizers(),
      },
    };
  }

  /** Syncs the observation normalizer's variables first, so the parameter file holds its statistics. */
  protected override stateExtras(): Record<string, number> {
    this.model.normalizer.syncVariables();
    return { observations_seen: this.model.normalizer.count };
  }

  protected override afterLoad(extra: Readonly<Record<string, number>>): void {
    this.temperature.refresh();
    this.model.normalizer.restore(extra.observations_seen ?? 0);
  }

  get logAlpha(): tf.Variable {
    return this.temperature.logAlpha;
  }

  get alphaOptimizer(): Adam {
    return this.temperature.optimizer;
  }
}
