/**
 * Exact (O(size)) views of the episode structure of a buffer, used when rejection sampling of
 * sequence starts keeps failing and to explain a NoValidSequenceError.
 *
 * A "run" is a maximal stretch of consecutively added transitions of one episode, read from the
 * oldest slot to the newest; slot p continues the run of p - 1 exactly when
 * episodeStep[p] === episodeStep[p - 1] + 1.
 */
import type { ReplayView } from './types';

/** Lengths of all runs, oldest first. */
export function episodeRuns(buffer: ReplayView): number[] {
  const { size, capacity, oldestSlot } = buffer;
  const step = buffer.storage.episodeStep;
  const runs: number[] = [];
  let run = 0;
  let previous = -2;
  for (let p = 0; p < size; p++) {
    let slot = oldestSlot + p;
    if (slot >= capacity) slot -= capacity;
    const current = step[slot];
    if (run > 0 && current !== previous + 1) {
      runs.push(run);
      run = 0;
    }
    run++;
    previous = current;
  }
  if (run > 0) runs.push(run);
  return runs;
}

/** Every start slot from which `horizon` transitions stay inside one run, oldest first. */
export function validSequenceStarts(buffer: ReplayView, horizon: number): Int32Array {
  const { size, capacity, oldestSlot } = buffer;
  const step = buffer.storage.episodeStep;
  const starts: number[] = [];
  for (let p = 0; p + horizon <= size; p++) {
    const s = (oldestSlot + p) % capacity;
    const e = (s + horizon - 1) % capacity;
    if (step[e] - step[s] === horizon - 1) starts.push(s);
  }
  return Int32Array.from(starts);
}
