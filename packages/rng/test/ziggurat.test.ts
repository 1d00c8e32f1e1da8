import { Rng } from '../src';
import { ZIGGURAT_F, ZIGGURAT_R, ZIGGURAT_SCALE, ZIGGURAT_X } from '../src/ziggurat';

/** The standard normal CDF (Abramowitz & Stegun 7.1.26 for erf, |error| < 1.5e-7). */
function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly =
    t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/**
 * Marsaglia & Tsang's ziggurat written plainly with the generator's methods: a draw's layer, sign
 * and position; accepted inside the layer's inner rectangle; otherwise the tail (layer 0) or the
 * wedge test, and a fresh draw on rejection.
 */
function plainZiggurat(rng: Rng, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let bits = rng.nextUint32();
    let layer = bits & 127;
    let negative = (bits & 128) !== 0;
    let z = (bits >>> 8) * ZIGGURAT_SCALE[layer];
    while (z >= ZIGGURAT_X[layer + 1]) {
      if (layer === 0) {
        for (;;) {
          const a = -Math.log(1 - rng.uniform()) / ZIGGURAT_R;
          const b = -Math.log(1 - rng.uniform());
          if (b + b >= a * a) {
            z = ZIGGURAT_R + a;
            break;
          }
        }
        break;
      }
      const height = ZIGGURAT_F[layer] + rng.uniform() * (ZIGGURAT_F[layer + 1] - ZIGGURAT_F[layer]);
      if (height < Math.exp(-0.5 * z * z)) break;
      bits = rng.nextUint32();
      layer = bits & 127;
      negative = (bits & 128) !== 0;
      z = (bits >>> 8) * ZIGGURAT_SCALE[layer];
    }
    out[k] = negative ? -z : z;
  }
  return out;
}

describe('Rng.fillNormalZiggurat', () => {
  it('draws, value by value and state for state, what the plain algorithm draws', () => {
    for (const seed of [0, 5, 4294967295]) {
      const [fast, plain] = [new Rng(seed), new Rng(seed)];
      const values = fast.fillNormalZiggurat(new Float64Array(300_000));
      expect(Buffer.from(values.buffer).equals(Buffer.from(plainZiggurat(plain, 300_000).buffer))).toBe(true);
      expect(fast.getState()).toEqual(plain.getState());
    }
  });

  it('builds 128 layers of equal area that end at 0', () => {
    const area = 9.91256303526217e-3;
    expect(ZIGGURAT_X[1]).toBe(ZIGGURAT_R);
    expect(ZIGGURAT_X[128]).toBe(0);
    // Base layer: rectangle X[0] x f(R); top layer: X[127] x (1 - f(X[127])); both equal V.
    expect(ZIGGURAT_X[0] * ZIGGURAT_F[1]).toBeCloseTo(area, 12);
    expect(ZIGGURAT_X[127] * (1 - ZIGGURAT_F[127])).toBeCloseTo(area, 9);
    for (let i = 1; i < 128; i++) expect(ZIGGURAT_X[i + 1]).toBeLessThan(ZIGGURAT_X[i]);
  });

  it('matches the standard normal distribution (Kolmogorov-Smirnov, moments, tail mass)', () => {
    const n = 200_000;
    const z = new Rng(11).fillNormalZiggurat(new Float64Array(n));
    let sum = 0;
    let sumSq = 0;
    let sumFourth = 0;
    let beyondR = 0;
    for (const v of z) {
      sum += v;
      sumSq += v * v;
      sumFourth += v ** 4;
      if (Math.abs(v) > ZIGGURAT_R) beyondR++;
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.01);
    expect(Math.abs(sumSq / n - 1)).toBeLessThan(0.015);
    expect(Math.abs(sumFourth / n - 3)).toBeLessThan(0.1); // kurtosis of N(0, 1); se ~ 0.022
    // P(|Z| > R) = 5.76e-4: ~115 of 200k draws; the tail sampler must produce them.
    expect(beyondR).toBeGreaterThan(80);
    expect(beyondR).toBeLessThan(155);
    const sorted = Float64Array.from(z).sort();
    let d = 0;
    for (let i = 0; i < n; i++) {
      const cdf = normalCdf(sorted[i]);
      d = Math.max(d, Math.abs(cdf - i / n), Math.abs(cdf - (i + 1) / n));
    }
    // The KS statistic's 1 % critical value is 1.63 / sqrt(n) ~ 0.0036.
    expect(d).toBeLessThan(0.0036);
  });

  it('is symmetric, draws both tails and has no mass piled on layer edges', () => {
    const z = new Rng(5).fillNormalZiggurat(new Float32Array(100_000));
    const bins = new Array(16).fill(0); // counts over [-4, 4) in bins of 0.5
    for (const v of z) if (v >= -4 && v < 4) bins[Math.floor((v + 4) * 2)]++;
    for (let i = 0; i < 8; i++) {
      const expected = 100_000 * (normalCdf(-4 + (i + 1) / 2) - normalCdf(-4 + i / 2));
      // Mirror bins agree with each other and with the normal's mass within 5 standard errors.
      for (const count of [bins[i], bins[15 - i]]) {
        expect(Math.abs(count - expected)).toBeLessThan(5 * Math.sqrt(expected) + 2);
      }
    }
  });

  it('is deterministic, scales by mean and std, and continues the stream across calls and states', () => {
    const a = new Rng(3).fillNormalZiggurat(new Float32Array(1000));
    const wide = new Rng(3).fillNormalZiggurat(new Float64Array(1000));
    const b = new Rng(3).fillNormalZiggurat(new Float64Array(1000), 2, 0.5);
    expect(Array.from(a)).toEqual(Array.from(wide, Math.fround));
    expect(Array.from(b)).toEqual(Array.from(wide, (v) => 2 + 0.5 * v));
    const rng = new Rng(3);
    const first = rng.fillNormalZiggurat(new Float32Array(400));
    const state = JSON.parse(JSON.stringify(rng.getState()));
    const second = rng.fillNormalZiggurat(new Float32Array(600));
    expect([...first, ...second]).toEqual(Array.from(a));
    expect(Array.from(Rng.fromState(state).fillNormalZiggurat(new Float32Array(600)))).toEqual(
      Array.from(second),
    );
    // The generator state after a fill is the one a plain draw sees next: no hidden buffering.
    expect(Rng.fromState(state).nextUint32()).not.toBe(rng.nextUint32());
  });

  it('is a different stream from fillNormal and leaves the pending Box-Muller value alone', () => {
    const rng = new Rng(9);
    const boxMuller = new Rng(9).fillNormal(new Float32Array(8));
    expect(Array.from(rng.fillNormalZiggurat(new Float32Array(8)))).not.toEqual(Array.from(boxMuller));
    const withSpare = new Rng(9);
    withSpare.normal();
    const spare = withSpare.getState().spareNormal;
    withSpare.fillNormalZiggurat(new Float32Array(16));
    expect(withSpare.getState().spareNormal).toBe(spare);
  });
});
