/**
 * Soft Actor-Critic (Haarnoja et al. 2018, "SAC algorithms and applications"), one update:
 *
 *   sample a batch of transitions from replay (the agent's own Rng)
 *   critics     <- Adam step on sacCriticLoss      (trains critic.*; target critics, actor read only)
 *   actor       <- Adam step on sacActorLoss       (trains actor.*; critics read only)
 *   log alpha   <- Adam step on sacTemperatureLoss (trains log_alpha only), if learnAlpha
 *   target critics <- tau * critics + (1 - tau) * target critics, every targetUpdateInterval updates
 *
 * Networks act in [-1, 1]; actions are rescaled to the env's bounds in `act` and back for the losses.
 */
import type { ActContext, UpdateMetrics } from '@mbrl-ts/contract';
import { SquashedGaussianActor, TwinQCritic } from '@mbrl-ts/models';
import { Adam, mergeVariables, softUpdate, tf, type NamedVariables } from '@mbrl-ts/nn';
import { allocateTransitionBatch, type TransitionBatch } from '@mbrl-ts/replay';
import { type AgentFiles } from '../agent-files';
import { clipSetting, hiddenSizes, type AgentOptions } from '../agent-options';
import { CheckpointedAgent } from '../checkpointed-agent';
import { minimizeObjective } from '../minimize';
import { LearnedTemperature } from '../temperature';
import { SAC_TERMS, withTerms, type SacTerms } from '../terms';
import { disposeTransitionTensors, transitionTensors } from '../transition-tensors';
import type { SacConfig } from './config';

export class SacAgent extends CheckpointedAgent {
  /** A batch must be sampleable before the first update. */
  get minReplaySize(): number {
    return this.config.batchSize;
  }
  readonly config: SacConfig;
  readonly actor: SquashedGaussianActor;
  readonly critic: TwinQCritic;
  readonly targetCritic: TwinQCritic;
  /** log alpha and its optimizer (stepped only with learnAlpha). */
  readonly temperature: LearnedTemperature;
  readonly targetEntropy: number;
  readonly actorOptimizer: Adam;
  readonly criticOptimizer: Adam;
  protected readonly batch: TransitionBatch;

  /** The critic and actor objectives (SAC's by default; see terms.ts). */
  readonly terms: SacTerms;

  constructor(options: AgentOptions<SacConfig>, terms: Partial<SacTerms> = {}, algo = 'sac') {
    super(algo, options);
    this.terms = withTerms('SacAgent', SAC_TERMS, terms);
    const { config, observationSize, actionSize } = options;
    this.config = config;
    const { init } = this;
    const sizes = hiddenSizes(config.hiddenLayers, config.hiddenSize);
    this.actor = SquashedGaussianActor.create({ observationSize, actionSize, hiddenSizes: sizes, rng: init });
    this.critic = TwinQCritic.create({ observationSize, actionSize, hiddenSizes: sizes, rng: init });
    this.targetCritic = this.critic.clone();
    this.targetEntropy = config.targetEntropyPerActionDim * actionSize;
    const adam = () =>
      new Adam({ learningRate: config.learningRate, maxGradNorm: clipSetting(config.maxGradNorm) });
    this.actorOptimizer = adam();
    this.criticOptimizer = adam();
    this.temperature = new LearnedTemperature({
      initialAlpha: config.initialAlpha,
      learningRate: config.learningRate,
      maxGradNorm: clipSetting(config.maxGradNorm),
    });
    this.batch = allocateTransitionBatch(config.batchSize, observationSize, actionSize);
  }

  act(obs: Float64Array, context: ActContext): Float32Array {
    return this.scaling.toEnv(this.actor.act(obs, this.rng, context.deterministic));
  }

  update(_step: number): UpdateMetrics {
    const { config } = this;
    this.replay.sampleTransitions(config.batchSize, this.rng, this.batch);
    const batch = transitionTensors(this.batch, this.scaling);
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
      const actor = minimizeObjective(this.actorOptimizer, this.actor, () =>
        this.terms.actorLoss({
          actor: this.actor,
          critic: this.critic,
          observation: batch.observation,
          alpha,
          rng: this.rng,
        }),
      );
      const temperature = config.learnAlpha
        ? this.temperature.step(actor.log_prob_mean, this.targetEntropy)
        : {};
      this.updates += 1;
      if (this.updates % config.targetUpdateInterval === 0)
        softUpdate(this.targetCritic, this.critic, config.tau);
      return {
        critic_loss: critic.critic_loss,
        q1_mean: critic.q1_mean,
        q2_mean: critic.q2_mean,
        actor_loss: actor.actor_loss,
        entropy: actor.entropy,
        ...(config.learnAlpha ? { temperature_loss: temperature.temperature_loss } : {}),
        alpha: this.temperature.alpha,
      };
    } finally {
      disposeTransitionTensors(batch);
    }
  }

  /** Every saved tensor by name: online and target networks and log alpha. */
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
