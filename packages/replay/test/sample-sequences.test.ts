import { Rng } from '@mbrl-ts/rng';
import { NoValidSequenceError, validSequenceStarts, type ReplayBuffer, type SequenceBatch } from '../src';
import { ACT_DIM, OBS_DIM, addEpisodes, makeBuffer, transition } from './fixtures';

/**
 * Checks every sequence of the batch against the fixture encoding: contiguous global steps, one
 * episode, obs[k+1] is the stored next observation of step k, and terminated only where stored.
 * Returns the global step each sequence starts at.
 */
function checkSequences(batch: SequenceBatch, terminalSteps: ReadonlySet<number>): number[] {
  const { horizon: K, batchSize: B } = batch;
  const firstSteps: number[] = [];
  for (let b = 0; b < B; b++) {
    const g = batch.observation[b * OBS_DIM];
    const episode = batch.observation[b * OBS_DIM + 1];
    const step = batch.observation[b * OBS_DIM + 2];
    firstSteps.push(g);
    for (let k = 0; k < K; k++) {
      const row = k * B + b;
      expect(batch.action[row * ACT_DIM]).toBe(g + k);
      expect(batch.action[row * ACT_DIM + 1]).toBe(-(g + k));
      expect(batch.reward[row]).toBe((g + k) / 2);
      expect(batch.terminated[row]).toBe(terminalSteps.has(g + k) ? 1 : 0);
      const next = (row + B) * OBS_DIM;
      expect(Array.from(batch.observation.subarray(next, next + OBS_DIM))).toEqual([
        g + k + 1,
        episode,
        step + k + 1,
      ]);
      if (k < K - 1) expect(batch.terminated[row]).toBe(0);
    }
  }
  return firstSteps;
}

/** Draws many batches and returns how often each global step was a sequence start. */
function startCounts(
  buffer: ReplayBuffer,
  K: number,
  B: number,
  calls: number,
  seed: number,
): Map<number, number> {
  const rng = new Rng(seed);
  const out = buffer.allocateSequenceBatch(K, B);
  const counts = new Map<number, number>();
  for (let i = 0; i < calls; i++) {
    buffer.sampleSequences(K, B, rng, out);
    for (let b = 0; b < B; b++) {
      const g = out.observation[b * OBS_DIM];
      counts.set(g, (counts.get(g) ?? 0) + 1);
    }
  }
  return counts;
}

/**
 * Capacity 12, 15 steps added, so the ring has wrapped: slots 3..11 hold global steps 3..11 and
 * slots 0..2 hold steps 12..14; the write head (= oldest slot) is 3.
 *   episode 0: steps 0..4, terminated at 4 (0..2 overwritten, 3..4 left)
 *   episode 1: steps 5..8, truncated at 8
 *   episode 2: steps 9..14, still running
 */
function wrappedBuffer(): ReplayBuffer {
  const buffer = makeBuffer(12);
  addEpisodes(buffer, [
    { length: 5, end: 'terminated' },
    { length: 4, end: 'truncated' },
    { length: 6, end: 'open' },
  ]);
  return buffer;
}
const TERMINAL = new Set([4]);

describe('sampleSequences', () => {
  it('lays the batch out time-major with K+1 observations and records the shapes', () => {
    const batch = wrappedBuffer().sampleSequences(3, 5, new Rng(1));
    expect(batch.shapes).toEqual({
      observation: [4, 5, OBS_DIM],
      action: [3, 5, ACT_DIM],
      reward: [3, 5],
      terminated: [3, 5],
    });
    expect(batch.observation.length).toBe(4 * 5 * OBS_DIM);
    expect(batch.action.length).toBe(3 * 5 * ACT_DIM);
    checkSequences(batch, TERMINAL);
  });

  it.each([
    [1, [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]],
    [2, [3, 5, 6, 7, 9, 10, 11, 12, 13]],
    [3, [5, 6, 9, 10, 11, 12]],
    [4, [5, 9, 10, 11]],
    [6, [9]],
  ])('with K = %i samples exactly the hand-computed valid starts (global steps %j)', (K, expected) => {
    const buffer = wrappedBuffer();
    const slots = expected.map((g) => (g >= 12 ? g - 12 : g));
    expect(Array.from(validSequenceStarts(buffer, K)).sort((a, b) => a - b)).toEqual(
      [...slots].sort((a, b) => a - b),
    );
    const counts = startCounts(buffer, K, 12, 200, 7);
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual(expected);
    const batch = buffer.sampleSequences(K, 12, new Rng(3));
    checkSequences(batch, TERMINAL);
  });

  it('includes a sequence that ends on a terminal step, with terminated = 1 on its last row only', () => {
    const counts = startCounts(wrappedBuffer(), 2, 12, 100, 11);
    expect(counts.get(3)).toBeGreaterThan(0); // steps 3, 4: step 4 is terminal
    const rng = new Rng(5);
    const buffer = wrappedBuffer();
    for (let i = 0; i < 50; i++) checkSequences(buffer.sampleSequences(2, 12, rng), TERMINAL);
  });

  it('treats truncation as an episode end for sequences but stores terminated = 0 (bootstrap)', () => {
    const buffer = wrappedBuffer();
    const counts = startCounts(buffer, 2, 12, 300, 13);
    expect(counts.get(7)).toBeGreaterThan(0); // steps 7, 8 end on the time-limit cut
    expect(counts.has(8)).toBe(false); // 8 -> 9 would cross the cut into episode 2
    const rng = new Rng(17);
    for (let i = 0; i < 50; i++) {
      const batch = buffer.sampleSequences(2, 12, rng);
      for (let b = 0; b < 12; b++) {
        if (batch.observation[b * OBS_DIM] === 7) expect(batch.terminated[12 + b]).toBe(0);
      }
    }
  });

  it('is uniform over valid starts', () => {
    const counts = startCounts(wrappedBuffer(), 3, 12, 1000, 19); // 12000 draws over 6 starts
    expect(counts.size).toBe(6);
    for (const n of counts.values()) expect(Math.abs(n - 2000)).toBeLessThan(200);
  });

  it('never crosses the write head, even where the episode counters happen to line up', () => {
    // Six steps of one episode fill slots 0..5; after endEpisode() a new episode overwrites slot 0.
    // Slot 0 (newest, episodeStep 0) is followed in the ring by slot 1 (oldest, episodeStep 1):
    // the counters differ by 1, but slots 0 -> 1 crosses the write head and is not a sequence.
    const buffer = makeBuffer(6);
    addEpisodes(buffer, [{ length: 6, end: 'open' }]);
    buffer.endEpisode();
    buffer.add(transition(6, 1, 0, null));
    expect(buffer.writeHead).toBe(1);
    expect(buffer.storage.episodeStep[1] - buffer.storage.episodeStep[0]).toBe(1);
    expect(Array.from(validSequenceStarts(buffer, 2))).toEqual([1, 2, 3, 4]);
    const counts = startCounts(buffer, 2, 6, 300, 23);
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual([1, 2, 3, 4]);
  });

  it('joins no two episodes separated only by endEpisode()', () => {
    const buffer = makeBuffer(8);
    addEpisodes(buffer, [{ length: 3, end: 'open' }]);
    buffer.endEpisode();
    addEpisodes(buffer, [{ length: 3, end: 'open' }], 3);
    const counts = startCounts(buffer, 2, 6, 200, 29);
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual([0, 1, 3, 4]);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const a = wrappedBuffer().sampleSequences(3, 12, new Rng(42));
    const b = wrappedBuffer().sampleSequences(3, 12, new Rng(42));
    const c = wrappedBuffer().sampleSequences(3, 12, new Rng(43));
    expect(b.observation).toEqual(a.observation);
    expect(b.action).toEqual(a.action);
    expect(b.starts).toEqual(a.starts);
    expect(c.starts).not.toEqual(a.starts);
  });

  it('writes into a caller-owned batch and returns it', () => {
    const buffer = wrappedBuffer();
    const out = buffer.allocateSequenceBatch(3, 8);
    const returned = buffer.sampleSequences(3, 8, new Rng(1), out);
    expect(returned).toBe(out);
    checkSequences(out, TERMINAL);
  });

  it('falls back to the exact list of starts when valid starts are rare, and stays uniform and valid', () => {
    // 990 one-step episodes, then one episode of 10 steps: 6 of 996 windows are valid for K = 5.
    const buffer = makeBuffer(1000);
    const episodes = [
      ...Array.from({ length: 990 }, () => ({ length: 1, end: 'terminated' as const })),
      { length: 10, end: 'open' as const },
    ];
    addEpisodes(buffer, episodes);
    const terminal = new Set(Array.from({ length: 990 }, (_, g) => g));
    const batch = buffer.sampleSequences(5, 600, new Rng(31));
    const starts = checkSequences(batch, terminal);
    expect(new Set(starts)).toEqual(new Set([990, 991, 992, 993, 994, 995]));
    expect(buffer.sampleSequences(5, 600, new Rng(31)).starts).toEqual(batch.starts);
  });

  it('samples 512 sequences of length 3 at HalfCheetah batch size, all within one episode', () => {
    const buffer = makeBuffer(5000);
    const lengths = [1000, 7, 1, 1, 250, 2, 1000, 3, 1000, 1000]; // Ant-like early terminations mixed in
    addEpisodes(
      buffer,
      lengths.map((length, i) => ({
        length,
        end: i % 2 === 0 ? ('truncated' as const) : ('terminated' as const),
      })),
    );
    const terminal = new Set<number>();
    let g = 0;
    lengths.forEach((length, i) => {
      g += length;
      if (i % 2 === 1) terminal.add(g - 1);
    });
    // 4264 steps were added, so the ring has not wrapped; after 736 more it would.
    const batch = buffer.sampleSequences(3, 512, new Rng(37));
    checkSequences(batch, terminal);
  });

  it('refuses a horizon that no stored episode stretch allows, saying how long the longest is', () => {
    const buffer = wrappedBuffer();
    expect(() => buffer.sampleSequences(7, 4, new Rng(1))).toThrow(NoValidSequenceError);
    expect(() => buffer.sampleSequences(7, 4, new Rng(1))).toThrow(
      /No stored stretch of one episode holds 7 consecutive transitions \(the longest holds 6, over 3 stretches in 12 stored transitions\)\. Collect more steps .* or use a shorter horizon/,
    );
    expect(() => buffer.sampleSequences(13, 4, new Rng(1))).toThrow(NoValidSequenceError);
  });
});
