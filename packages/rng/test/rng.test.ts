import { Rng } from '../src';

describe('Rng', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const xs = Array.from({ length: 8 }, () => a.nextUint32());
    expect(Array.from({ length: 8 }, () => b.nextUint32())).toEqual(xs);
    expect(Array.from({ length: 8 }, () => c.nextUint32())).not.toEqual(xs);
  });

  it('round-trips its state exactly, including a pending Box-Muller value', () => {
    const rng = new Rng(7);
    rng.normal(); // leaves a spare normal behind
    const state = JSON.parse(JSON.stringify(rng.getState()));
    const expected = [rng.normal(), rng.uniform(), rng.int(1000)];
    const restored = Rng.fromState(state);
    expect([restored.normal(), restored.uniform(), restored.int(1000)]).toEqual(expected);
  });

  it('draws uniforms in [0, 1) and normals with the right moments', () => {
    const rng = new Rng(1);
    const n = 200_000;
    let sum = 0;
    let sumSq = 0;
    let min = 1;
    let max = 0;
    for (let i = 0; i < n; i++) {
      const u = rng.uniform();
      min = Math.min(min, u);
      max = Math.max(max, u);
      const z = rng.normal();
      sum += z;
      sumSq += z * z;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    // Standard error of the mean is 1/sqrt(n) ~ 0.0022; of the variance ~ sqrt(2/n) ~ 0.0032.
    expect(Math.abs(sum / n)).toBeLessThan(0.01);
    expect(Math.abs(sumSq / n - 1)).toBeLessThan(0.015);
  });

  it('draws integers in [0, n) covering every value', () => {
    const rng = new Rng(3);
    const counts = new Array(7).fill(0);
    for (let i = 0; i < 7000; i++) counts[rng.int(7)]++;
    expect(counts.every((c) => c > 850 && c < 1150)).toBe(true);
  });

  it('rejects bad seeds and foreign states with clear errors', () => {
    expect(() => new Rng(-1)).toThrow(/seed must be an integer/);
    expect(() => new Rng(1.5)).toThrow(/seed must be an integer/);
    expect(() => new Rng(0).int(0)).toThrow(/integer n in \[1, 2\^32\]/);
    expect(() => Rng.fromState({ algorithm: 'mt19937' } as never)).toThrow(/expected a state object/);
    expect(() => Rng.fromState({ algorithm: 'xoshiro128**', s: [0, 0, 0, 0], spareNormal: null })).toThrow(
      /all-zero state/,
    );
  });
});
