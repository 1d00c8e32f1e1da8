/**
 * K-step sequence sampling for the model-based agents (ALM's Eq. 7 needs s_t..s_{t+K},
 * a_t..a_{t+K-1}, r_t..r_{t+K-1}).
 *
 * Valid starts follow the ALM authors' sampler: the K transitions are consecutive in the buffer,
 * the first K - 1 of them do not end an episode (the last one may be terminal), and the window
 * does not run past the write head into older data. Two deliberate differences: a time-limit
 * truncation also ends a sequence (their buffer stores truncation as "not done", so their
 * sequences can run into the next episode), and the newest valid start is included.
 *
 * Sampling is uniform over valid starts by rejection: draw a start uniformly among the
 * size - K + 1 windows that do not cross the write head, accept it if episodeStep says the window
 * is one episode (O(1), see replay-buffer.ts). After MAX_REJECTIONS misses in a row the exact list
 * of valid starts is built once (O(size)) and used for the rest of the batch; if it is empty, a
 * NoValidSequenceError says how long the longest stored episode stretch is.
 */
import type { Rng } from '@mbrl-ts/rng';
import { allocateSequenceBatch, checkSequenceBatch } from './batches';
import { copyRow } from './copy-row';
import { episodeRuns, validSequenceStarts } from './episode-runs';
import { NoValidSequenceError, ReplayArgumentError } from './errors';
import { checkBatchSize } from './sample-transitions';
import type { ReplayView, SequenceBatch } from './types';

const MAX_REJECTIONS = 64;

function noValidStart(buffer: ReplayView, horizon: number): never {
  const runs = episodeRuns(buffer);
  const longest = runs.reduce((m, r) => Math.max(m, r), 0);
  throw new NoValidSequenceError(
    `No stored stretch of one episode holds ${horizon} consecutive transitions ` +
      `(the longest holds ${longest}, over ${runs.length} stretches in ${buffer.size} stored transitions). ` +
      `Collect more steps before sampling sequences of length ${horizon}, or use a shorter horizon.`,
  );
}

export function sampleSequences(
  buffer: ReplayView,
  horizon: number,
  batchSize: number,
  rng: Rng,
  out?: SequenceBatch,
): SequenceBatch {
  if (!Number.isInteger(horizon) || horizon < 1) {
    throw new ReplayArgumentError(`horizon (sequence length K) must be a positive integer, got ${horizon}.`);
  }
  const { observationDim: obsDim, actionDim: actDim, size, capacity, oldestSlot } = buffer;
  checkBatchSize(batchSize, size, 'sequences');
  if (horizon > size) noValidStart(buffer, horizon);
  const batch = out ?? allocateSequenceBatch(horizon, batchSize, obsDim, actDim);
  if (out) checkSequenceBatch(out, horizon, batchSize, obsDim, actDim);

  const c = buffer.storage;
  const step = c.episodeStep;
  const windows = size - horizon + 1;
  let exactStarts: Int32Array | null = null;

  for (let b = 0; b < batchSize; b++) {
    let start = -1;
    if (exactStarts === null) {
      for (let attempt = 0; attempt < MAX_REJECTIONS; attempt++) {
        let s = oldestSlot + rng.int(windows);
        if (s >= capacity) s -= capacity;
        let e = s + horizon - 1;
        if (e >= capacity) e -= capacity;
        if (step[e] - step[s] === horizon - 1) {
          start = s;
          break;
        }
      }
      if (start < 0) {
        exactStarts = validSequenceStarts(buffer, horizon);
        if (exactStarts.length === 0) noValidStart(buffer, horizon);
      }
    }
    if (start < 0 && exactStarts !== null) start = exactStarts[rng.int(exactStarts.length)];
    batch.starts[b] = start;
    gatherSequence(buffer, batch, b, start);
  }
  return batch;
}

/** Writes the sequence starting at slot `start` into column `b` of the time-major batch. */
function gatherSequence(buffer: ReplayView, batch: SequenceBatch, b: number, start: number): void {
  const { observationDim: obsDim, actionDim: actDim, capacity } = buffer;
  const { horizon, batchSize } = batch;
  const c = buffer.storage;
  copyRow(c.observation, start * obsDim, batch.observation, b * obsDim, obsDim);
  let slot = start;
  for (let k = 0; k < horizon; k++) {
    const row = k * batchSize + b;
    copyRow(c.nextObservation, slot * obsDim, batch.observation, (row + batchSize) * obsDim, obsDim);
    copyRow(c.action, slot * actDim, batch.action, row * actDim, actDim);
    batch.reward[row] = c.reward[slot];
    batch.terminated[row] = c.terminated[slot];
    slot = slot + 1 === capacity ? 0 : slot + 1;
  }
}
