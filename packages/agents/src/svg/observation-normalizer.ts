/**
 * SAC-SVG's observation normalisation (the authors' replay buffer with normalize_obs): a running
 * mean and standard deviation of every observation added to replay (Welford's algorithm), the
 * std clipped to [0.1, 10]; the networks see (x - mean) / std, in acting and in every update.
 *
 * The statistics follow the replay buffer: `observe` reads the rows added since the last call.
 * Mean and M2 are kept as non-trainable variables so they are saved with the parameters.
 */
import { tf, variableFrom } from '@mbrl-ts/nn';
import type { ReplayBuffer } from '@mbrl-ts/replay';

export const MIN_STD = 0.1;
export const MAX_STD = 10;

export class ObservationNormalizer {
  /** Observations folded in so far. */
  count = 0;
  private readonly mean: Float64Array;
  private readonly m2: Float64Array;
  private readonly scale: Float64Array;
  readonly meanVariable: tf.Variable;
  readonly m2Variable: tf.Variable;

  constructor(
    readonly size: number,
    readonly enabled: boolean,
  ) {
    this.mean = new Float64Array(size);
    this.m2 = new Float64Array(size);
    this.scale = new Float64Array(size).fill(1);
    this.meanVariable = variableFrom(() => tf.zeros([size]), false);
    this.m2Variable = variableFrom(() => tf.zeros([size]), false);
  }

  /** Fold in the observations of the transitions added to `replay` since the last call. */
  observe(replay: ReplayBuffer): void {
    if (!this.enabled) return;
    const fresh = Math.min(replay.totalAdded - this.count, replay.size);
    if (fresh <= 0) return;
    const obs = replay.storage.observation;
    const n = this.size;
    for (let i = fresh; i >= 1; i--) {
      let slot = replay.writeHead - i;
      if (slot < 0) slot += replay.capacity;
      this.add(obs, slot * n);
    }
    this.count = replay.totalAdded;
    this.refreshScale();
  }

  /** Rows of observations [rows * size], normalised in place. */
  normalizeInPlace<T extends Float32Array | Float64Array>(values: T): T {
    if (!this.enabled || this.count === 0) return values;
    const n = this.size;
    for (let i = 0; i < values.length; i++) {
      const d = i % n;
      values[i] = (values[i] - this.mean[d]) / this.scale[d];
    }
    return values;
  }

  /** Copy the statistics into the variables (before saving). */
  syncVariables(): void {
    tf.tidy(() => {
      this.meanVariable.assign(tf.tensor1d(Float32Array.from(this.mean)));
      this.m2Variable.assign(tf.tensor1d(Float32Array.from(this.m2)));
    });
  }

  /** Restore the statistics from the variables (after loading) and the saved count. */
  restore(count: number): void {
    this.count = count;
    this.mean.set(this.meanVariable.dataSync());
    this.m2.set(this.m2Variable.dataSync());
    this.refreshScale();
  }

  dispose(): void {
    this.meanVariable.dispose();
    this.m2Variable.dispose();
  }

  private welfordCount = 0;

  private add(values: Float32Array, offset: number): void {
    this.welfordCount += 1;
    const k = this.welfordCount;
    for (let d = 0; d < this.size; d++) {
      const x = values[offset + d];
      const delta = x - this.mean[d];
      this.mean[d] += delta / k;
      this.m2[d] += delta * (x - this.mean[d]);
    }
  }

  private refreshScale(): void {
    this.welfordCount = this.count;
    for (let d = 0; d < this.size; d++) {
      // kept at float32 precision so the saved variables restore exactly the same statistics
      this.mean[d] = Math.fround(this.mean[d]);
      this.m2[d] = Math.fround(this.m2[d]);
      const std = this.count > 1 ? Math.sqrt(this.m2[d] / this.count) : 1;
      this.scale[d] = Math.min(MAX_STD, Math.max(MIN_STD, std));
    }
  }
}
