/**
 * Training MBPO's dynamics ensemble on the real transitions (Janner et al. 2019, Sec. 4.1; the
 * procedure of the authors' code), one call per retraining:
 *
 *   shuffle the real transitions (the agent's Rng); hold out min(ratio x rows, maxHoldout)
 *   fit the input normaliser (mean, std of [s, a]) on the training rows
 *   each member draws its own bootstrap of the training rows (with replacement)
 *   epochs: each member's rows reshuffled, batches of B rows per member ([N, B, in], one step of
 *           the model loss for all members), then each member's held-out mean squared error;
 *           a member that improved its best error by more than 1 % keeps its weights as its best
 *   stop after `patience` epochs in which no member improved (or at maxEpochs)
 *   every member back to its best weights; elites = the eliteCount lowest held-out errors
 *
 * Inputs are [s, a] with actions in [-1, 1]; targets are [r, s' - s].
 */
import { Adam, tf, type NamedVariables, type Rng } from '@mbrl-ts/nn';
import type { ProbabilisticEnsemble } from '@mbrl-ts/models';
import { chooseElites, ensembleHeldOutError, type GaussianEnsembleInputs } from '@mbrl-ts/objectives';
import type { ReplayBuffer } from '@mbrl-ts/replay';
import type { ActionScaling } from '../action-scaling';
import { minimizeDeferred } from '../minimize';
import type { Objective } from '../terms';

/** Mean and std of the model's inputs, as two saved (never trained) variables. */
export class InputNormalizer {
  readonly mean: tf.Variable;
  readonly std: tf.Variable;

  constructor(readonly size: number) {
    this.mean = tf.tidy(() => tf.variable(tf.zeros([size]), false));
    this.std = tf.tidy(() => tf.variable(tf.ones([size]), false));
  }

  /** Fit to `rows` rows of `data` [rows, size] picked by `indices`; a std below 1e-12 becomes 1 (as the authors' scaler). */
  fit(data: Float32Array, indices: ArrayLike<number>): void {
    const n = indices.length;
    const mean = new Float64Array(this.size);
    const sq = new Float64Array(this.size);
    for (let r = 0; r < n; r++) {
      const base = indices[r] * this.size;
      for (let j = 0; j < this.size; j++) mean[j] += data[base + j];
    }
    for (let j = 0; j < this.size; j++) mean[j] /= n;
    for (let r = 0; r < n; r++) {
      const base = indices[r] * this.size;
      for (let j = 0; j < this.size; j++) sq[j] += (data[base + j] - mean[j]) ** 2;
    }
    const std = sq.map((s) => Math.sqrt(s / n)).map((s) => (s < 1e-12 ? 1 : s));
    tf.tidy(() => {
      this.mean.assign(tf.tensor1d(Float32Array.from(mean)));
      this.std.assign(tf.tensor1d(Float32Array.from(std)));
    });
  }

  normalize(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.div(tf.sub(x, this.mean), this.std));
  }

  variables(): NamedVariables {
    return new Map([
      ['model_input_mean', this.mean],
      ['model_input_std', this.std],
    ]);
  }

  dispose(): void {
    this.mean.dispose();
    this.std.dispose();
  }
}

/** The real transitions as model data: inputs [rows, obs + act] and targets [rows, 1 + obs]. */
export interface DynamicsData {
  readonly rows: number;
  readonly inputs: Float32Array;
  readonly targets: Float32Array;
  readonly inputSize: number;
  readonly targetSize: number;
}

export function dynamicsData(replay: ReplayBuffer, scaling: ActionScaling): DynamicsData {
  const { observationDim: o, actionDim: a } = replay;
  const rows = replay.size;
  const { observation, action, reward, nextObservation } = replay.storage;
  const inputs = new Float32Array(rows * (o + a));
  const targets = new Float32Array(rows * (1 + o));
  const unit = scaling.toUnitInPlace(Float32Array.from(action.subarray(0, rows * a)));
  for (let r = 0; r < rows; r++) {
    inputs.set(observation.subarray(r * o, (r + 1) * o), r * (o + a));
    inputs.set(unit.subarray(r * a, (r + 1) * a), r * (o + a) + o);
    targets[r * (1 + o)] = reward[r];
    for (let j = 0; j < o; j++)
      targets[r * (1 + o) + 1 + j] = nextObservation[r * o + j] - observation[r * o + j];
  }
  return { rows, inputs, targets, inputSize: o + a, targetSize: 1 + o };
}

export interface DynamicsTrainingSettings {
  readonly eliteCount: number;
  readonly batchSize: number;
  readonly holdoutRatio: number;
  readonly maxHoldout: number;
  readonly patience: number;
  /** 0 = no cap. */
  readonly maxEpochs: number;
  /** Relative improvement a member needs to count as better (the authors' 0.01). */
  readonly improvementThreshold: number;
  readonly boundCoefficient: number;
  readonly weightDecays: readonly number[];
}

export interface DynamicsTrainingResult {
  readonly epochs: number;
  /** Each member's held-out mean squared error after its best weights are back. */
  readonly heldOutErrors: number[];
  readonly elites: number[];
  readonly trainRows: number;
  readonly heldOutRows: number;
  /** The model loss of the last step. */
  readonly lastLoss: number;
}

/** A uniform shuffle of 0..n-1 (Fisher-Yates on `rng`). */
function permutation(n: number, rng: Rng): Int32Array {
  const p = Int32Array.from({ length: n }, (_, i) => i);
  shuffleInPlace(p, rng);
  return p;
}

function shuffleInPlace(p: Int32Array, rng: Rng): void {
  for (let i = p.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
}

/** Rows `rows` of a [*, width] array gathered into a fresh [rows.length, width] one. */
function gatherRows(
  data: Float32Array,
  width: number,
  rows: ArrayLike<number>,
  out: Float32Array,
  at = 0,
): void {
  for (let r = 0; r < rows.length; r++)
    out.set(data.subarray(rows[r] * width, (rows[r] + 1) * width), (at + r) * width);
}

export function trainDynamics(args: {
  readonly model: ProbabilisticEnsemble;
  readonly optimizer: Adam;
  readonly normalizer: InputNormalizer;
  readonly data: DynamicsData;
  readonly settings: DynamicsTrainingSettings;
  readonly rng: Rng;
  readonly modelLoss: Objective<GaussianEnsembleInputs>;
}): DynamicsTrainingResult {
  const { model, optimizer, normalizer, data, settings, rng, modelLoss } = args;
  const n = model.ensembleSize;
  if (data.rows < 2)
    throw new RangeError(`trainDynamics: needs at least 2 real transitions, got ${data.rows}`);
  const order = permutation(data.rows, rng);
  const heldOutRows = Math.max(
    1,
    Math.min(Math.floor(data.rows * settings.holdoutRatio), settings.maxHoldout),
  );
  const heldOut = order.subarray(0, heldOutRows);
  const train = order.subarray(heldOutRows);
  const t = train.length;
  normalizer.fit(data.inputs, train);

  const { inputSize: inW, targetSize: outW } = data;
  const heldOutInput = new Float32Array(heldOutRows * inW);
  const heldOutTarget = new Float32Array(heldOutRows * outW);
  gatherRows(data.inputs, inW, heldOut, heldOutInput);
  gatherRows(data.targets, outW, heldOut, heldOutTarget);
  const heldOutTensors = tf.tidy(() => {
    const x = normalizer.normalize(tf.tensor2d(heldOutInput, [heldOutRows, inW]));
    const y = tf.tensor2d(heldOutTarget, [heldOutRows, outW]);
    return [tf.tile(tf.expandDims(x, 0), [n, 1, 1]), tf.tile(tf.expandDims(y, 0), [n, 1, 1])];
  });
  const heldOutErrors = () => {
    const errors = ensembleHeldOutError(model, heldOutTensors[0], heldOutTensors[1]);
    const values = Array.from(errors.dataSync());
    errors.dispose();
    return values;
  };

  // each member's bootstrap of the training rows
  const bootstrap = Array.from({ length: n }, () => Int32Array.from({ length: t }, () => train[rng.int(t)]));
  const variables = [...model.variables().values()];
  let best = variables.map((v) => tf.clone(v));
  let bestErrors = new Array<number>(n).fill(Infinity);
  let sinceImproved = 0;
  let epochs = 0;
  let lastLoss = NaN;
  let finalErrors: number[] = [];
  const b = Math.min(settings.batchSize, t);
  const batchInput = new Float32Array(n * b * inW);
  const batchTarget = new Float32Array(n * b * outW);
  try {
    for (;;) {
      for (const rows of bootstrap) shuffleInPlace(rows, rng);
      for (let start = 0; start < t; start += b) {
        const size = Math.min(b, t - start);
        const inputView = batchInput.subarray(0, n * size * inW);
        const targetView = batchTarget.subarray(0, n * size * outW);
        for (let m = 0; m < n; m++) {
          const rows = bootstrap[m].subarray(start, start + size);
          gatherRows(data.inputs, inW, rows, inputView, m * size);
          gatherRows(data.targets, outW, rows, targetView, m * size);
        }
        const [input, target] = tf.tidy(() => [
          normalizer.normalize(tf.tensor3d(inputView, [n, size, inW])),
          tf.tensor3d(targetView, [n, size, outW]),
        ]);
        try {
          const step = minimizeDeferred(optimizer, model, () =>
            modelLoss({
              model,
              input,
              target,
              boundCoefficient: settings.boundCoefficient,
              weightDecays: settings.weightDecays,
            }),
          );
          tf.dispose(Object.values(step.metrics).filter((v): v is tf.Scalar => typeof v !== 'number'));
          lastLoss = step.loss;
        } finally {
          tf.dispose([input, target]);
        }
      }
      epochs += 1;
      const errors = heldOutErrors();
      const improved = errors.map(
        (e, m) =>
          bestErrors[m] === Infinity || (bestErrors[m] - e) / bestErrors[m] > settings.improvementThreshold,
      );
      if (improved.some(Boolean)) {
        const mask = tf.tensor1d(
          improved.map((x) => (x ? 1 : 0)),
          'bool',
        );
        const next = variables.map((v, i) =>
          tf.tidy(() => tf.where(tf.reshape(mask, [n, ...v.shape.slice(1).map(() => 1)]), v, best[i])),
        );
        tf.dispose([mask, ...best]);
        best = next;
        bestErrors = errors.map((e, m) => (improved[m] ? e : bestErrors[m]));
        sinceImproved = 0;
      } else {
        sinceImproved += 1;
      }
      if (sinceImproved >= settings.patience) break;
      if (settings.maxEpochs > 0 && epochs >= settings.maxEpochs) break;
    }
    variables.forEach((v, i) => v.assign(best[i]));
    finalErrors = heldOutErrors();
  } finally {
    tf.dispose([...best, ...heldOutTensors]);
  }
  return {
    epochs,
    heldOutErrors: finalErrors,
    elites: chooseElites(finalErrors, settings.eliteCount),
    trainRows: t,
    heldOutRows,
    lastLoss,
  };
}
