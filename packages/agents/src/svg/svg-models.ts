/**
 * The learned model both SVG agents plan through: observation-space dynamics (trained on replayed
 * sequences), a reward head and a done head (trained on replayed transitions), each with its own
 * Adam, and the observation normaliser. Which loss trains which variables:
 *
 *   svgDynamicsLoss -> dynamics.*    (Adam, modelLearningRate, clip modelMaxGradNorm)
 *   svgRewardLoss   -> reward.*      (Adam, headLearningRate)
 *   svgDoneLoss     -> done.*        (Adam, headLearningRate)
 */
import { ObservationDynamics, StateActionHead } from '@mbrl-ts/models';
import { Adam, tf, type NamedVariables, type Rng } from '@mbrl-ts/nn';
import { svgDoneLoss, svgDynamicsLoss, svgRewardLoss, type TransitionTensors } from '@mbrl-ts/objectives';
import type { SequenceBatch } from '@mbrl-ts/replay';
import type { ActionScaling } from '../action-scaling';
import type { AgentFiles } from '../agent-files';
import { clipSetting } from '../agent-options';
import { minimizeObjective } from '../minimize';
import type { Svg1Config } from './config';
import { ObservationNormalizer } from './observation-normalizer';

/** The model settings both schemas carry. */
export type SvgModelConfig = Pick<
  Svg1Config,
  | 'modelLearningRate'
  | 'modelMaxGradNorm'
  | 'encoderHiddenSize'
  | 'encoderHiddenLayers'
  | 'latentSize'
  | 'recurrentLayers'
  | 'headHiddenSize'
  | 'headHiddenLayers'
  | 'headLearningRate'
  | 'normalizeObservations'
  | 'gamma'
  | 'tau'
  | 'targetUpdateInterval'
>;

export class SvgModels {
  readonly dynamics: ObservationDynamics;
  readonly reward: StateActionHead;
  readonly done: StateActionHead;
  readonly normalizer: ObservationNormalizer;
  readonly dynamicsOptimizer: Adam;
  readonly rewardOptimizer: Adam;
  readonly doneOptimizer: Adam;

  constructor(config: SvgModelConfig, observationSize: number, actionSize: number, rng: Rng) {
    this.dynamics = ObservationDynamics.create({
      observationSize,
      actionSize,
      encoderHiddenSize: config.encoderHiddenSize,
      encoderHiddenLayers: config.encoderHiddenLayers,
      latentSize: config.latentSize,
      recurrentLayers: config.recurrentLayers,
      rng,
    });
    const head = () =>
      StateActionHead.create({
        observationSize,
        actionSize,
        hiddenSize: config.headHiddenSize,
        hiddenLayers: config.headHiddenLayers,
        rng,
      });
    this.reward = head();
    this.done = head();
    this.normalizer = new ObservationNormalizer(observationSize, config.normalizeObservations);
    this.dynamicsOptimizer = new Adam({
      learningRate: config.modelLearningRate,
      maxGradNorm: clipSetting(config.modelMaxGradNorm),
    });
    this.rewardOptimizer = new Adam({ learningRate: config.headLearningRate });
    this.doneOptimizer = new Adam({ learningRate: config.headLearningRate });
  }

  /** One dynamics step on a replayed sequence batch (observations normalised here, in place). */
  fitDynamics(sequences: SequenceBatch, scaling: ActionScaling): Record<string, number> {
    const { horizon: K, batchSize: B, observationDim, actionDim } = sequences;
    this.normalizer.normalizeInPlace(sequences.observation);
    const observations = tf.tensor3d(sequences.observation, [K + 1, B, observationDim]);
    const actions = tf.tensor3d(scaling.toUnitInPlace(Float32Array.from(sequences.action)), [
      K,
      B,
      actionDim,
    ]);
    try {
      return minimizeObjective(this.dynamicsOptimizer, this.dynamics, () =>
        svgDynamicsLoss({ dynamics: this.dynamics, observations, actions }),
      );
    } finally {
      tf.dispose([observations, actions]);
    }
  }

  /** One dynamics step on the one-step sequences of a transition batch (SVG(1)). */
  fitOneStepDynamics(batch: TransitionTensors): Record<string, number> {
    const observations = tf.stack([batch.observation, batch.nextObservation]);
    const actions = tf.expandDims(batch.action, 0);
    try {
      return minimizeObjective(this.dynamicsOptimizer, this.dynamics, () =>
        svgDynamicsLoss({ dynamics: this.dynamics, observations, actions }),
      );
    } finally {
      tf.dispose([observations, actions]);
    }
  }

  /** One step each on the reward and done heads. */
  fitHeads(batch: TransitionTensors): Record<string, number> {
    const reward = minimizeObjective(this.rewardOptimizer, this.reward, () =>
      svgRewardLoss({
        reward: this.reward,
        observation: batch.observation,
        action: batch.action,
        target: batch.reward,
      }),
    );
    const done = minimizeObjective(this.doneOptimizer, this.done, () =>
      svgDoneLoss({
        done: this.done,
        observation: batch.observation,
        action: batch.action,
        terminated: batch.terminated,
      }),
    );
    return { ...reward, ...done };
  }

  /** The model's tensors by name, for the agent's parameter file. */
  parameters(): NamedVariables {
    const out: NamedVariables = new Map();
    for (const [name, v] of this.dynamics.variables('dynamics')) out.set(name, v);
    for (const [name, v] of this.reward.variables('reward')) out.set(name, v);
    for (const [name, v] of this.done.variables('done')) out.set(name, v);
    out.set('obs_norm.mean', this.normalizer.meanVariable);
    out.set('obs_norm.m2', this.normalizer.m2Variable);
    return out;
  }

  optimizers(): AgentFiles['optimizers'] {
    return {
      dynamics: { optimizer: this.dynamicsOptimizer, variables: this.dynamics },
      reward: { optimizer: this.rewardOptimizer, variables: this.reward },
      done: { optimizer: this.doneOptimizer, variables: this.done },
    };
  }

  dispose(): void {
    this.dynamics.dispose();
    this.reward.dispose();
    this.done.dispose();
    this.normalizer.dispose();
    this.dynamicsOptimizer.dispose();
    this.rewardOptimizer.dispose();
    this.doneOptimizer.dispose();
  }
}
