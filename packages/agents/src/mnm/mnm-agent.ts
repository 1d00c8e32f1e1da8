/**
 * Mismatched No More (Eysenbach et al. 2022): one lower bound trains the dynamics model and the
 * policy together. In ALM's terms (ALM Appendix F) it is ALM with an identity encoder, the
 * observation itself playing the latent, and with the classifier term on every step of the
 * horizon (K -> infinity): the critic learns the value of the augmented reward. One update:
 *
 *   sample transitions (s, a, r, s', terminated) from replay (the agent's own Rng)
 *   1. model              <- Adam step on mnmModelLoss: -bound(H imagined steps) + k_MLE NLL     trains model.*
 *      s'^ ~ q(. | s, a) from the model just updated: the imagined next observations of 2 and 3
 *   2. reward + classifier <- Adam step on ALM Eq. 11 + Eq. 9 (real s' vs s'^; one optimizer)  trains reward.*, classifier.*
 *   3. critics            <- Adam step on mnmCriticLoss: TD on (s, a, r + c log C/(1-C), s'^)     trains critic.*
 *                            (criticTransitions 'real': ALM Eq. 10 on real (s, a, r, s'), K = H)
 *   4. policy             <- Adam step on ALM Eq. 8 on observations: lambda-returns of
 *                            r + c log C/(1-C) through the model, critic at the end               trains actor.*
 *   target critics <- Polyak averaging with tau, every targetUpdateInterval updates
 *
 * Which loss trains which network is the variable list handed to each Adam step; everything else
 * a loss touches is read only. The networks are ALM's (reward model, classifier, twin critics,
 * policy) with the observation size in place of the latent size, and an observation-space Gaussian
 * model (`DynamicsModel`) in place of the latent model.
 *
 * Acting: a = clamp(pi(s) + N(0, std^2)) with ALM's linear std schedule at the updates done so far;
 * evaluation takes pi(s).
 */
import type { ActContext, UpdateMetrics } from '@mbrl-ts/harness';
import { Classifier, DynamicsModel, LatentActor, RewardModel, TwinQCritic } from '@mbrl-ts/models';
import { Adam, mergeVariables, Rng, softUpdate, tf, type NamedVariables } from '@mbrl-ts/nn';
import {
  almClassifierLoss,
  almCriticLoss,
  almPolicyLoss,
  almRewardLoss,
  halfRealMask,
  mnmCriticLoss,
  mnmModelLoss,
  readMetrics,
  type Metric,
  type PolicyNoise,
  type TransitionTensors,
} from '@mbrl-ts/objectives';
import { allocateTransitionBatch, type ReplayBuffer, type TransitionBatch } from '@mbrl-ts/replay';
import type { ActionScaling } from '../action-scaling';
import { type AgentFiles } from '../agent-files';
import { actionScalingFor, agentRngs, clipSetting, type AgentOptions } from '../agent-options';
import { CheckpointedAgent } from '../checkpointed-agent';
import { explorationStd } from '../alm/config';
import { minimizeDeferred } from '../minimize-deferred';
import { disposeTransitionTensors, transitionTensors } from '../transition-tensors';
import type { MnmConfig } from './config';

export class MnmAgent extends CheckpointedAgent {
  readonly algo = 'mnm';
  readonly config: MnmConfig;
  readonly model: DynamicsModel;
  readonly reward: RewardModel;
  readonly classifier: Classifier;
  readonly critic: TwinQCritic;
  readonly targetCritic: TwinQCritic;
  readonly actor: LatentActor;
  /** One optimizer per group: model, reward + classifier, critic, actor. */
  readonly modelOptimizer: Adam;
  readonly rewardOptimizer: Adam;
  readonly criticOptimizer: Adam;
  readonly actorOptimizer: Adam;
  protected readonly observationSize: number;
  protected readonly actionSize: number;
  private readonly scaling: ActionScaling;
  private readonly replay: ReplayBuffer;
  private readonly transitions: TransitionBatch;
  protected rng: Rng;

  constructor(options: AgentOptions<MnmConfig>) {
    super();
    const { config, observationSize, actionSize } = options;
    this.config = config;
    this.observationSize = observationSize;
    this.actionSize = actionSize;
    this.scaling = actionScalingFor('MnmAgent', options);
    if (!(config.modelMaxStd > config.modelMinStd)) {
      throw new RangeError(
        `MnmAgent: modelMaxStd (${config.modelMaxStd}) must exceed modelMinStd (${config.modelMinStd})`,
      );
    }
    this.replay = options.replay;
    const { init, rng } = agentRngs(options.seed, 'mnm');
    this.rng = rng;
    const { hiddenSize } = config;
    // the observation is the latent (ALM Appendix F: identity encoder)
    const latentSize = observationSize;
    this.model = DynamicsModel.create({
      observationSize,
      actionSize,
      hiddenSize: config.modelHiddenSize,
      minStd: config.modelMinStd,
      maxStd: config.modelMaxStd,
      rng: init,
    });
    this.reward = RewardModel.create({ latentSize, actionSize, hiddenSize, rng: init });
    this.classifier = Classifier.create({ latentSize, actionSize, hiddenSize, rng: init });
    this.critic = TwinQCritic.create({
      observationSize,
      actionSize,
      hiddenSizes: [hiddenSize, hiddenSize],
      activation: 'elu',
      layerNormTanhFirst: true,
      rng: init,
    });
    this.targetCritic = this.critic.clone();
    this.actor = LatentActor.create({ latentSize, actionSize, hiddenSize, rng: init });
    const adam = () =>
      new Adam({ learningRate: config.learningRate, maxGradNorm: clipSetting(config.maxGradNorm) });
    this.modelOptimizer = adam();
    this.rewardOptimizer = adam();
    this.criticOptimizer = adam();
    this.actorOptimizer = adam();
    this.transitions = allocateTransitionBatch(config.batchSize, observationSize, actionSize);
  }

  /** Reward model and classifier: the variables ALM's Eq. 11 + Eq. 9 train (one optimizer). */
  rewardClassifierVariables(): NamedVariables {
    return mergeVariables({ reward: this.reward, classifier: this.classifier });
  }

  act(obs: Float64Array, context: ActContext): Float32Array {
    const std = explorationStd(this.config, this.updates);
    const unit = tf.tidy(() => {
      const observation = tf.tensor2d(Float32Array.from(obs), [1, this.observationSize]);
      const policy = this.actor.distribution(observation, std);
      return context.deterministic ? policy.mode() : policy.sample(this.rng);
    });
    const values = unit.dataSync();
    unit.dispose();
    return this.scaling.toEnv(values);
  }

  update(_step: number): UpdateMetrics {
    const { config } = this;
    const c = config.classifierCoefficient;
    const noise: PolicyNoise = {
      std: explorationStd(config, this.updates + 1),
      clip: config.noiseClip,
      rng: this.rng,
    };
    this.replay.sampleTransitions(config.batchSize, this.rng, this.transitions);
    const batch: TransitionTensors = transitionTensors(this.transitions, this.scaling);
    const kept: Array<Record<string, Metric>> = [];
    let imagined: { next: tf.Tensor; realMask: tf.Tensor } | undefined;
    try {
      // 1. The model on the bound (plus the likelihood of real next observations).
      const modelStep = minimizeDeferred(this.modelOptimizer, this.model, () =>
        mnmModelLoss({
          actor: this.actor,
          model: this.model,
          reward: this.reward,
          classifier: this.classifier,
          critic: this.critic,
          observation: batch.observation,
          action: batch.action,
          nextObservation: batch.nextObservation,
          mleCoefficient: config.mleCoefficient,
          horizon: config.horizon,
          gamma: config.gamma,
          classifierCoefficient: c,
          noise,
        }),
      );
      kept.push(modelStep.metrics);

      // s'^ ~ q(. | s, a) from the model just updated; which rows the classifier sees real.
      imagined = tf.tidy(() => ({
        next: this.model.distribution(batch.observation, batch.action).rsample(this.rng),
        realMask: tf.tensor1d(halfRealMask(config.batchSize, this.rng)),
      }));
      const { next, realMask } = imagined;

      // 2. ALM Eq. 11 + Eq. 9 on observations: reward model and classifier, one optimizer.
      const rewardStep = minimizeDeferred(this.rewardOptimizer, this.rewardClassifierVariables(), () => {
        const rewardLoss = almRewardLoss({
          reward: this.reward,
          latent: batch.observation,
          action: batch.action,
          target: batch.reward,
        });
        const classifierLoss = almClassifierLoss({
          classifier: this.classifier,
          latent: batch.observation,
          action: batch.action,
          realNext: batch.nextObservation,
          imaginedNext: next,
          realMask,
        });
        return {
          loss: tf.add(rewardLoss.loss, classifierLoss.loss) as tf.Scalar,
          metrics: { ...rewardLoss.metrics, ...classifierLoss.metrics },
        };
      });
      kept.push(rewardStep.metrics);

      // 3. Critics: on the augmented reward along model transitions (MnM, K -> infinity), or
      // ALM Eq. 10 on real transitions (criticTransitions 'real', K = H).
      const criticStep = minimizeDeferred(this.criticOptimizer, this.critic, () =>
        config.criticTransitions === 'real'
          ? almCriticLoss({
              critic: this.critic,
              targetCritic: this.targetCritic,
              actor: this.actor,
              latent: batch.observation,
              action: batch.action,
              reward: batch.reward,
              nextLatent: batch.nextObservation,
              terminated: batch.terminated,
              gamma: config.gamma,
              noise,
            })
          : mnmCriticLoss({
              critic: this.critic,
              targetCritic: this.targetCritic,
              actor: this.actor,
              classifier: this.classifier,
              observation: batch.observation,
              action: batch.action,
              reward: batch.reward,
              terminated: batch.terminated,
              imaginedNext: next,
              gamma: config.gamma,
              classifierCoefficient: c,
              noise,
            }),
      );
      kept.push(criticStep.metrics);

      // 4. The policy: ALM Eq. 8 with the observation as the latent.
      const actorStep = minimizeDeferred(this.actorOptimizer, this.actor, () =>
        almPolicyLoss({
          actor: this.actor,
          model: this.model,
          reward: this.reward,
          classifier: this.classifier,
          critic: this.critic,
          latent: batch.observation,
          horizon: config.horizon,
          gamma: config.gamma,
          lambda: config.lambda,
          noise,
          terms: { classifierCoefficient: c },
        }),
      );
      kept.push(actorStep.metrics);

      this.updates += 1;
      if (this.updates % config.targetUpdateInterval === 0) {
        softUpdate(this.targetCritic, this.critic, config.tau);
      }
      const metrics = readMetrics(Object.assign({}, ...kept) as Record<string, Metric>);
      kept.length = 0;
      return {
        ...metrics,
        model_grad_norm: modelStep.gradNorm,
        reward_grad_norm: rewardStep.gradNorm,
        critic_grad_norm: criticStep.gradNorm,
        actor_grad_norm: actorStep.gradNorm,
        exploration_std: noise.std,
      };
    } finally {
      for (const metrics of kept) tf.dispose(Object.values(metrics).filter((m) => typeof m !== 'number'));
      if (imagined) tf.dispose(imagined);
      disposeTransitionTensors(batch);
    }
  }

  /** Every saved tensor by name: online and target networks. */
  parameters(): NamedVariables {
    return mergeVariables({
      model: this.model,
      reward: this.reward,
      classifier: this.classifier,
      critic: this.critic,
      critic_target: this.targetCritic,
      actor: this.actor,
    });
  }

  protected files(): Omit<AgentFiles, 'state'> {
    return {
      parameters: this.parameters(),
      optimizers: {
        model: { optimizer: this.modelOptimizer, variables: this.model },
        reward: { optimizer: this.rewardOptimizer, variables: this.rewardClassifierVariables() },
        critic: { optimizer: this.criticOptimizer, variables: this.critic },
        actor: { optimizer: this.actorOptimizer, variables: this.actor },
      },
    };
  }
}
