/**
 * A bootstrap ensemble of dynamics models (the lecture notes' Section 1.3, seed 003; PETS, Chua et
 * al. 2018): B networks of the same shape, each trained on its own bootstrap resample of the data,
 * so that their disagreement stands for the epistemic uncertainty. With `probabilistic`, each
 * member is a Gaussian head (mean and log-variance, PETS's "PE" model) and its training loss is the
 * Gaussian negative log-likelihood; else it predicts a point and is trained by squared error.
 *
 * The members are one set of batched weights: layer l holds weight [B, in, out] and bias
 * [B, 1, out], so that inputs [B, M, in] (M rows for each member) go through all members as one
 * batched product per layer. Inputs are standardised with the data's mean and std, targets too
 * (the statistics are refreshed at every fit and saved with the weights).
 *
 * PETS's choices carried over: swish hidden units; weights from a normal of std 1 / (2 sqrt(in))
 * truncated at 2 std; the log-variance softly bounded between learned maxLogVar (init 0.5) and
 * minLogVar (init -10), with 0.01 (sum maxLogVar - sum minLogVar) added to the loss. PETS's
 * per-layer weight decay is not used here.
 */
import { Module, tf, variableFrom, type Adam, type NamedVariables, type Rng } from '@mbrl-ts/nn';

export interface BootstrapEnsembleOptions {
  /** B: ensemble members. */
  readonly members: number;
  readonly inputSize: number;
  readonly outputSize: number;
  readonly hiddenSizes: readonly number[];
  /** Gaussian heads (mean, log-variance) instead of point predictions. */
  readonly probabilistic: boolean;
  /** The stream the initial weights draw from. */
  readonly rng: Rng;
}

/** What the members predict for inputs [B, M, in], in the data's units. */
export interface EnsemblePrediction {
  /** [B, M, out] */
  readonly mean: tf.Tensor3D;
  /** [B, M, out]; absent for point predictions. */
  readonly logVar?: tf.Tensor3D;
}

/** Training data as flat rows: inputs [n, in], targets [n, out]. */
export interface EnsembleData {
  readonly rows: number;
  readonly inputs: Float32Array;
  readonly targets: Float32Array;
}

export interface EnsembleFitOptions {
  readonly epochs: number;
  readonly batchSize: number;
}

const STD_FLOOR = 1e-6;

function truncatedNormalWeights(size: number, std: number, rng: Rng): Float32Array {
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    let z = rng.normal();
    while (Math.abs(z) > 2) z = rng.normal();
    out[i] = z * std;
  }
  return out;
}

/**
 * Each member's bootstrap resample: n row indices drawn uniformly with replacement, one Int32Array
 * per member (the notes: "sample the D_i with replacement from D").
 */
export function bootstrapIndices(rows: number, members: number, rng: Rng): Int32Array[] {
  return Array.from({ length: members }, () => {
    const idx = new Int32Array(rows);
    for (let i = 0; i < rows; i++) idx[i] = rng.int(rows);
    return idx;
  });
}

/** Fisher-Yates, in place, from the Rng. */
export function shuffleInPlace(values: Int32Array, rng: Rng): Int32Array {
  for (let i = values.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = values[i];
    values[i] = values[j];
    values[j] = t;
  }
  return values;
}

export class BootstrapEnsemble extends Module {
  readonly members: number;
  readonly inputSize: number;
  readonly outputSize: number;
  readonly hiddenSizes: readonly number[];
  readonly probabilistic: boolean;
  /** [B, in, out] per layer. */
  readonly weights: tf.Variable[] = [];
  /** [B, 1, out] per layer. */
  readonly biases: tf.Variable[] = [];
  /** Soft bounds of the log-variance [out] (probabilistic only). */
  readonly maxLogVar?: tf.Variable;
  readonly minLogVar?: tf.Variable;
  /** Standardisation of inputs and targets, from the data of the last fit (not trained). */
  readonly inputMean: tf.Variable;
  readonly inputStd: tf.Variable;
  readonly targetMean: tf.Variable;
  readonly targetStd: tf.Variable;

  constructor(options: Omit<BootstrapEnsembleOptions, 'rng'>, init: Rng | Map<string, tf.Variable>) {
    super();
    const { members, inputSize, outputSize, hiddenSizes, probabilistic } = options;
    for (const [key, value] of Object.entries({ members, inputSize, outputSize })) {
      if (!Number.isSafeInteger(value) || value < 1) {
        throw new RangeError(`BootstrapEnsemble: ${key} must be a positive integer, got ${value}`);
      }
    }
    this.members = members;
    this.inputSize = inputSize;
    this.outputSize = outputSize;
    this.hiddenSizes = [...hiddenSizes];
    this.probabilistic = probabilistic;
    const sizes = [inputSize, ...hiddenSizes, probabilistic ? 2 * outputSize : outputSize];
    const take = (name: string, make: () => tf.Tensor, trainable = true): tf.Variable => {
      if (init instanceof Map) {
        const v = init.get(name);
        if (!v) throw new RangeError(`BootstrapEnsemble: no variable ${name} to build from`);
        return this.addVariable(name, v);
      }
      return this.addVariable(name, variableFrom(make, trainable));
    };
    for (let l = 0; l + 1 < sizes.length; l++) {
      const [fanIn, fanOut] = [sizes[l], sizes[l + 1]];
      this.weights.push(
        take(`weight${l}`, () =>
          tf.tensor3d(
            truncatedNormalWeights(members * fanIn * fanOut, 1 / (2 * Math.sqrt(fanIn)), init as Rng),
            [members, fanIn, fanOut],
          ),
        ),
      );
      this.biases.push(take(`bias${l}`, () => tf.zeros([members, 1, fanOut])));
    }
    if (probabilistic) {
      this.maxLogVar = take('max_log_var', () => tf.fill([outputSize], 0.5));
      this.minLogVar = take('min_log_var', () => tf.fill([outputSize], -10));
    }
    this.inputMean = take('input_mean', () => tf.zeros([inputSize]), false);
    this.inputStd = take('input_std', () => tf.ones([inputSize]), false);
    this.targetMean = take('target_mean', () => tf.zeros([outputSize]), false);
    this.targetStd = take('target_std', () => tf.ones([outputSize]), false);
  }

  static create(options: BootstrapEnsembleOptions): BootstrapEnsemble {
    return new BootstrapEnsemble(options, options.rng);
  }

  /**
   * Normalised outputs for normalised inputs [B, M, in]: the mean and (probabilistic) the
   * soft-bounded log-variance, both in standardised target units.
   */
  private forwardNormalised(x: tf.Tensor3D): { mean: tf.Tensor3D; logVar?: tf.Tensor3D } {
    let h: tf.Tensor3D = x;
    const last = this.weights.length - 1;
    for (let l = 0; l <= last; l++) {
      const z = tf.matMul(h, this.weights[l] as tf.Tensor3D).add(this.biases[l]) as tf.Tensor3D;
      h = l < last ? (z.mul(tf.sigmoid(z)) as tf.Tensor3D) : z;
    }
    if (!this.probabilistic) return { mean: h };
    const [b, m] = h.shape;
    const out = this.outputSize;
    const mean = h.slice([0, 0, 0], [b, m, out]);
    const raw = h.slice([0, 0, out], [b, m, out]);
    const max = this.maxLogVar as tf.Variable;
    const min = this.minLogVar as tf.Variable;
    // PETS: logvar = max - softplus(max - raw); logvar = min + softplus(logvar - min)
    const upper = max.sub(tf.softplus(max.sub(raw)));
    const logVar = min.add(tf.softplus(upper.sub(min))) as tf.Tensor3D;
    return { mean, logVar };
  }

  /** Predictions for raw inputs [B, M, in], in the targets' units (log-variance of the raw target). */
  predict(inputs: tf.Tensor3D): EnsemblePrediction {
    return tf.tidy(() => {
      const x = inputs.sub(this.inputMean).div(this.inputStd) as tf.Tensor3D;
      const { mean, logVar } = this.forwardNormalised(x);
      const rawMean = mean.mul(this.targetStd).add(this.targetMean) as tf.Tensor3D;
      if (!logVar) return { mean: rawMean };
      return { mean: rawMean, logVar: logVar.add(this.targetStd.log().mul(2)) as tf.Tensor3D };
    });
  }

  /**
   * The training loss on one batch per member (inputs [B, m, in], targets [B, m, out], raw units):
   * the sum over members of each member's mean Gaussian NLL (up to constants) or squared error.
   */
  loss(inputs: tf.Tensor3D, targets: tf.Tensor3D): { loss: tf.Scalar; mse: tf.Scalar } {
    return tf.tidy(() => {
      const x = inputs.sub(this.inputMean).div(this.inputStd) as tf.Tensor3D;
      const y = targets.sub(this.targetMean).div(this.targetStd);
      const { mean, logVar } = this.forwardNormalised(x);
      const sq = mean.sub(y).square();
      const perMember = (t: tf.Tensor) => t.mean([1, 2]).sum() as tf.Scalar;
      const mse = perMember(sq);
      if (!logVar) return { loss: mse, mse: mse.clone() };
      const nll = perMember(sq.mul(tf.exp(logVar.neg())).add(logVar));
      const bound = (this.maxLogVar as tf.Variable)
        .sum()
        .sub((this.minLogVar as tf.Variable).sum())
        .mul(0.01);
      return { loss: nll.add(bound) as tf.Scalar, mse };
    });
  }

  /** Set the standardisation to the data's per-column mean and std (std floored at 1e-6). */
  setStatistics(data: EnsembleData): void {
    const column = (values: Float32Array, width: number) => {
      const mean = new Float64Array(width);
      const sq = new Float64Array(width);
      for (let r = 0; r < data.rows; r++) {
        for (let c = 0; c < width; c++) mean[c] += values[r * width + c];
      }
      for (let c = 0; c < width; c++) mean[c] /= data.rows;
      for (let r = 0; r < data.rows; r++) {
        for (let c = 0; c < width; c++) sq[c] += (values[r * width + c] - mean[c]) ** 2;
      }
      const std = Float32Array.from(sq, (s) => Math.max(Math.sqrt(s / data.rows), STD_FLOOR));
      return { mean: Float32Array.from(mean), std };
    };
    const input = column(data.inputs, this.inputSize);
    const target = column(data.targets, this.outputSize);
    tf.tidy(() => {
      this.inputMean.assign(tf.tensor1d(input.mean));
      this.inputStd.assign(tf.tensor1d(input.std));
      this.targetMean.assign(tf.tensor1d(target.mean));
      this.targetStd.assign(tf.tensor1d(target.std));
    });
  }

  /** The variables an optimizer trains (everything but the standardisation). */
  trainable(): NamedVariables {
    return new Map([...this.variables()].filter(([, v]) => v.trainable));
  }

  override clone(): BootstrapEnsemble {
    const copies = new Map(
      [...this.variables()].map(([name, v]) => [name, variableFrom(() => tf.clone(v), v.trainable)]),
    );
    return new BootstrapEnsemble(this, copies);
  }
}

/**
 * Gather rows of a flat [n, width] array into a batch [B, m, width]: member b's rows are
 * `indices[b][start .. start + m)`.
 */
export function gatherMemberRows(
  values: Float32Array,
  width: number,
  indices: readonly Int32Array[],
  start: number,
  m: number,
): Float32Array {
  const out = new Float32Array(indices.length * m * width);
  for (let b = 0; b < indices.length; b++) {
    for (let i = 0; i < m; i++) {
      const row = indices[b][start + i];
      out.set(values.subarray(row * width, (row + 1) * width), (b * m + i) * width);
    }
  }
  return out;
}

/**
 * Fit the ensemble to `data` (the naive loop's line 4, on all data): the standardisation is set
 * from the data, each member draws its bootstrap resample of the n rows, and each epoch walks every
 * member's resample in a fresh order in minibatches of `batchSize` (the last one shorter), one Adam
 * step on the sum of the members' losses per minibatch. Returns the mean loss and standardised
 * squared error of the last epoch.
 */
export function fitBootstrapEnsemble(
  ensemble: BootstrapEnsemble,
  optimizer: Adam,
  data: EnsembleData,
  options: EnsembleFitOptions,
  rng: Rng,
): { model_loss: number; model_mse: number; model_steps: number } {
  if (data.rows < 1) throw new RangeError('fitBootstrapEnsemble: no data to fit');
  ensemble.setStatistics(data);
  const indices = bootstrapIndices(data.rows, ensemble.members, rng);
  const variables = ensemble.trainable();
  const { inputSize, outputSize, members } = ensemble;
  let lossSum = 0;
  let mseSum = 0;
  let batches = 0;
  let steps = 0;
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    for (const idx of indices) shuffleInPlace(idx, rng);
    const last = epoch === options.epochs - 1;
    for (let start = 0; start < data.rows; start += options.batchSize) {
      const m = Math.min(options.batchSize, data.rows - start);
      const x = tf.tensor3d(gatherMemberRows(data.inputs, inputSize, indices, start, m), [
        members,
        m,
        inputSize,
      ]);
      const y = tf.tensor3d(gatherMemberRows(data.targets, outputSize, indices, start, m), [
        members,
        m,
        outputSize,
      ]);
      let mse: tf.Scalar | undefined;
      try {
        const step = optimizer.minimize(() => {
          const out = ensemble.loss(x, y);
          mse?.dispose();
          mse = tf.keep(out.mse);
          return out.loss;
        }, variables);
        if (last) {
          lossSum += step.loss / members;
          mseSum += (mse as unknown as tf.Scalar).dataSync()[0] / members;
          batches += 1;
        }
        steps += 1;
      } finally {
        tf.dispose([x, y]);
        (mse as tf.Scalar | undefined)?.dispose();
      }
    }
  }
  return { model_loss: lossSum / batches, model_mse: mseSum / batches, model_steps: steps };
}
