/**
 * Model-predictive control with a learned model (the lecture notes' naive model-based RL, seed 003,
 * Algorithm 1, with the policy replaced by a planner; PETS, Chua et al. 2018, when the model is a
 * probabilistic ensemble and the planner CEM):
 *
 *   collect   act(): plan H actions through the model from the current observation (random
 *             shooting or CEM, warm-started from the previous step's plan shifted by one step),
 *             execute the first, replan at the next step (uniformly random before the first fit)
 *   refit     update(): every `trainEvery` environment steps (and at the first update), fit the
 *             bootstrap ensemble on all data in replay for `epochs` epochs; between refits an
 *             update does nothing and reports nothing
 *
 * The ensemble maps (s, a) to (s' - s) and, when the task's reward is not a function of the
 * observations (see task-rewards.ts), the reward as one more output. Candidates are scored by
 * trajectory sampling (TS-infinity) with `particles` particles each.
 *
 * Random streams: training acts and refits draw from the agent's Rng (saved); an evaluation
 * (deterministic act) draws from its own stream seeded by the run seed and the step it is at, and
 * keeps its own warm start, so evaluating never changes what training does.
 */
import type { ActContext, UpdateMetrics } from '@mbrl-ts/contract';
import { Adam, Rng, tf, type NamedVariables } from '@mbrl-ts/nn';
import type { AgentFiles } from '../agent-files';
import { hiddenSizes, type AgentOptions } from '../agent-options';
import { CheckpointedAgent } from '../checkpointed-agent';
import { deriveSeed } from '../seeds';
import { BootstrapEnsemble, fitBootstrapEnsemble, type EnsembleData } from './bootstrap-ensemble';
import type { MpcConfig } from './config';
import {
  crossEntropyMethod,
  randomShooting,
  shiftPlan,
  type Planner,
  type PlanningProblem,
} from './planners';
import type { TaskReward } from './task-rewards';
import { trajectorySamplingReturns } from './trajectory-sampling';

export interface MpcAgentOptions extends AgentOptions<MpcConfig> {
  /** The task's reward function, when the planner should use it instead of learning one. */
  readonly taskReward?: TaskReward;
}

/** The planner a config names. */
export function plannerFor(config: MpcConfig): Planner {
  return config.planner === 'cem'
    ? crossEntropyMethod({
        candidates: config.candidates,
        elites: config.elites,
        iterations: config.iterations,
        alpha: config.alpha,
        initialStdFraction: config.initialStdFraction,
      })
    : randomShooting({ candidates: config.candidates });
}

export class MpcAgent extends CheckpointedAgent {
  readonly config: MpcConfig;
  readonly planner: Planner;
  readonly ensemble: BootstrapEnsemble;
  readonly optimizer: Adam;
  /** Undefined when the reward is learned (the ensemble's last output). */
  readonly taskReward?: TaskReward;
  /** The training stream's warm start [H * A] and where it is saved. */
  private warmStart: Float32Array;
  private readonly warmStartVariable: tf.Variable;
  /** The environment step of the last refit (-1: never fitted). */
  private lastFitStep = -1;
  private readonly runSeed: number;
  private evaluation: { step: number; rng: Rng; warmStart: Float32Array } | undefined;
  private readonly low: Float32Array;
  private readonly high: Float32Array;

  constructor(options: MpcAgentOptions, algo = 'mpc') {
    super(algo, options);
    const { config, observationSize, actionSize } = options;
    if (config.elites > config.candidates) {
      throw new RangeError(
        `mpc: elites (${config.elites}) must not exceed candidates (${config.candidates})`,
      );
    }
    if (config.particles % config.members !== 0) {
      throw new RangeError(
        `mpc: particles (${config.particles}) must be a multiple of members (${config.members}), so that every member propagates as many particles`,
      );
    }
    this.config = config;
    this.runSeed = options.seed;
    this.taskReward = config.reward === 'learned' ? undefined : options.taskReward;
    this.planner = plannerFor(config);
    this.low = Float32Array.from(options.actionLow);
    this.high = Float32Array.from(options.actionHigh);
    this.ensemble = BootstrapEnsemble.create({
      members: config.members,
      inputSize: observationSize + actionSize,
      outputSize: observationSize + (this.taskReward ? 0 : 1),
      hiddenSizes: hiddenSizes(config.hiddenLayers, config.hiddenSize),
      probabilistic: config.probabilistic,
      rng: this.init,
    });
    // PETS trains without gradient clipping
    this.optimizer = new Adam({ learningRate: config.learningRate, maxGradNorm: null });
    this.warmStart = this.centre();
    this.warmStartVariable = tf.variable(tf.tensor1d(this.warmStart), false);
  }

  /** The planning problem from `obs`: candidates scored by trajectory sampling through the ensemble. */
  problem(obs: Float64Array, rng: Rng): PlanningProblem {
    return {
      horizon: this.config.horizon,
      actionSize: this.actionSize,
      low: this.low,
      high: this.high,
      evaluate: (actions) =>
        trajectorySamplingReturns(
          {
            ensemble: this.ensemble,
            particles: this.config.particles,
            observationSize: this.observationSize,
            taskReward: this.taskReward,
            sample: this.config.probabilistic,
          },
          obs,
          actions,
          rng,
        ),
    };
  }

  act(obs: Float64Array, context: ActContext): Float32Array {
    // the harness's first act after the warm-up comes before the first update: with no fitted
    // model there is nothing to plan through, so that step explores as the warm-up did
    if (this.lastFitStep < 0 && !context.deterministic) {
      const action = new Float32Array(this.actionSize);
      for (let a = 0; a < this.actionSize; a++) action[a] = this.rng.uniformRange(this.low[a], this.high[a]);
      return action;
    }
    let rng: Rng;
    let start: Float32Array;
    if (context.deterministic) {
      if (this.evaluation?.step !== context.step) {
        this.evaluation = {
          step: context.step,
          rng: new Rng(deriveSeed(this.runSeed, `${this.algo}-eval-${context.step}`)),
          warmStart: this.centre(),
        };
      }
      ({ rng, warmStart: start } = this.evaluation);
    } else {
      // a new episode (the last stored transition ended one) plans from the box centre again
      if (this.replay.cursor.nextEpisodeStep === 0) this.warmStart = this.centre();
      rng = this.rng;
      start = this.warmStart;
    }
    const plan = this.planner.plan(this.problem(obs, rng), rng, start);
    const next = shiftPlan(plan.actions, this.actionSize, this.low, this.high);
    if (context.deterministic) (this.evaluation as { warmStart: Float32Array }).warmStart = next;
    else this.warmStart = next;
    const action = new Float32Array(this.actionSize);
    for (let a = 0; a < this.actionSize; a++) {
      action[a] = Math.min(this.high[a], Math.max(this.low[a], plan.actions[a]));
    }
    return action;
  }

  update(step: number): UpdateMetrics {
    if (this.lastFitStep >= 0 && step - this.lastFitStep < this.config.trainEvery) return {};
    const metrics = fitBootstrapEnsemble(
      this.ensemble,
      this.optimizer,
      this.trainingData(),
      { epochs: this.config.epochs, batchSize: this.config.batchSize },
      this.rng,
    );
    this.lastFitStep = step;
    this.updates += 1;
    return { ...metrics, model_rows: this.replay.size };
  }

  /** Every stored transition as (s, a) -> (s' - s[, r]). */
  trainingData(): EnsembleData {
    const { observation, action, reward, nextObservation } = this.replay.storage;
    const rows = this.replay.size;
    const O = this.observationSize;
    const A = this.actionSize;
    const outputs = this.ensemble.outputSize;
    const inputs = new Float32Array(rows * (O + A));
    const targets = new Float32Array(rows * outputs);
    for (let r = 0; r < rows; r++) {
      inputs.set(observation.subarray(r * O, (r + 1) * O), r * (O + A));
      inputs.set(action.subarray(r * A, (r + 1) * A), r * (O + A) + O);
      for (let k = 0; k < O; k++)
        targets[r * outputs + k] = nextObservation[r * O + k] - observation[r * O + k];
      if (outputs > O) targets[r * outputs + O] = reward[r];
    }
    return { rows, inputs, targets };
  }

  private centre(): Float32Array {
    const out = new Float32Array(this.config.horizon * this.actionSize);
    for (let k = 0; k < out.length; k++) {
      const a = k % this.actionSize;
      out[k] = (this.low[a] + this.high[a]) / 2;
    }
    return out;
  }

  /** Every saved tensor by name: the ensemble (weights, log-variance bounds, standardisation) and the warm start. */
  parameters(): NamedVariables {
    return new Map([...this.ensemble.variables('model'), ['planner.warm_start', this.warmStartVariable]]);
  }

  protected files(): Omit<AgentFiles, 'state'> {
    return {
      parameters: this.parameters(),
      optimizers: { model: { optimizer: this.optimizer, variables: this.ensemble.trainable() } },
    };
  }

  protected override stateExtras(): Record<string, number> {
    // the warm start lives in a Float32Array between checkpoints; the variable carries it to disk
    tf.tidy(() => this.warmStartVariable.assign(tf.tensor1d(this.warmStart)));
    return { lastFitStep: this.lastFitStep };
  }

  protected override afterLoad(extra: Readonly<Record<string, number>>): void {
    this.lastFitStep = extra.lastFitStep ?? -1;
    this.warmStart = Float32Array.from(this.warmStartVariable.dataSync() as Float32Array);
    this.evaluation = undefined;
  }
}
