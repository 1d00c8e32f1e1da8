/** What an observation-space agent needs to know about its task and run. */
import type { ReplayBuffer } from '@mbrl-ts/replay';

export interface AgentOptions<C> {
  readonly observationSize: number;
  readonly actionSize: number;
  /** The env's action bounds (Box low / high). */
  readonly actionLow: ArrayLike<number>;
  readonly actionHigh: ArrayLike<number>;
  /** The buffer the training loop fills; the agent samples its batches from it. */
  readonly replay: ReplayBuffer;
  readonly config: C;
  /** The run seed; the agent derives its own Rng from it. */
  readonly seed: number;
}

/** Hidden widths from the schema's (layers, size) pair. */
export function hiddenSizes(layers: number, size: number): number[] {
  return Array.from({ length: layers }, () => size);
}

/** The Adam clip setting from the schema's convention (0 = no clipping). */
export function clipSetting(maxGradNorm: number): number | null {
  return maxGradNorm > 0 ? maxGradNorm : null;
}
