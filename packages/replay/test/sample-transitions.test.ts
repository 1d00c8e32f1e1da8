import { Rng } from '@mbrl-ts/rng';
import { ACT_DIM, OBS_DIM, addEpisodes, makeBuffer } from './fixtures';

describe('sampleTransitions', () => {
  function filledBuffer() {
    const buffer = makeBuffer(8);
    // 11 steps into capacity 8: slots hold global steps 8, 9, 10, 3, 4, 5, 6, 7.
    addEpisodes(buffer, [
      { length: 4, end: 'terminated' }, // steps 0..3, terminal at 3
      { length: 3, end: 'truncated' }, // steps 4..6, cut at 6
      { length: 4, end: 'open' }, // steps 7..10
    ]);
    return buffer;
  }

  it('returns stored rows, flat and row-major, with their shapes and slots', () => {
    const buffer = filledBuffer();
    const batch = buffer.sampleTransitions(6, new Rng(3));
    expect(batch.shapes).toEqual({
      observation: [6, OBS_DIM],
      action: [6, ACT_DIM],
      reward: [6],
      nextObservation: [6, OBS_DIM],
      terminated: [6],
    });
    const slotToStep = [8, 9, 10, 3, 4, 5, 6, 7];
    for (let b = 0; b < 6; b++) {
      const g = slotToStep[batch.indices[b]];
      expect(batch.observation[b * OBS_DIM]).toBe(g);
      expect(batch.nextObservation[b * OBS_DIM]).toBe(g + 1);
      expect(Array.from(batch.action.subarray(b * ACT_DIM, (b + 1) * ACT_DIM))).toEqual([g, -g]);
      expect(batch.reward[b]).toBe(g / 2);
      // Terminal step 3 -> 1; the time-limit cut at step 6 bootstraps -> 0.
      expect(batch.terminated[b]).toBe(g === 3 ? 1 : 0);
    }
  });

  it('draws every stored slot, uniformly, and nothing outside [0, size)', () => {
    const buffer = makeBuffer(100);
    addEpisodes(buffer, [{ length: 10, end: 'open' }]);
    const rng = new Rng(5);
    const out = buffer.allocateTransitionBatch(10);
    const counts = new Array<number>(10).fill(0);
    for (let i = 0; i < 2000; i++) {
      buffer.sampleTransitions(10, rng, out);
      for (const slot of out.indices) counts[slot]++;
    }
    for (const n of counts) expect(Math.abs(n - 2000)).toBeLessThan(200);
  });

  it('is deterministic for a seed and writes into a caller-owned batch', () => {
    const out = filledBuffer().allocateTransitionBatch(8);
    const returned = filledBuffer().sampleTransitions(8, new Rng(9), out);
    expect(returned).toBe(out);
    const again = filledBuffer().sampleTransitions(8, new Rng(9));
    expect(again.indices).toEqual(out.indices);
    expect(again.observation).toEqual(out.observation);
    expect(filledBuffer().sampleTransitions(8, new Rng(10)).indices).not.toEqual(out.indices);
  });

  it('sees terminated = 1 for a terminal step and 0 for a truncated one', () => {
    const buffer = filledBuffer();
    const rng = new Rng(1);
    const seen = new Map<number, number>();
    for (let i = 0; i < 100; i++) {
      const batch = buffer.sampleTransitions(8, rng);
      for (let b = 0; b < 8; b++) seen.set(batch.observation[b * OBS_DIM], batch.terminated[b]);
    }
    expect(seen.get(3)).toBe(1);
    expect(seen.get(6)).toBe(0);
    expect([...seen.values()].filter((t) => t === 1)).toHaveLength(1);
  });
});
