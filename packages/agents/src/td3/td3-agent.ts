/**
 * TD3 (Fujimoto et al. 2018, Algorithm 1), one update:
 *
 *   sample a batch of transitions from replay (the agent's own Rng)
 *   critics <- Adam step on td3CriticLoss (trains critic.*; target actor and target critics read only)
 *   every policyDelay updates:
 *     actor <- Adam step on td3ActorLoss (trains actor.*; Q1 read only)
 *     target actor, target critics <- Polyak averaging with tau
 *
 * Acting adds N(0, explorationNoise^2) to pi(s) and clips to [-1, 1] before rescaling to the env's
 * bounds; evaluation (deterministic) uses pi(s) itself.
 */
import type { ActContext, UpdateMetrics } from '@mbrl-ts/contract';
import { DeterministicActor, TwinQCritic } from '@mbrl-ts/models';
import { Adam, mergeVariables, softUpdate, tf, type NamedVariables } from '@mbrl-ts/nn';

import { allocateTransitionBatch, type TransitionBatch } from '@mbrl-ts/replay';
import { type AgentFiles } from '../agent-files';
import { clipSetting, hiddenSizes, type AgentOptions } from '../agent-options';
import { CheckpointedAgent } from '../checkpointed-agent';
import { minimizeObjective } from '../minimize';
import { TD3_TERMS, withTerms, type Td3Terms } from '../terms';
import { disposeTransitionTensors, transitionTensors } from '../transition-tensors';
import type { Td3Config } from './config';

export class Td3Agent extends CheckpointedAgent {
  /** A batch must be sampleable before the first update. */
  get minReplaySize(): number {
    return this.config.batchSize;
  }
  readonly config: Td3Config;
  readonly actor: DeterministicActor;
  readonly targetActor: DeterministicActor;
  readonly critic: TwinQCritic;
  readonly targetCritic: TwinQCritic;
  readonly actorOptimizer: Adam;
  readonly criticOptimizer: Adam;
  protected readonly batch: TransitionBatch;
  /** The latest actor loss, reported on every update so logged means are not diluted. */
  protected lastActorLoss = 0;

  /** The critic and actor objectives (TD3's by default; see terms.ts). */
  readonly terms: Td3Terms;

  constructor(options: AgentOptions<Td3Config>, terms: Partial<Td3Terms> = {}, algo = 'td3') {
    super(algo, options);
    this.terms = withTerms('Td3Agent', TD3_TERMS, terms);
    const { config, observationSize, actionSize } = options;
    this.config = config;
    const { init } = this;
    const sizes = hiddenSizes(config.hiddenLayers, config.hiddenSize);
    this.actor = DeterministicActor.create({ observationSize, actionSize, hiddenSizes: sizes, rng: init });
    this.critic = TwinQCritic.create({ observationSize, actionSize, hiddenSizes: sizes, rng: init });
    this.targetActor = this.actor.clone();
    this.targetCritic = this.critic.clone();
    const adam = () =>
      new Adam({ learningRate: config.learningRate, maxGradNorm: clipSetting(config.maxGradNorm) });
    this.actorOptimizer = adam();
    this.criticOptimizer = adam();
    this.batch = allocateTransitionBatch(config.batchSize, observationSize, actionSize);
  }

  act(obs: Float64Array, context: ActContext): Float32Array {
    const unit = tf.tidy(() =>
      this.actor.forward(tf.tensor2d(Float32Array.from(obs), [1, this.observationSize])),
    );
    const values = Float64Array.from(unit.dataSync());
    unit.dispose();
    if (!context.deterministic) {
      for (let i = 0; i < values.length; i++) {
        values[i] = Math.max(-1, Math.min(1, values[i] + this.config.explorationNoise * this.rng.normal()));
      }
    }
    return this.scaling.toEnv(values);
  }

  update(_step: number): UpdateMetrics {
    const { config } = this;
    this.replay.sampleTransitions(config.batchSize, this.rng, this.batch);
    const batch = transitionTensors(this.batch, this.scaling);
    try {
      const critic = minimizeObjective(this.criticOptimizer, this.critic, () =>
        this.terms.criticLoss({
          critic: this.critic,
          targetCritic: this.targetCritic,
          targetActor: this.targetActor,
          batch,
          gamma: config.gamma,
          policyNoise: config.policyNoise,
          noiseClip: config.noiseClip,
          rng: this.rng,
        }),
      );
      this.updates += 1;
      if (this.updates % config.policyDelay === 0) {
        const actor = minimizeObjective(this.actorOptimizer, this.actor, () =>
          this.terms.actorLoss({ actor: this.actor, critic: this.critic, observation: batch.observation }),
        );
        this.lastActorLoss = actor.actor_loss;
        softUpdate(this.targetCritic, this.critic, config.tau);
        softUpdate(this.targetActor, this.actor, config.tau);
      }
      return {
        critic_loss: critic.critic_loss,
        q1_mean: critic.q1_mean,
        q2_mean: critic.q2_mean,
        actor_loss: this.lastActorLoss,
      };
    } finally {
      disposeTransitionTensors(batch);
    }
  }

  /** Every saved tensor by name: online and target networks. */
  parameters(): NamedVariables {
    return mergeVariables({
      actor: this.actor,
      actor_target: this.targetActor,
      critic: this.critic,
      critic_target: this.targetCritic,
    });
  }

  protected files(): Omit<AgentFiles, 'state'> {
    return {
      parameters: this.parameters(),
      optimizers: {
        actor: { optimizer: this.actorOptimizer, variables: this.actor },
        critic: { optimizer: this.criticOptimizer, variables: this.critic },
      },
    };
  }

  protected override stateExtras(): Record<string, number> {
    return { lastActorLoss: this.lastActorLoss };
  }

  protected override afterLoad(extra: Readonly<Record<string, number>>): void {
    this.lastActorLoss = extra.lastActorLoss ?? 0;
  }
}
