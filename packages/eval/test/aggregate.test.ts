import { aggregateCurves, studentTCdf, studentTQuantile, summarize, toCsv } from '../src';

describe('Student t', () => {
  it('matches tabulated two-sided 95% critical values', () => {
    // Standard t tables: df 1 -> 12.706, 4 -> 2.776, 9 -> 2.262, 29 -> 2.045.
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.7062, 3);
    expect(studentTQuantile(0.975, 4)).toBeCloseTo(2.7764, 3);
    expect(studentTQuantile(0.975, 9)).toBeCloseTo(2.2622, 3);
    expect(studentTQuantile(0.975, 29)).toBeCloseTo(2.0452, 3);
    expect(studentTQuantile(0.975, 1e6)).toBeCloseTo(1.96, 2);
    expect(studentTQuantile(0.025, 4)).toBeCloseTo(-2.7764, 3);
  });

  it('has the closed-form CDF for one degree of freedom (Cauchy)', () => {
    for (const t of [-3, -0.5, 0, 0.7, 2, 10]) {
      expect(studentTCdf(t, 1)).toBeCloseTo(0.5 + Math.atan(t) / Math.PI, 10);
    }
  });
});

describe('summarize', () => {
  it('computes mean, sample std and the t interval by hand', () => {
    // values 1..5: mean 3, sample variance 2.5, std 1.5811, sem 0.7071, half-width 2.7764 * 0.7071.
    const s = summarize([1, 2, 3, 4, 5]);
    expect(s.mean).toBe(3);
    expect(s.std).toBeCloseTo(Math.sqrt(2.5), 12);
    expect(s.sem).toBeCloseTo(Math.sqrt(2.5 / 5), 12);
    expect(s.ci95[0]).toBeCloseTo(3 - 2.7764451 * Math.sqrt(0.5), 5);
    expect(s.ci95[1]).toBeCloseTo(3 + 2.7764451 * Math.sqrt(0.5), 5);
    expect([s.min, s.max]).toEqual([1, 5]);
  });

  it('reports NaN spread for one seed and rejects empty or non-finite input', () => {
    const one = summarize([7]);
    expect(one.mean).toBe(7);
    expect(Number.isNaN(one.std)).toBe(true);
    expect(() => summarize([])).toThrow(/no values/);
    expect(() => summarize([1, NaN])).toThrow(/value 1 is not finite/);
  });
});

describe('learning curves', () => {
  it('aligns steps across seeds and counts the seeds at each step', () => {
    const rows = aggregateCurves([
      {
        seed: 0,
        points: [
          { step: 0, value: 1 },
          { step: 10, value: 3 },
        ],
      },
      {
        seed: 1,
        points: [
          { step: 0, value: 3 },
          { step: 10, value: 5 },
          { step: 20, value: 9 },
        ],
      },
    ]);
    expect(rows.map((r) => [r.step, r.n, r.mean])).toEqual([
      [0, 2, 2],
      [10, 2, 4],
      [20, 1, 9],
    ]);
    expect(rows[0].std).toBeCloseTo(Math.SQRT2, 12);
    expect(Number.isNaN(rows[2].std)).toBe(true);
    const csv = toCsv(rows, ['step', 'n', 'mean', 'std']);
    expect(csv.split('\n')[0]).toBe('step,n,mean,std');
    expect(csv.split('\n')[3]).toBe('20,1,9,');
  });

  it('rejects non-finite points naming the seed', () => {
    expect(() => aggregateCurves([{ seed: 3, points: [{ step: 0, value: Infinity }] }])).toThrow(/seed 3/);
  });
});
