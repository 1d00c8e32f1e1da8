/**
 * MBPO's dynamics model (Janner et al. 2019, "When to Trust Your Model: Model-Based Policy
 * Optimization", Sec. 4 and Appendix C; the probabilistic ensemble of Chua et al. 2018, PETS): N
 * MLPs on the normalised [s, a], each with a Gaussian head over [r, s' - s] (reward, then the
 * change of the observation), all N held in EnsembleLinear weights so a pass of every member is
 * one batched product per layer.
 *
 * Each head outputs a mean and a raw log-variance; the log-variance is kept inside learned bounds
 * by two soft clamps (PETS Appendix A.1):
 *
 *   logVar = maxLogVar - softplus(maxLogVar - raw)
 *   logVar = minLogVar + softplus(logVar - minLogVar)
 *
 * maxLogVar starts at 0.5 and minLogVar at -10 (the MBPO authors' values) and both are trained by
 * the model loss, which also pulls them together (objectives' gaussianEnsembleLoss). One pair per
 * member ([N, 1, D]), so a member's best state during training can be kept whole.
 *
 * Sizes (MBPO Appendix C): 7 members, 4 hidden layers of 200 units with swish (x * sigmoid(x)).
 * Variables: `<layer>.weight`, `<layer>.bias`, `max_log_var`, `min_log_var`.
 */
import { Module, cloneVariable, tf, variableFrom, type Rng } from '@mbrl-ts/nn';
import { EnsembleLinear } from './ensemble-linear';

export interface ProbabilisticEnsembleOptions {
  readonly observationSize: number;
  readonly actionSize: number;
  /** N. MBPO: 7. */
  readonly ensembleSize: number;
  /** Hidden widths of each member. MBPO: [200, 200, 200, 200]. */
  readonly hiddenSizes: readonly number[];
  readonly rng: Rng;
}

/** The Gaussian over [r, s' - s] of each member's rows: mean and bounded log-variance [K, B, D]. */
export interface EnsemblePrediction {
  readonly mean: tf.Tensor3D;
  readonly logVar: tf.Tensor3D;
}

export const MBPO_INITIAL_MAX_LOG_VAR = 0.5;
export const MBPO_INITIAL_MIN_LOG_VAR = -10;

export class ProbabilisticEnsemble extends Module {
  readonly layers: readonly EnsembleLinear[];
  readonly maxLogVar: tf.Variable;
  readonly minLogVar: tf.Variable;

  constructor(
    readonly observationSize: number,
    readonly actionSize: number,
    layers: readonly EnsembleLinear[],
    bounds?: { maxLogVar: tf.Variable; minLogVar: tf.Variable },
  ) {
    super();
    this.layers = layers.map((layer, i) => this.addChild(String(i), layer));
    const n = layers[0].members;
    const d = observationSize + 1;
    if (
      layers[0].inFeatures !== observationSize + actionSize ||
      layers[layers.length - 1].outFeatures !== 2 * d
    ) {
      throw new RangeError(
        `ProbabilisticEnsemble: layers must map ${observationSize + actionSize} inputs to 2 x ${d} outputs`,
      );
    }
    this.maxLogVar = this.addVariable(
      'max_log_var',
      bounds?.maxLogVar ?? variableFrom(() => tf.fill([n, 1, d], MBPO_INITIAL_MAX_LOG_VAR)),
    );
    this.minLogVar = this.addVariable(
      'min_log_var',
      bounds?.minLogVar ?? variableFrom(() => tf.fill([n, 1, d], MBPO_INITIAL_MIN_LOG_VAR)),
    );
  }

  static create(options: ProbabilisticEnsembleOptions): ProbabilisticEnsemble {
    const { observationSize, actionSize, ensembleSize, rng } = options;
    const widths = [observationSize + actionSize, ...options.hiddenSizes, 2 * (observationSize + 1)];
    const layers: EnsembleLinear[] = [];
    for (let i = 0; i + 1 < widths.length; i++)
      layers.push(new EnsembleLinear(ensembleSize, widths[i], widths[i + 1], { rng }));
    return new ProbabilisticEnsemble(observationSize, actionSize, layers);
  }

  get ensembleSize(): number {
    return this.layers[0].members;
  }

  /** Width of the predicted vector [r, s' - s]: observationSize + 1. */
  get outputSize(): number {
    return this.observationSize + 1;
  }

  /** The layers' weights, input layer first (for the weight decay of the model loss). */
  weights(): tf.Variable[] {
    return this.layers.map((layer) => layer.weight);
  }

  /**
   * Every member on its own rows: normalised inputs [N, B, obs + act] -> mean and log-variance
   * [N, B, D]; with `members`, row k of the input through member members[k].
   */
  predict(input: tf.Tensor, members?: readonly number[]): EnsemblePrediction {
    return tf.tidy(() => {
      let x: tf.Tensor = input;
      this.layers.forEach((layer, i) => {
        x = members === undefined ? layer.forward(x) : layer.forwardMembers(x, members);
        if (i + 1 < this.layers.length) x = tf.mul(x, tf.sigmoid(x)); // swish
      });
      const [mean, raw] = tf.split(x, 2, -1) as [tf.Tensor3D, tf.Tensor3D];
      const pick = (v: tf.Variable) =>
        members === undefined
          ? v
          : tf.concat(
              members.map((m) => tf.slice(v, [m, 0, 0], [1, -1, -1])),
              0,
            );
      const max = pick(this.maxLogVar);
      const min = pick(this.minLogVar);
      const upper = tf.sub(max, tf.softplus(tf.sub(max, raw)));
      const logVar = tf.add(min, tf.softplus(tf.sub(upper, min))) as tf.Tensor3D;
      return { mean, logVar };
    });
  }

  override clone(): ProbabilisticEnsemble {
    return new ProbabilisticEnsemble(
      this.observationSize,
      this.actionSize,
      this.layers.map((layer) => layer.clone()),
      { maxLogVar: cloneVariable(this.maxLogVar), minLogVar: cloneVariable(this.minLogVar) },
    );
  }
}
