/**
 * SVG(1) (Heess et al. 2015, SVG(1) with experience replay) on the SAC-SVG pieces, one update:
 *
 *   fold new replay observations into the normaliser
 *   sample a batch of transitions (batchSize)
 *   dynamics   <- modelUpdateRepeat Adam steps on svgDynamicsLoss, one-step sequences (dynamics.*)
 *   value      <- Adam step on svg1ValueLoss, TD(0) on V with target V'          (value.*)
 *   actor      <- Adam step on svg1ActorLoss: r + gamma V(s' + f(s, a) - f(s, a_replayed)) (actor.*)
 *   reward     <- Adam step on svgRewardLoss                                      (reward.*)
 *   done       <- Adam step on svgDoneLoss                                        (done.*)
 *   target value <- tau value + (1 - tau) target value, every targetUpdateInterval updates
 */
import type { ActContext, UpdateMetrics } from '@mbrl-ts/contract';
import { SquashedGaussianActor, StateValue } from '@mbrl-ts/models';
import { Adam, mergeVariables, softUpdate, type NamedVariables } from '@mbrl-ts/nn';
import { type TransitionTensors } from '@mbrl-ts/objectives';
import { allocateTransitionBatch, type TransitionBatch } from '@mbrl-ts/replay';
import { type AgentFiles } from '../agent-files';
import { hiddenSizes, type AgentOptions } from '../agent-options';
import { CheckpointedAgent } from '../checkpointed-agent';
import { minimizeObjective } from '../minimize';
import { SVG1_TERMS, withTerms, type Svg1Terms } from '../terms';
import { disposeTransitionTensors, transitionTensors } from '../transition-tensors';
import { checkLogStdBounds, type Svg1Config } from './config';
import { SvgModels } from './svg-models';

export class Svg1Agent extends CheckpointedAgent {
  readonly config: Svg1Config;
  readonly actor: SquashedGaussianActor;
  readonly value: StateValue;
  readonly targetValue: StateValue;
  readonly model: SvgModels;
  readonly actorOptimizer: Adam;
  readonly valueOptimizer: Adam;
  protected readonly batch: TransitionBatch;

  /** The value and actor objectives (SVG(1)'s by default; see terms.ts). */
  readonly terms: Svg1Terms;

  constructor(options: AgentOptions<Svg1Config>, terms: Partial<Svg1Terms> = {}, algo = 'svg1') {
    super(algo, options);
    this.terms = withTerms('Svg1Agent', SVG1_TERMS, terms);
    const { config, observationSize, actionSize } = options;
    checkLogStdBounds(config, 'Svg1Agent');
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
    this.value = StateValue.create({ observationSize, hiddenSizes: sizes, rng: init });
    this.targetValue = this.value.clone();
    this.model = new SvgModels(config, observationSize, actionSize, init);
    this.actorOptimizer = new Adam({ learningRate: config.learningRate });
    this.valueOptimizer = new Adam({ learningRate: config.learningRate });
    this.batch = allocateTransitionBatch(config.batchSize, observationSize, actionSize);
  }

  get minReplaySize(): number {
    return this.config.batchSize;
  }

  act(obs: Float64Array, context: ActContext): Float32Array {
    const normalized = this.model.normalizer.normalizeInPlace(Float32Array.from(obs));
    return this.scaling.toEnv(this.actor.act(normalized, this.rng, context.deterministic));
  }

  update(_step: number): UpdateMetrics {
    const { config } = this;
    this.model.normalizer.observe(this.replay);
    const batch = this.sampleBatch();
    try {
      let dynamicsLoss = 0;
      for (let i = 0; i < config.modelUpdateRepeat; i++) {
        dynamicsLoss += this.model.fitOneStepDynamics(batch).dynamics_loss;
      }
      const value = minimizeObjective(this.valueOptimizer, this.value, () =>
        this.terms.valueLoss({
          value: this.value,
          targetValue: this.targetValue,
          batch,
          gamma: config.gamma,
        }),
      );
      const actor = minimizeObjective(this.actorOptimizer, this.actor, () =>
        this.terms.actorLoss({
          actor: this.actor,
          dynamics: this.model.dynamics,
          reward: this.model.reward,
          done: this.model.done,
          value: this.value,
          batch,
          gamma: config.gamma,
          alpha: config.alpha,
          rng: this.rng,
        }),
      );
      const heads = this.model.fitHeads(batch);
      this.updates += 1;
      if (this.updates % config.targetUpdateInterval === 0)
        softUpdate(this.targetValue, this.value, config.tau);
      return {
        dynamics_loss: dynamicsLoss / config.modelUpdateRepeat,
        value_loss: value.value_loss,
        value_mean: value.value_mean,
        actor_loss: actor.actor_loss,
        entropy: actor.entropy,
        reward_loss: heads.reward_loss,
        done_loss: heads.done_loss,
      };
    } finally {
      disposeTransitionTensors(batch);
    }
  }

  protected sampleBatch(): TransitionTensors {
    this.replay.sampleTransitions(this.config.batchSize, this.rng, this.batch);
    this.model.normalizer.normalizeInPlace(this.batch.observation);
    this.model.normalizer.normalizeInPlace(this.batch.nextObservation);
    return transitionTensors(this.batch, this.scaling);
  }

  parameters(): NamedVariables {
    return new Map([
      ...mergeVariables({ actor: this.actor, value: this.value, value_target: this.targetValue }),
      ...this.model.parameters(),
    ]);
  }

  protected files(): Omit<AgentFiles, 'state'> {
    return {
      parameters: this.parameters(),
      optimizers: {
        actor: { optimizer: this.actorOptimizer, variables: this.actor },
        value: { optimizer: this.valueOptimizer, variables: this.value },
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
    this.model.normalizer.restore(extra.observations_seen ?? 0);
  }
}
