/**
 * Uniform sampling of single transitions, with replacement, as SAC-style critic and reward updates
 * use them. Filled slots are always [0, size), so a uniform slot is `rng.int(size)`.
 */
import type { Rng } from '@mbrl-ts/rng';
import { allocateTransitionBatch, checkTransitionBatch } from './batches';
import { copyRow } from './copy-row';
import { InsufficientDataError, ReplayArgumentError } from './errors';
import type { ReplayView, TransitionBatch } from './types';

/** Throws unless `batchSize` rows can be drawn from a buffer holding `size` transitions. */
export function checkBatchSize(batchSize: number, size: number, what: string): void {
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new ReplayArgumentError(`batchSize must be a positive integer, got ${batchSize}.`);
  }
  if (size === 0) {
    throw new InsufficientDataError(
      `Cannot sample ${what} from an empty replay buffer. Add transitions first (collect warm-up steps before the first update).`,
    );
  }
  if (batchSize > size) {
    throw new InsufficientDataError(
      `Asked for ${batchSize} ${what} but the buffer holds only ${size} transitions. ` +
        `Collect at least ${batchSize} steps before updating (a longer warm-up), or use a smaller batch.`,
    );
  }
}

export function sampleTransitions(
  buffer: ReplayView,
  batchSize: number,
  rng: Rng,
  out?: TransitionBatch,
): TransitionBatch {
  const { observationDim: obsDim, actionDim: actDim, size } = buffer;
  checkBatchSize(batchSize, size, 'transitions');
  const batch = out ?? allocateTransitionBatch(batchSize, obsDim, actDim);
  if (out) checkTransitionBatch(out, batchSize, obsDim, actDim);
  const c = buffer.storage;
  for (let b = 0; b < batchSize; b++) {
    const slot = rng.int(size);
    batch.indices[b] = slot;
    copyRow(c.observation, slot * obsDim, batch.observation, b * obsDim, obsDim);
    copyRow(c.action, slot * actDim, batch.action, b * actDim, actDim);
    copyRow(c.nextObservation, slot * obsDim, batch.nextObservation, b * obsDim, obsDim);
    batch.reward[b] = c.reward[slot];
    batch.terminated[b] = c.terminated[slot];
  }
  return batch;
}
