/**
 * The one seeded random number generator of mbrl-ts.
 *
 * Every random draw in the project (weight init, exploration noise, replay sampling, reset noise)
 * goes through an `Rng` passed explicitly; nothing calls `Math.random()`. The generator is
 * xoshiro128** (Blackman & Vigna), seeded through splitmix32, with a state of four 32-bit words
 * that `getState()` / `setState()` round-trip exactly, so a resumed run continues the same stream.
 */

export interface RngState {
  readonly algorithm: 'xoshiro128**';
  readonly s: readonly [number, number, number, number];
  /** A spare standard normal from the last Box-Muller pair, or null. */
  readonly spareNormal: number | null;
}

import { ZIGGURAT_F, ZIGGURAT_R, ZIGGURAT_SCALE, ZIGGURAT_X } from './ziggurat';

const TWO_POW_32 = 4294967296;

function splitmix32(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** The point a 24-bit position gives within ziggurat layer `layer`. */
function zigguratPoint(layer: number, position: number): number {
  return (position >>> 0) * ZIGGURAT_SCALE[layer];
}

/**
 * The ziggurat's fast path from out[from]: xoshiro128** inlined on the state words
 * (state[0..3], signed 32-bit arithmetic: the same bits as nextUint32), each draw accepted inside
 * its layer's inner rectangle. Returns out.length when done, or the index of the first draw that
 * needs the slow path, with its layer, sign and position in state[4..6].
 */
function zigguratRun(
  out: Float32Array | Float64Array,
  from: number,
  state: Int32Array,
  mean: number,
  std: number,
): number {
  const x = ZIGGURAT_X;
  let s0 = state[0];
  let s1 = state[1];
  let s2 = state[2];
  let s3 = state[3];
  let k = from;
  for (; k < out.length; k++) {
    const r = Math.imul(s1, 5);
    const bits = Math.imul((r << 7) | (r >>> 25), 9);
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    const layer = bits & 127;
    const z = zigguratPoint(layer, bits >>> 8);
    if (z >= x[layer + 1]) {
      state[4] = layer;
      state[5] = (bits & 128) !== 0 ? 1 : 0;
      state[6] = bits >>> 8;
      break;
    }
    // The sign bit as a factor of +1 or -1 (exact), not a branch the CPU mispredicts half the time.
    out[k] = mean + std * (z * (1 - ((bits >>> 6) & 2)));
  }
  state[0] = s0;
  state[1] = s1;
  state[2] = s2;
  state[3] = s3;
  return k;
}

export class Rng {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spare: number | null = null;

  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new RangeError(`Rng seed must be an integer in [0, 2^32 - 1], got ${seed}`);
    }
    const next = splitmix32(seed);
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 = (this.s2 ^ this.s0) >>> 0;
    this.s3 = (this.s3 ^ this.s1) >>> 0;
    this.s1 = (this.s1 ^ this.s2) >>> 0;
    this.s0 = (this.s0 ^ this.s3) >>> 0;
    this.s2 = (this.s2 ^ t) >>> 0;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1) with 53 bits of resolution. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform in [low, high). */
  uniformRange(low: number, high: number): number {
    return low + (high - low) * this.uniform();
  }

  /** Uniform integer in [0, n), without modulo bias. */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > TWO_POW_32) {
      throw new RangeError(`Rng.int(n) needs an integer n in [1, 2^32], got ${n}`);
    }
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }

  /** Standard normal draw (Box-Muller, the second value of each pair kept for the next call). */
  normal(): number {
    if (this.spare !== null) {
      const z = this.spare;
      this.spare = null;
      return z;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Fill `out` with independent N(mean, std^2) draws and return it. */
  fillNormal<T extends Float32Array | Float64Array>(out: T, mean = 0, std = 1): T {
    for (let i = 0; i < out.length; i++) out[i] = mean + std * this.normal();
    return out;
  }

  /**
   * Fill `out` with independent N(mean, std^2) draws by the ziggurat method (./ziggurat): five to
   * seven times faster than `fillNormal` (see the README's bench), for the noise tensors of sampling
   * and exploration. One
   * 32-bit draw gives the layer (7 bits), the sign (1 bit) and the position (24 bits, float32's
   * resolution) in about 97 % of cases. A different stream from `fillNormal` for the same state;
   * the pending Box-Muller value of `normal()` is left alone.
   */
  fillNormalZiggurat<T extends Float32Array | Float64Array>(out: T, mean = 0, std = 1): T {
    const state = new Int32Array([this.s0 | 0, this.s1 | 0, this.s2 | 0, this.s3 | 0, 0, 0, 0]);
    for (
      let k = zigguratRun(out, 0, state, mean, std);
      k < out.length;
      k = zigguratRun(out, k + 1, state, mean, std)
    ) {
      // Draw k fell outside its layer's inner rectangle: finish it with the methods (the tail or
      // the wedge test, then fresh draws), the state passing through the fields.
      [this.s0, this.s1, this.s2, this.s3] = [state[0] >>> 0, state[1] >>> 0, state[2] >>> 0, state[3] >>> 0];
      out[k] =
        mean + std * this.zigguratSlowPath(state[4], state[5] === 1, zigguratPoint(state[4], state[6]));
      state.set([this.s0 | 0, this.s1 | 0, this.s2 | 0, this.s3 | 0]);
    }
    [this.s0, this.s1, this.s2, this.s3] = [state[0] >>> 0, state[1] >>> 0, state[2] >>> 0, state[3] >>> 0];
    return out;
  }

  /** Finish a ziggurat draw that left the fast path (see fillNormalZiggurat); returns a signed value. */
  private zigguratSlowPath(layer: number, negative: boolean, z: number): number {
    const x = ZIGGURAT_X;
    const f = ZIGGURAT_F;
    for (;;) {
      // Layer 0 beyond R: the tail. Otherwise the wedge: accept when a uniform height within the
      // layer falls under the density.
      if (layer === 0) {
        const tail = this.normalTail();
        return negative ? -tail : tail;
      }
      if (f[layer] + this.uniform() * (f[layer + 1] - f[layer]) < Math.exp(-0.5 * z * z))
        return negative ? -z : z;
      const bits = this.nextUint32();
      layer = bits & 127;
      negative = (bits & 128) !== 0;
      z = zigguratPoint(layer, bits >>> 8);
      if (z < x[layer + 1]) return negative ? -z : z;
    }
  }

  /** A draw from the standard normal conditioned on exceeding ZIGGURAT_R (Marsaglia's tail method). */
  private normalTail(): number {
    for (;;) {
      const a = -Math.log(1 - this.uniform()) / ZIGGURAT_R;
      const b = -Math.log(1 - this.uniform());
      if (b + b >= a * a) return ZIGGURAT_R + a;
    }
  }

  /** Fill `out` with independent U[low, high) draws and return it. */
  fillUniform<T extends Float32Array | Float64Array>(out: T, low = 0, high = 1): T {
    for (let i = 0; i < out.length; i++) out[i] = low + (high - low) * this.uniform();
    return out;
  }

  /** A new seed for a child generator or a tfjs op that takes an integer seed. */
  nextSeed(): number {
    return this.nextUint32();
  }

  /** An independent generator seeded from this one (advances this stream by one draw). */
  fork(): Rng {
    return new Rng(this.nextUint32());
  }

  getState(): RngState {
    return { algorithm: 'xoshiro128**', s: [this.s0, this.s1, this.s2, this.s3], spareNormal: this.spare };
  }

  setState(state: RngState): void {
    if (state?.algorithm !== 'xoshiro128**' || !Array.isArray(state.s) || state.s.length !== 4) {
      throw new TypeError('Rng.setState: expected a state object from Rng.getState() (xoshiro128**)');
    }
    const words = state.s.map((w) => {
      if (!Number.isInteger(w) || w < 0 || w > 0xffffffff) {
        throw new RangeError(`Rng.setState: state word ${w} is not an unsigned 32-bit integer`);
      }
      return w >>> 0;
    });
    if (words.every((w) => w === 0)) throw new RangeError('Rng.setState: the all-zero state is invalid');
    [this.s0, this.s1, this.s2, this.s3] = words;
    this.spare = state.spareNormal ?? null;
  }

  static fromState(state: RngState): Rng {
    const rng = new Rng(0);
    rng.setState(state);
    return rng;
  }
}
