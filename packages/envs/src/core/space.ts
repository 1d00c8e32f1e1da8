/**
 * Box: a bounded (possibly unbounded) box in R^n, as Gymnasium's `spaces.Box`.
 */
import type { Rng } from '@mbrl-ts/rng';

export type BoxDtype = 'float32' | 'float64';

export class Box {
  readonly shape: readonly [number];
  readonly low: Float64Array;
  readonly high: Float64Array;

  constructor(
    low: ArrayLike<number>,
    high: ArrayLike<number>,
    /** The element type Gymnasium declares for this space (observations float64, actions float32). */
    readonly dtype: BoxDtype = 'float64',
  ) {
    if (low.length !== high.length) {
      throw new RangeError(`Box: low has ${low.length} entries but high has ${high.length}`);
    }
    this.low = Float64Array.from(low);
    this.high = Float64Array.from(high);
    for (let i = 0; i < this.low.length; i++) {
      if (!(this.low[i] <= this.high[i])) {
        throw new RangeError(`Box: low[${i}] = ${this.low[i]} exceeds high[${i}] = ${this.high[i]}`);
      }
    }
    this.shape = [this.low.length];
  }

  /** A box of `size` dimensions with the same bounds in every dimension. */
  static uniform(size: number, low: number, high: number, dtype: BoxDtype = 'float64'): Box {
    return new Box(new Float64Array(size).fill(low), new Float64Array(size).fill(high), dtype);
  }

  /** An unbounded box (observation spaces of the MuJoCo tasks). */
  static unbounded(size: number): Box {
    return Box.uniform(size, -Infinity, Infinity);
  }

  get size(): number {
    return this.shape[0];
  }

  /** Whether every entry of `x` is finite-or-bounded inside [low, high]. */
  contains(x: ArrayLike<number>): boolean {
    if (x.length !== this.size) return false;
    for (let i = 0; i < x.length; i++) {
      if (!(x[i] >= this.low[i] && x[i] <= this.high[i])) return false;
    }
    return true;
  }

  /** A uniform draw from a bounded box (throws on an unbounded dimension). */
  sample(rng: Rng): Float64Array {
    const out = new Float64Array(this.size);
    for (let i = 0; i < out.length; i++) {
      if (!Number.isFinite(this.low[i]) || !Number.isFinite(this.high[i])) {
        throw new RangeError(`Box.sample: dimension ${i} is unbounded`);
      }
      out[i] = rng.uniformRange(this.low[i], this.high[i]);
    }
    return out;
  }
}
