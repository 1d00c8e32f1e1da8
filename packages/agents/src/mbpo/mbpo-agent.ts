/**
 * MBPO (Janner et al. 2019, "When to Trust Your Model: Model-Based Policy Optimization",
 * Algorithm 2): SAC trained mostly on short model rollouts branched from real states. One `update`
 * is one environment step's worth:
 *
 *   at the first update and every modelTrainEvery environment steps:
 *     train the dynamics ensemble on every real transition (dynamics-training.ts: held-out split,
 *       bootstrap per member, early stopping, elites by held-out error)   (trains model.* only)
 *     k = the task's rollout length at this epoch (tasks.ts); resize the model buffer to
 *       rolloutBatchSize x k x epochLength / modelTrainEvery x modelRetainEpochs, keeping the newest
 *     branch rolloutBatchSize real states; k steps: a ~ pi(.|s) (unit actions), one elite drawn per
 *       row (the agent's Rng), s' = s + delta and r sampled from its Gaussian; rows the task's
 *       termination function ends stop there; every model transition goes to the model buffer
 *   repeat policyUpdatesPerStep times: a batch of realRatio real and (1 - realRatio) model rows,
 *     SAC's critic, actor and temperature steps and the target update, as SacAgent does
 *
 * The model buffer, the ensemble, its optimizer and normaliser, the elites and the counters are
 * all saved, so a resumed run continues exactly.
 */
import { join } from 'node:path';
import { ConfigError, type ActContext, type UpdateMetrics } from '@mbrl-ts/contract';
import { ProbabilisticEnsemble, SquashedGaussianActor, TwinQCritic } from '@mbrl-ts/models';
import { Adam, mergeVariables, softUpdate, tf, type NamedVariables } from '@mbrl-ts/nn';
import {
  gaussianEnsembleLoss,
  readMetrics,
  sacActorLoss,
  sacCriticLoss,
  type GaussianEnsembleInputs,
  type Metric,
  type SacActorInputs,
  type SacCriticInputs,
  type TransitionTensors,
} from '@mbrl-ts/objectives';
import {
  allocateTransitionBatch,
  loadReplaySnapshot,
  ReplayBuffer,
  saveReplaySnapshot,
  type TransitionBatch,
} from '@mbrl-ts/replay';
import { type AgentFiles } from '../agent-files';
import { clipSetting, hiddenSizes, type AgentOptions } from '../agent-options';
import { CheckpointedAgent } from '../checkpointed-agent';
import { minimizeDeferred } from '../minimize';
import { LearnedTemperature } from '../temperature';
import { withTerms, type Objective } from '../terms';
import { disposeTransitionTensors, transitionTensors } from '../transition-tensors';
import {
  MBPO_IMPROVEMENT_THRESHOLD,
  MBPO_LOG_VAR_BOUND_COEFFICIENT,
  MBPO_MODEL_WEIGHT_DECAYS,
  type MbpoConfig,
} from './config';
import {
  dynamicsData,
  InputNormalizer,
  trainDynamics,
  type DynamicsTrainingResult,
} from './dynamics-training';
import { rolloutLength, type MbpoTask } from './tasks';

export interface MbpoTerms {
  /** The dynamics ensemble's maximum-likelihood loss. */
  readonly modelLoss: Objective<GaussianEnsembleInputs>;
  readonly criticLoss: Objective<SacCriticInputs>;
  /** Must report `log_prob_mean` for the temperature. */
  readonly actorLoss: Objective<SacActorInputs>;
}
export const MBPO_TERMS: MbpoTerms = {
  modelLoss: gaussianEnsembleLoss,
  criticLoss: sacCriticLoss,
  actorLoss: sacActorLoss,
};

/** The authors' decays per model layer for `hiddenLayers` hidden layers: 2.5e-5, 5e-5, 7.5e-5, 7.5e-5 (then 7.5e-5), output 1e-4. */
export function modelWeightDecays(hiddenLayers: number): number[] {
  const hidden = MBPO_MODEL_WEIGHT_DECAYS.slice(0, 4);
  return [
    ...Array.from({ length: hiddenLayers }, (_, i) => hidden[Math.min(i, 3)]),
    MBPO_MODEL_WEIGHT_DECAYS[4],
  ];
}

/** Model buffer size for rollout length k (the authors' formula). */
export function modelBufferCapacity(config: MbpoConfig, task: MbpoTask, k: number): number {
  const rolloutsPerEpoch = (config.rolloutBatchSize * task.epochLength) / config.modelTrainEvery;
  return Math.max(1, config.modelRetainEpochs * Math.floor(k * rolloutsPerEpoch));
}

/** Rows of the policy batch that are real: floor(batchSize x realRatio) (the authors' split). */
export function realRows(config: Pick<MbpoConfig, 'batchSize' | 'realRatio'>): number {
  return Math.floor(config.batchSize * config.realRatio);
}

export interface MbpoAgentOptions extends AgentOptions<MbpoConfig> {
  /** The task's schedule and termination (MBPO_TASKS[envId]). */
  readonly task: MbpoTask;
}

export class MbpoAgent extends CheckpointedAgent {
  get minReplaySize(): number {
    return Math.max(2, realRows(this.config));
  }
  readonly config: MbpoConfig;
  readonly task: MbpoTask;
  readonly terms: MbpoTerms;
  readonly actor: SquashedGaussianActor;
  readonly critic: TwinQCritic;
  readonly targetCritic: TwinQCritic;
  readonly temperature: LearnedTemperature;
  readonly targetEntropy: number;
  readonly actorOptimizer: Adam;
  readonly criticOptimizer: Adam;
  readonly model: ProbabilisticEnsemble;
  readonly modelOptimizer: Adam;
  readonly normalizer: InputNormalizer;
  /** Model rollouts; resized when the rollout length changes. */
  modelBuffer: ReplayBuffer;
  /** The members rollouts draw from (set by each model training). */
  elites: number[] = [];
  modelTrainings = 0;
  lastTraining: DynamicsTrainingResult | null = null;
  private readonly realBatch: TransitionBatch | null;
  private readonly modelBatch: TransitionBatch;

  constructor(options: MbpoAgentOptions, terms: Partial<MbpoTerms> = {}, algo = 'mbpo') {
    super(algo, options);
    const { config, observationSize, actionSize, task } = options;
    if (config.eliteCount > config.ensembleSize) {
      throw new ConfigError(
        `mbpo: eliteCount (${config.eliteCount}) must not exceed ensembleSize (${config.ensembleSize})`,
      );
    }
    const real = realRows(config);
    if (real >= config.batchSize) {
      throw new ConfigError(
        `mbpo: realRatio ${config.realRatio} leaves no model rows in a batch of ${config.batchSize}; use realRatio < 1 or SAC`,
      );
    }
    this.config = config;
    this.task = task;
    this.terms = withTerms('MbpoAgent', MBPO_TERMS, terms);
    const { init } = this;
    const sizes = hiddenSizes(config.hiddenLayers, config.hiddenSize);
    this.actor = SquashedGaussianActor.create({ observationSize, actionSize, hiddenSizes: sizes, rng: init });
    this.critic = TwinQCritic.create({ observationSize, actionSize, hiddenSizes: sizes, rng: init });
    this.targetCritic = this.critic.clone();
    this.model = ProbabilisticEnsemble.create({
      observationSize,
      actionSize,
      ensembleSize: config.ensembleSize,
      hiddenSizes: hiddenSizes(config.modelHiddenLayers, config.modelHiddenSize),
      rng: init,
    });
    this.normalizer = new InputNormalizer(observationSize + actionSize);
    this.targetEntropy = config.targetEntropyPerActionDim * actionSize;
    const adam = () => new Adam({ learningRate: config.learningRate, maxGradNorm: clipSetting(0) });
    this.actorOptimizer = adam();
    this.criticOptimizer = adam();
    this.modelOptimizer = new Adam({ learningRate: config.modelLearningRate, maxGradNorm: clipSetting(0) });
    this.temperature = new LearnedTemperature({
      initialAlpha: config.initialAlpha,
      learningRate: config.learningRate,
      maxGradNorm: clipSetting(0),
    });
    this.modelBuffer = new ReplayBuffer({
      capacity: modelBufferCapacity(config, task, this.currentRolloutLength(0)),
      observationDim: observationSize,
      actionDim: actionSize,
    });
    this.realBatch = real > 0 ? allocateTransitionBatch(real, observationSize, actionSize) : null;
    this.modelBatch = allocateTransitionBatch(config.batchSize - real, observationSize, actionSize);
  }

  /** k at environment step `step` (the task's schedule over MBPO epochs). */
  currentRolloutLength(step: number): number {
    return rolloutLength(this.task.schedule, Math.floor(step / this.task.epochLength));
  }

  act(obs: Float64Array, context: ActContext): Float32Array {
    return this.scaling.toEnv(this.actor.act(obs, this.rng, context.deterministic));
  }

  update(step: number): UpdateMetrics {
    const { config } = this;
    let modelMetrics: Record<string, number> = {};
    if (this.modelTrainings === 0 || step % config.modelTrainEvery === 0) {
      modelMetrics = this.trainModelAndRollOut(step);
    }
    const kept: Array<Record<string, Metric>> = [];
    let actorMetrics: Record<string, number> = {};
    let temperatureLoss: number | undefined;
    try {
      for (let g = 0; g < config.policyUpdatesPerStep; g++) {
        const batch = this.mixedBatch();
        try {
          const { alpha } = this.temperature;
          kept.push(
            minimizeDeferred(this.criticOptimizer, this.critic, () =>
              this.terms.criticLoss({
                critic: this.critic,
                targetCritic: this.targetCritic,
                actor: this.actor,
                batch,
                alpha,
                gamma: config.gamma,
                rng: this.rng,
              }),
            ).metrics,
          );
          actorMetrics = readMetrics(
            minimizeDeferred(this.actorOptimizer, this.actor, () =>
              this.terms.actorLoss({
                actor: this.actor,
                critic: this.critic,
                observation: batch.observation,
                alpha,
                rng: this.rng,
              }),
            ).metrics,
          );
          temperatureLoss = this.temperature.step(
            actorMetrics.log_prob_mean,
            this.targetEntropy,
          ).temperature_loss;
          softUpdate(this.targetCritic, this.critic, config.tau);
        } finally {
          disposeTransitionTensors(batch);
        }
      }
      this.updates += 1;
      return {
        ...modelMetrics,
        ...meanOf(kept.splice(0)),
        actor_loss: actorMetrics.actor_loss,
        entropy: actorMetrics.entropy,
        temperature_loss: temperatureLoss as number,
        alpha: this.temperature.alpha,
        model_buffer_size: this.modelBuffer.size,
      };
    } finally {
      for (const metrics of kept)
        tf.dispose(Object.values(metrics).filter((v): v is tf.Scalar => typeof v !== 'number'));
    }
  }

  /** floor(batchSize x realRatio) real rows, then model rows, as one batch of tensors. */
  mixedBatch(): TransitionTensors {
    const modelRows = this.modelBatch.batchSize;
    this.modelBuffer.sampleTransitions(modelRows, this.rng, this.modelBatch);
    const model = transitionTensors(this.modelBatch, this.scaling);
    if (this.realBatch === null) return model;
    this.replay.sampleTransitions(this.realBatch.batchSize, this.rng, this.realBatch);
    const real = transitionTensors(this.realBatch, this.scaling);
    const joined = {
      observation: tf.concat([real.observation, model.observation], 0),
      action: tf.concat([real.action, model.action], 0),
      reward: tf.concat([real.reward, model.reward], 0),
      nextObservation: tf.concat([real.nextObservation, model.nextObservation], 0),
      terminated: tf.concat([real.terminated, model.terminated], 0),
    };
    disposeTransitionTensors(real);
    disposeTransitionTensors(model);
    return joined;
  }

  /** Retrain the ensemble on all real data, then refill the model buffer with fresh rollouts. */
  trainModelAndRollOut(step: number): Record<string, number> {
    const { config } = this;
    const result = trainDynamics({
      model: this.model,
      optimizer: this.modelOptimizer,
      normalizer: this.normalizer,
      data: dynamicsData(this.replay, this.scaling),
      settings: {
        eliteCount: config.eliteCount,
        batchSize: config.modelBatchSize,
        holdoutRatio: config.modelHoldoutRatio,
        maxHoldout: config.modelMaxHoldout,
        patience: config.modelPatience,
        maxEpochs: config.modelMaxEpochs,
        improvementThreshold: MBPO_IMPROVEMENT_THRESHOLD,
        boundCoefficient: MBPO_LOG_VAR_BOUND_COEFFICIENT,
        weightDecays: modelWeightDecays(config.modelHiddenLayers),
      },
      rng: this.rng,
      modelLoss: this.terms.modelLoss,
    });
    this.elites = result.elites;
    this.lastTraining = result;
    this.modelTrainings += 1;
    const k = this.currentRolloutLength(step);
    this.resizeModelBuffer(modelBufferCapacity(config, this.task, k));
    const added = this.rollOut(k);
    const eliteErrors = result.elites.map((m) => result.heldOutErrors[m]);
    return {
      model_epochs: result.epochs,
      model_loss: result.lastLoss,
      model_holdout_mse: eliteErrors.reduce((a, b) => a + b, 0) / eliteErrors.length,
      rollout_length: k,
      rollout_transitions: added,
    };
  }

  /** Keep the newest min(size, capacity) model transitions in a buffer of `capacity`. */
  private resizeModelBuffer(capacity: number): void {
    const old = this.modelBuffer;
    if (old.capacity === capacity) return;
    const next = new ReplayBuffer({ capacity, observationDim: old.observationDim, actionDim: old.actionDim });
    const keep = Math.min(old.size, capacity);
    const { observation, action, reward, nextObservation, terminated } = old.storage;
    const o = old.observationDim;
    const a = old.actionDim;
    for (let i = old.size - keep; i < old.size; i++) {
      const slot = (old.oldestSlot + i) % old.capacity;
      next.add({
        observation: observation.subarray(slot * o, (slot + 1) * o),
        action: action.subarray(slot * a, (slot + 1) * a),
        reward: reward[slot],
        nextObservation: nextObservation.subarray(slot * o, (slot + 1) * o),
        terminated: terminated[slot] === 1,
      });
    }
    this.modelBuffer = next;
  }

  /**
   * k-step rollouts from rolloutBatchSize real states (in chunks), each row through one elite
   * drawn from the agent's Rng; returns the transitions added to the model buffer.
   */
  rollOut(k: number): number {
    const { config } = this;
    const o = this.observationSize;
    const a = this.actionSize;
    const chunk = Math.min(config.rolloutBatchSize, 10_000);
    const real = this.replay.storage.observation;
    let added = 0;
    for (let done = 0; done < config.rolloutBatchSize; done += chunk) {
      const rows = Math.min(chunk, config.rolloutBatchSize - done);
      // start states drawn uniformly with replacement (there may be fewer real states than rollouts)
      let state = new Float32Array(rows * o);
      for (let r = 0; r < rows; r++) {
        const slot = this.rng.int(this.replay.size);
        state.set(real.subarray(slot * o, (slot + 1) * o), r * o);
      }
      for (let t = 0; t < k && state.length > 0; t++) {
        const live = state.length / o;
        const step = this.modelStep(state, live);
        const next: number[] = [];
        for (let r = 0; r < live; r++) {
          const nextObservation = step.nextObservation.subarray(r * o, (r + 1) * o);
          const terminated = this.task.terminated(nextObservation);
          const unitAction = step.action.subarray(r * a, (r + 1) * a);
          if (!nextObservation.every(Number.isFinite) || !Number.isFinite(step.reward[r])) continue;
          this.modelBuffer.add({
            observation: state.subarray(r * o, (r + 1) * o),
            action: this.scaling.toEnv(unitAction),
            reward: step.reward[r],
            nextObservation,
            terminated,
          });
          added += 1;
          if (!terminated) next.push(r);
        }
        const kept = new Float32Array(next.length * o);
        next.forEach((r, i) => kept.set(step.nextObservation.subarray(r * o, (r + 1) * o), i * o));
        state = kept;
      }
    }
    return added;
  }

  /** One model step for `rows` states: unit actions from the policy, r and s' from one elite per row. */
  private modelStep(
    state: Float32Array,
    rows: number,
  ): { action: Float32Array; reward: Float32Array; nextObservation: Float32Array } {
    const o = this.observationSize;
    const e = this.elites.length;
    const pick = Int32Array.from({ length: rows }, () => this.rng.int(e));
    const noise = this.rng.fillNormalZiggurat(new Float32Array(rows * (o + 1)));
    const [action, sample] = tf.tidy(() => {
      const s = tf.tensor2d(state, [rows, o]);
      const unit = this.actor.sample(s, this.rng).action;
      const input = this.normalizer.normalize(tf.concat([s, unit], -1));
      const tiled = tf.tile(tf.expandDims(input, 0), [e, 1, 1]);
      const { mean, logVar } = this.model.predict(tiled, this.elites); // [E, rows, D]
      // row r takes elite pick[r]: a one-hot over the elites, summed away
      const choice = tf.transpose(tf.oneHot(tf.tensor1d(pick, 'int32'), e)); // [E, rows]
      const weight = tf.expandDims(choice, 2);
      const mu = tf.sum(tf.mul(mean, weight), 0);
      const std = tf.sqrt(tf.exp(tf.sum(tf.mul(logVar, weight), 0)));
      const drawn = tf.add(mu, tf.mul(std, tf.tensor2d(noise, [rows, o + 1])));
      return [unit, drawn];
    });
    const actionValues = action.dataSync() as Float32Array;
    const values = sample.dataSync() as Float32Array;
    tf.dispose([action, sample]);
    const reward = new Float32Array(rows);
    const nextObservation = new Float32Array(rows * o);
    for (let r = 0; r < rows; r++) {
      reward[r] = values[r * (o + 1)];
      for (let j = 0; j < o; j++) nextObservation[r * o + j] = state[r * o + j] + values[r * (o + 1) + 1 + j];
    }
    return { action: Float32Array.from(actionValues), reward, nextObservation };
  }

  parameters(): NamedVariables {
    return new Map([
      ...mergeVariables({
        actor: this.actor,
        critic: this.critic,
        critic_target: this.targetCritic,
        model: this.model,
      }),
      ...this.normalizer.variables(),
      ...this.temperature.variables(),
    ]);
  }

  protected files(): Omit<AgentFiles, 'state'> {
    return {
      parameters: this.parameters(),
      optimizers: {
        actor: { optimizer: this.actorOptimizer, variables: this.actor },
        critic: { optimizer: this.criticOptimizer, variables: this.critic },
        model: { optimizer: this.modelOptimizer, variables: this.model },
        alpha: this.temperature.optimizerFile(),
      },
    };
  }

  protected override stateExtras(): Record<string, number> {
    return {
      modelTrainings: this.modelTrainings,
      eliteCount: this.elites.length,
      ...Object.fromEntries(this.elites.map((m, i) => [`elite${i}`, m])),
    };
  }

  protected override afterLoad(extra: Readonly<Record<string, number>>): void {
    this.temperature.refresh();
    this.modelTrainings = extra.modelTrainings ?? 0;
    this.elites = Array.from({ length: extra.eliteCount ?? 0 }, (_, i) => extra[`elite${i}`]);
  }

  override async save(dir: string): Promise<void> {
    await super.save(dir);
    await saveReplaySnapshot(this.modelBuffer, join(dir, 'model_buffer'));
  }

  override async load(dir: string): Promise<void> {
    await super.load(dir);
    this.modelBuffer = await loadReplaySnapshot(join(dir, 'model_buffer'));
  }

  override dispose(): void {
    super.dispose();
  }

  get logAlpha(): tf.Variable {
    return this.temperature.logAlpha;
  }
}

function meanOf(steps: ReadonlyArray<Record<string, Metric>>): Record<string, number> {
  const flat: Record<string, Metric> = {};
  steps.forEach((metrics, g) => {
    for (const [name, value] of Object.entries(metrics)) flat[`${g}:${name}`] = value;
  });
  const values = readMetrics(flat);
  const sums: Record<string, number> = {};
  for (const [key, value] of Object.entries(values)) {
    const name = key.slice(key.indexOf(':') + 1);
    sums[name] = (sums[name] ?? 0) + value / steps.length;
  }
  return sums;
}
