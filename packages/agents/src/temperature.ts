/**
 * SAC's learned temperature (Haarnoja et al. 2018, "SAC algorithms and applications", Sec. 5), one
 * component for SAC and SAC-SVG: log alpha as a variable with its own Adam, one step on
 * sacTemperatureLoss per update against a target entropy, and alpha read back once per step (the
 * losses take it as a number).
 */
import { Adam, tf, type NamedVariables } from '@mbrl-ts/nn';
import { sacTemperatureLoss } from '@mbrl-ts/objectives';
import { minimizeObjective } from './minimize';

export interface LearnedTemperatureOptions {
  /** alpha before the first step (SAC v2: 1, the authors' SAC-SVG: 0.1). */
  readonly initialAlpha: number;
  readonly learningRate: number;
  /** Global-norm clip of the temperature's gradient: null for none, undefined for Adam's default. */
  readonly maxGradNorm?: number | null;
}

export class LearnedTemperature {
  readonly logAlpha: tf.Variable;
  readonly optimizer: Adam;
  private current: number;

  constructor(options: LearnedTemperatureOptions) {
    if (!(options.initialAlpha > 0)) {
      throw new RangeError(`LearnedTemperature: initialAlpha must be > 0, got ${options.initialAlpha}`);
    }
    this.logAlpha = tf.tidy(() => tf.variable(tf.scalar(Math.log(options.initialAlpha)), true));
    this.optimizer = new Adam({ learningRate: options.learningRate, maxGradNorm: options.maxGradNorm });
    this.current = Math.exp(this.logAlpha.dataSync()[0]);
  }

  /** exp(log alpha) as the losses use it. */
  get alpha(): number {
    return this.current;
  }

  /**
   * One Adam step on (-log alpha)(log pi mean + target entropy) (sacTemperatureLoss); trains
   * log_alpha only. Returns the loss as `temperature_loss`.
   */
  step(logProbMean: number, targetEntropy: number): Record<string, number> {
    const metrics = minimizeObjective(this.optimizer, [this.logAlpha], () =>
      sacTemperatureLoss({ logAlpha: this.logAlpha, logProbMean, targetEntropy }),
    );
    this.refresh();
    return metrics;
  }

  /** Read alpha from the variable again (after a checkpoint restored it). */
  refresh(): void {
    this.current = Math.exp(this.logAlpha.dataSync()[0]);
  }

  /** The one saved tensor, by the name checkpoints use. */
  variables(): NamedVariables {
    return new Map([['log_alpha', this.logAlpha]]);
  }

  /** What an agent's files list for the temperature's optimizer. */
  optimizerFile(): { optimizer: Adam; variables: NamedVariables } {
    return { optimizer: this.optimizer, variables: this.variables() };
  }
}
