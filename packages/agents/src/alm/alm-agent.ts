/**
 * Aligned Latent Models (Ghugare et al.), Algorithm 1 on the DDPG-style base of the authors' code.
 * One update, in the authors' order:
 *
 *   sample K-step sequences and (separately) transitions from replay (the agent's own Rng)
 *   target encoder on s_{1..K} of the sequences and on s, s' of the transitions: once, shared
 *   1. encoder + model   <- Adam step on Eq. 7 (almEncoderModelLoss)         trains encoder.*, model.*
 *   2. reward + classifier <- Adam step on Eq. 11 + Eq. 9 (one optimizer)   trains reward.*, classifier.*
 *   3. critics           <- Adam step on Eq. 10 (almCriticLoss)              trains critic.*
 *   4. policy            <- Adam step on Eq. 8 (almPolicyLoss; or ALM-TD3)   trains actor.*
 *   target encoder, target critics <- Polyak averaging with tau, every targetUpdateInterval updates
 *
 * Steps 2-4 use latents sampled from the target encoder (Appendix D); the imagined next latents of
 * the classifier come from the model as updated in step 1, as in the authors' code. The four
 * optimizer groups are Table 4's (and the code's): which loss trains which network is the
 * variable list handed to each Adam step; everything else a loss touches is read only.
 *
 * Acting: z ~ e(. | s) (online encoder, sampled), a = clamp(pi(z) + N(0, std^2)) with the linear
 * std schedule of Table 3 at the updates done so far and no noise clip; evaluation takes
 * pi(z) itself (z still sampled, as the authors' code).
 */
import type { ActContext, UpdateMetrics } from '@mbrl-ts/harness';
import { Classifier, Encoder, LatentActor, LatentModel, RewardModel, TwinQCritic } from '@mbrl-ts/models';
import { Adam, DiagGaussian, mergeVariables, Rng, softUpdate, tf, type NamedVariables } from '@mbrl-ts/nn';
import {
  almClassifierLoss,
  almCriticLoss,
  almEncoderModelLoss,
  almPolicyLoss,
  almRewardLoss,
  almTd3PolicyLoss,
  halfRealMask,
  logRewardTransform,
  readMetrics,
  type Metric,
  type PolicyNoise,
  type ValueTransform,
} from '@mbrl-ts/objectives';
import {
  allocateSequenceBatch,
  allocateTransitionBatch,
  type ReplayBuffer,
  type SequenceBatch,
  type TransitionBatch,
} from '@mbrl-ts/replay';
import type { ActionScaling } from '../action-scaling';
import { type AgentFiles } from '../agent-files';
import { actionScalingFor, agentRngs, clipSetting, type AgentOptions } from '../agent-options';
import { CheckpointedAgent } from '../checkpointed-agent';
import { minimizeDeferred } from '../minimize-deferred';
import { explorationStd, type AlmConfig } from './config';

/** The tensors one update shares between its losses (all constants for the gradients). */
interface UpdateTensors {
  readonly firstObservation: tf.Tensor; // s_t of the sequences [B, obs]
  readonly sequenceActions: tf.Tensor; // [K, B, act]
  readonly targetNextMean: tf.Tensor; // e_target(. | s_{t+1..t+K}) [K, B, latent]
  readonly targetNextStd: tf.Tensor;
  readonly action: tf.Tensor; // transitions: a [B, act]
  readonly reward: tf.Tensor; // [B]
  readonly terminated: tf.Tensor; // [B]
  readonly latentMean: tf.Tensor; // e_target(. | s) [B, latent]
  readonly latentStd: tf.Tensor;
  readonly nextLatentMean: tf.Tensor; // e_target(. | s') [B, latent]
  readonly nextLatentStd: tf.Tensor;
}

export class AlmAgent extends CheckpointedAgent {
  readonly algo = 'alm';
  readonly config: AlmConfig;
  readonly encoder: Encoder;
  readonly targetEncoder: Encoder;
  readonly model: LatentModel;
  readonly reward: RewardModel;
  readonly classifier: Classifier;
  readonly critic: TwinQCritic;
  readonly targetCritic: TwinQCritic;
  readonly actor: LatentActor;
  /** Table 4's groups: encoder + model, reward + classifier, critic, actor. */
  readonly modelOptimizer: Adam;
  readonly rewardOptimizer: Adam;
  readonly criticOptimizer: Adam;
  readonly actorOptimizer: Adam;
  protected readonly observationSize: number;
  protected readonly actionSize: number;
  private readonly scaling: ActionScaling;
  private readonly replay: ReplayBuffer;
  private readonly sequences: SequenceBatch;
  private readonly transitions: TransitionBatch;
  private readonly transform: ValueTransform | undefined;
  protected rng: Rng;

  constructor(options: AgentOptions<AlmConfig>) {
    super();
    const { config, observationSize, actionSize } = options;
    this.config = config;
    this.observationSize = observationSize;
    this.actionSize = actionSize;
    this.scaling = actionScalingFor('AlmAgent', options);
    this.replay = options.replay;
    const { init, rng } = agentRngs(options.seed, 'alm');
    this.rng = rng;
    const { latentSize, hiddenSize } = config;
    this.encoder = Encoder.create({ observationSize, latentSize, hiddenSize, rng: init });
    this.targetEncoder = this.encoder.clone();
    this.model = LatentModel.create({
      latentSize,
      actionSize,
      hiddenSize: config.modelHiddenSize,
      rng: init,
    });
    this.reward = RewardModel.create({ latentSize, actionSize, hiddenSize, rng: init });
    this.classifier = Classifier.create({
      latentSize,
      actionSize,
      hiddenSize,
      linear: config.linearClassifier,
      rng: init,
    });
    this.critic = TwinQCritic.create({
      observationSize: latentSize,
      actionSize,
      hiddenSizes: [hiddenSize, hiddenSize],
      activation: 'elu',
      layerNormTanhFirst: true,
      rng: init,
    });
    this.targetCritic = this.critic.clone();
    this.actor = LatentActor.create({
      latentSize,
      actionSize,
      hiddenSize,
      learnedStd: config.entropyCoefficient > 0,
      rng: init,
    });
    const adam = () =>
      new Adam({ learningRate: config.learningRate, maxGradNorm: clipSetting(config.maxGradNorm) });
    this.modelOptimizer = adam();
    this.rewardOptimizer = adam();
    this.criticOptimizer = adam();
    this.actorOptimizer = adam();
    this.sequences = allocateSequenceBatch(config.horizon, config.batchSize, observationSize, actionSize);
    this.transitions = allocateTransitionBatch(config.batchSize, observationSize, actionSize);
    this.transform = logRewardTransform(config.logRewardShift);
  }

  /** Encoder and model: the variables Eq. 7 trains. */
  encoderModelVariables(): NamedVariables {
    return mergeVariables({ encoder: this.encoder, model: this.model });
  }

  /** Reward model and classifier: the variables Eq. 11 + Eq. 9 train (one optimizer). */
  rewardClassifierVariables(): NamedVariables {
    return mergeVariables({ reward: this.reward, classifier: this.classifier });
  }

  act(obs: Float64Array, context: ActContext): Float32Array {
    const std = explorationStd(this.config, this.updates);
    const unit = tf.tidy(() => {
      const observation = tf.tensor2d(Float32Array.from(obs), [1, this.observationSize]);
      const latent = this.encoder.distribution(observation).rsample(this.rng);
      const policy = this.actor.distribution(latent, std);
      return context.deterministic ? policy.mode() : policy.sample(this.rng);
    });
    const values = unit.dataSync();
    unit.dispose();
    return this.scaling.toEnv(values);
  }

  update(_step: number): UpdateMetrics {
    const { config } = this;
    const noise: PolicyNoise = {
      std: explorationStd(config, this.updates + 1),
      clip: config.noiseClip,
      rng: this.rng,
    };
    this.replay.sampleSequences(config.horizon, config.batchSize, this.rng, this.sequences);
    this.replay.sampleTransitions(config.batchSize, this.rng, this.transitions);
    const shared = this.updateTensors();
    const kept: Array<Record<string, Metric>> = [];
    try {
      // 1. Eq. 7: encoder and model.
      const model = minimizeDeferred(this.modelOptimizer, this.encoderModelVariables(), () =>
        almEncoderModelLoss({
          encoder: this.encoder,
          model: this.model,
          reward: this.reward,
          critic: this.critic,
          actor: this.actor,
          observation: shared.firstObservation,
          actions: shared.sequenceActions,
          targetNext: new DiagGaussian(shared.targetNextMean, shared.targetNextStd),
          noise,
          terms: {
            klTerm: config.klTerm,
            valueTerm: config.valueTerm,
            klCoefficient: config.klCoefficient,
            transform: this.transform,
          },
        }),
      );
      kept.push(model.metrics);

      // Target-encoder latents of the transitions, a fresh sample per loss (the authors' code);
      // the imagined next latents come from the model just updated.
      const latents = tf.tidy(() => {
        const current = new DiagGaussian(shared.latentMean, shared.latentStd);
        const next = new DiagGaussian(shared.nextLatentMean, shared.nextLatentStd);
        const imaginedNext = this.model
          .distribution(current.rsample(this.rng), shared.action)
          .rsample(this.rng);
        return {
          imaginedNext,
          rewardLatent: current.rsample(this.rng),
          rewardNext: next.rsample(this.rng),
          criticLatent: current.rsample(this.rng),
          criticNext: next.rsample(this.rng),
          actorLatent: current.rsample(this.rng),
          realMask: tf.tensor1d(halfRealMask(config.batchSize, this.rng)),
        };
      });
      try {
        // 2. Eq. 11 + Eq. 9: reward model and classifier, one optimizer.
        const rewardStep = minimizeDeferred(this.rewardOptimizer, this.rewardClassifierVariables(), () => {
          const rewardLoss = almRewardLoss({
            reward: this.reward,
            latent: latents.rewardLatent,
            action: shared.action,
            target: shared.reward,
          });
          const classifierLoss = almClassifierLoss({
            classifier: this.classifier,
            latent: latents.rewardLatent,
            action: shared.action,
            realNext: latents.rewardNext,
            imaginedNext: latents.imaginedNext,
            realMask: latents.realMask,
          });
          return {
            loss: tf.add(rewardLoss.loss, classifierLoss.loss) as tf.Scalar,
            metrics: { ...rewardLoss.metrics, ...classifierLoss.metrics },
          };
        });
        kept.push(rewardStep.metrics);

        // 3. Eq. 10: critics.
        const criticStep = minimizeDeferred(this.criticOptimizer, this.critic, () =>
          almCriticLoss({
            critic: this.critic,
            targetCritic: this.targetCritic,
            actor: this.actor,
            latent: latents.criticLatent,
            action: shared.action,
            reward: shared.reward,
            nextLatent: latents.criticNext,
            terminated: shared.terminated,
            gamma: config.gamma,
            noise,
          }),
        );
        kept.push(criticStep.metrics);

        // 4. Eq. 8 (or ALM-TD3): the policy.
        const actorStep = minimizeDeferred(this.actorOptimizer, this.actor, () =>
          config.actorLoss === 'td3'
            ? almTd3PolicyLoss({ actor: this.actor, critic: this.critic, latent: latents.actorLatent, noise })
            : almPolicyLoss({
                actor: this.actor,
                model: this.model,
                reward: this.reward,
                classifier: this.classifier,
                critic: this.critic,
                latent: latents.actorLatent,
                horizon: config.horizon,
                gamma: config.gamma,
                lambda: config.lambda,
                noise,
                terms: {
                  classifierReward: config.classifierReward,
                  classifierCoefficient: config.classifierCoefficient,
                  transform: this.transform,
                  entropyCoefficient: config.entropyCoefficient,
                },
              }),
        );
        kept.push(actorStep.metrics);

        this.updates += 1;
        if (this.updates % config.targetUpdateInterval === 0) {
          softUpdate(this.targetEncoder, this.encoder, config.tau);
          softUpdate(this.targetCritic, this.critic, config.tau);
        }
        const metrics = readMetrics(Object.assign({}, ...kept) as Record<string, Metric>);
        kept.length = 0;
        return {
          ...metrics,
          model_grad_norm: model.gradNorm,
          reward_grad_norm: rewardStep.gradNorm,
          critic_grad_norm: criticStep.gradNorm,
          actor_grad_norm: actorStep.gradNorm,
          exploration_std: noise.std,
        };
      } finally {
        tf.dispose(latents);
      }
    } finally {
      for (const metrics of kept) tf.dispose(Object.values(metrics).filter((m) => typeof m !== 'number'));
      tf.dispose(shared as unknown as tf.TensorContainer);
    }
  }

  /**
   * The update's shared constants: the sampled batches as tensors (actions mapped to [-1, 1]) and
   * one target-encoder pass over s_{t+1..t+K} of the sequences and s, s' of the transitions.
   */
  private updateTensors(): UpdateTensors {
    const { horizon: K, batchSize: B } = this.config;
    const obs = this.observationSize;
    const seq = this.sequences;
    const tr = this.transitions;
    const sequenceActions = this.scaling.toUnitInPlace(Float32Array.from(seq.action));
    const transitionActions = this.scaling.toUnitInPlace(Float32Array.from(tr.action));
    return tf.tidy(() => {
      const observations = tf.tensor2d(seq.observation, [(K + 1) * B, obs]);
      const [firstObservation, laterObservations] = tf.split(observations, [B, K * B], 0);
      const targetInput = tf.concat([
        laterObservations,
        tf.tensor2d(tr.observation, [B, obs]),
        tf.tensor2d(tr.nextObservation, [B, obs]),
      ]);
      const target = this.targetEncoder.distribution(targetInput);
      const latent = this.config.latentSize;
      const [seqMean, mean, nextMean] = tf.split(target.mean, [K * B, B, B], 0);
      const [seqStd, std, nextStd] = tf.split(target.std, [K * B, B, B], 0);
      return {
        firstObservation,
        sequenceActions: tf.tensor3d(sequenceActions, [K, B, this.actionSize]),
        targetNextMean: tf.reshape(seqMean, [K, B, latent]),
        targetNextStd: tf.reshape(seqStd, [K, B, latent]),
        action: tf.tensor2d(transitionActions, [B, this.actionSize]),
        reward: tf.tensor1d(tr.reward),
        terminated: tf.tensor1d(tr.terminated),
        latentMean: mean,
        latentStd: std,
        nextLatentMean: nextMean,
        nextLatentStd: nextStd,
      };
    });
  }

  /**
   * The K-step lower-bound estimate of the bias analysis (Figures 4 and 8; the authors'
   * `get_lower_bound`) for N state-action pairs: z_0 ~ e_target(. | s), a_0 = a, then K model
   * steps with the policy's mean actions,
   *
   *   L(s, a) = sum_{i<K} gamma^i ( r(z_i, a_i) + c log C/(1-C)(z_i, a_i, z_{i+1}) ) + gamma^K min Q(z_K, a_K).
   *
   * `observations` is [N * obs] row-major, `actions` [N * act] in the env's bounds. No gradients,
   * no change to the agent except its Rng.
   */
  lowerBound(observations: ArrayLike<number>, actions: ArrayLike<number>): Float64Array {
    const n = observations.length / this.observationSize;
    if (!Number.isInteger(n) || actions.length !== n * this.actionSize) {
      throw new RangeError(
        `AlmAgent.lowerBound: got ${observations.length} observation values and ${actions.length} action values; ` +
          `expected N * ${this.observationSize} and N * ${this.actionSize}`,
      );
    }
    const { horizon: K, gamma, classifierCoefficient } = this.config;
    const useClassifier = this.config.classifierReward;
    const unitActions = this.scaling.toUnitInPlace(Float32Array.from(actions));
    const bound = tf.tidy(() => {
      let latent = this.targetEncoder
        .distribution(tf.tensor2d(Float32Array.from(observations), [n, this.observationSize]))
        .rsample(this.rng);
      let action: tf.Tensor = tf.tensor2d(unitActions, [n, this.actionSize]);
      let total = tf.zeros([n]);
      for (let i = 0; i < K; i++) {
        const next = this.model.distribution(latent, action).rsample(this.rng);
        let reward = this.reward.forward(latent, action);
        if (useClassifier)
          reward = tf.add(
            reward,
            tf.mul(classifierCoefficient, this.classifier.reward(latent, action, next)),
          );
        total = tf.add(total, tf.mul(gamma ** i, reward));
        latent = next;
        action = this.actor.forward(latent);
      }
      return tf.add(total, tf.mul(gamma ** K, this.critic.minimum(latent, action)));
    });
    const values = Float64Array.from(bound.dataSync());
    bound.dispose();
    return values;
  }

  /** Every saved tensor by name: online and target networks. */
  parameters(): NamedVariables {
    return mergeVariables({
      encoder: this.encoder,
      encoder_target: this.targetEncoder,
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
        model: { optimizer: this.modelOptimizer, variables: this.encoderModelVariables() },
        reward: { optimizer: this.rewardOptimizer, variables: this.rewardClassifierVariables() },
        critic: { optimizer: this.criticOptimizer, variables: this.critic },
        actor: { optimizer: this.actorOptimizer, variables: this.actor },
      },
    };
  }
}
