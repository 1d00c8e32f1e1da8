/**
 * The networks act in [-1, 1]^|A|; envs have their own bounds (Pendulum: [-2, 2]). This maps
 * between the two affinely: env = bias + scale * unit, with bias the box centre and scale its
 * half-width. Replay stores env actions (what was executed); the losses see unit actions.
 */
export class ActionScaling {
  readonly scale: Float64Array;
  readonly bias: Float64Array;

  constructor(low: ArrayLike<number>, high: ArrayLike<number>) {
    if (low.length !== high.length)
      throw new RangeError(`ActionScaling: low has ${low.length} entries, high ${high.length}`);
    this.scale = new Float64Array(low.length);
    this.bias = new Float64Array(low.length);
    for (let i = 0; i < low.length; i++) {
      if (!Number.isFinite(low[i]) || !Number.isFinite(high[i]) || !(high[i] > low[i])) {
        throw new RangeError(
          `ActionScaling: action dimension ${i} has bounds [${low[i]}, ${high[i]}]; SAC and TD3 need a finite, non-empty box`,
        );
      }
      this.scale[i] = (high[i] - low[i]) / 2;
      this.bias[i] = (high[i] + low[i]) / 2;
    }
  }

  get size(): number {
    return this.scale.length;
  }

  /** A unit action (one row) to the env's bounds, clipped into them against rounding. */
  toEnv(unit: ArrayLike<number>): Float32Array {
    const out = new Float32Array(this.size);
    for (let i = 0; i < out.length; i++) {
      const u = Math.max(-1, Math.min(1, unit[i]));
      out[i] = this.bias[i] + this.scale[i] * u;
    }
    return out;
  }

  /** Env actions [rows * |A|] to unit actions, in place. */
  toUnitInPlace(actions: Float32Array): Float32Array {
    const n = this.size;
    for (let i = 0; i < actions.length; i++) {
      const d = i % n;
      actions[i] = (actions[i] - this.bias[d]) / this.scale[d];
    }
    return actions;
  }
}
