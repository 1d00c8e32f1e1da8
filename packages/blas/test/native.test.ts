/**
 * The loader and the addon's argument checks. The products themselves are tested against the
 * tfjs wasm kernels in @mbrl-ts/nn. Tests that need the built addon are skipped without it.
 */
import { existsSync } from 'node:fs';
import { addonPath, loadBlas } from '../src/index';

const load = loadBlas();
const withAddon = load.blas === null ? it.skip : it;
if (load.blas === null) console.warn(`native.test: addon tests SKIPPED (${load.reason})`);

describe('loadBlas', () => {
  it('loads the addon exactly when it is built, and otherwise says how to build it', () => {
    expect(load.blas !== null).toBe(existsSync(addonPath()));
    if (load.blas === null) expect(load.reason).toContain('npm run build:native');
    expect(loadBlas()).toBe(load); // once per process
  });

  withAddon('multiplies, transposes and batches row-major operands in place', () => {
    const blas = load.blas!;
    const heap = new ArrayBuffer(256);
    const f = new Float32Array(heap);
    f.set([1, 2, 3, 4], 0); // A
    f.set([5, 6, 7, 8], 4); // B
    blas.sgemm(heap, 1, 2, 2, 2, false, false, 0, 0, 16, 0, 32);
    expect([...f.slice(8, 12)]).toEqual([19, 22, 43, 50]);
    blas.sgemm(heap, 1, 2, 2, 2, true, false, 0, 0, 16, 0, 32); // A^T B
    expect([...f.slice(8, 12)]).toEqual([26, 30, 38, 44]);
    blas.sgemm(heap, 1, 2, 2, 2, false, true, 0, 0, 16, 0, 32); // A B^T
    expect([...f.slice(8, 12)]).toEqual([17, 23, 39, 53]);
    // batch 2 with B broadcast (stride 0): [A; 2A] B
    f.set([1, 2, 3, 4, 2, 4, 6, 8], 16);
    blas.sgemm(heap, 2, 2, 2, 2, false, false, 64, 4, 16, 0, 128);
    expect([...f.slice(32, 40)]).toEqual([19, 22, 43, 50, 38, 44, 86, 100]);
  });

  withAddon('computes tanh, softplus and double-accumulated sums', () => {
    const blas = load.blas!;
    const heap = new ArrayBuffer(128);
    const f = new Float32Array(heap);
    f.set([0, 1, -2, 20, -20, 0.5]);
    blas.unary(0, heap, 0, 32, 6);
    [0, 1, -2, 20, -20, 0.5].forEach((x, i) => expect(f[8 + i]).toBeCloseTo(Math.tanh(x), 6));
    blas.unary(1, heap, 0, 32, 6);
    [0, 1, -2, 20, -20, 0.5].forEach((x, i) => expect(f[8 + i]).toBeCloseTo(Math.log1p(Math.exp(x)), 6));
    f.set([1, 2, 3, 4, 5, 6]); // 2 x 3
    blas.sum(heap, 0, 2, 3, true, 64, 1);
    expect([...f.slice(16, 19)]).toEqual([5, 7, 9]);
    blas.sum(heap, 0, 2, 3, false, 64, 0.5);
    expect([...f.slice(16, 18)]).toEqual([3, 7.5]);
  });

  withAddon('normalises rows and writes their gradient (layerNorm, layerNormGrad)', () => {
    const blas = load.blas!;
    const heap = new ArrayBuffer(512);
    const f = new Float32Array(heap);
    // x 2 x 4 at 0, weight at 8, bias at 12: rows with mean 2 and 1, variance 1 (eps 0).
    f.set([1, 1, 3, 3, 2, 0, 0, 2, 1, 2, 3, 4, 0, 0, 0, 1]);
    blas.layerNorm(heap, 2, 4, 0, 32, 48, 64, 96, 104, 0); // y at 16, mean at 24, rstd at 26
    expect([...f.slice(16, 24)]).toEqual([-1, -2, 3, 5, 1, -2, -3, 5]);
    expect([...f.slice(24, 28)]).toEqual([2, 1, 1, 1]);
    f.set([1, 0, 0, 0, 0, 1, 0, 0], 32); // dy at 32; dx at 40, dweight at 48, dbias at 52
    blas.layerNormGrad(heap, 2, 4, 128, 0, 32, 96, 104, 160, 192, 208);
    expect([...f.slice(40, 48)]).toEqual([0.5, -0.5, 0, 0, 0, 1, -1, 0]);
    expect([...f.slice(48, 52)]).toEqual([-1, -1, 0, 0]);
    expect([...f.slice(52, 56)]).toEqual([1, 1, 0, 0]);
    expect(() => blas.layerNorm(heap, 2, 100, 0, 0, 0, 0, 0, 0, 1e-5)).toThrow('outside the buffer');
    expect(() => blas.layerNorm(heap, 1, 0, 0, 0, 0, 0, 0, 0, 1e-5)).toThrow('bad size');
  });

  withAddon('refuses operands outside the buffer and bad arguments', () => {
    const blas = load.blas!;
    const heap = new ArrayBuffer(64);
    expect(() => blas.sgemm(heap, 1, 4, 4, 4, false, false, 0, 0, 0, 0, 8)).toThrow(
      'an operand lies outside the buffer',
    );
    expect(() => blas.sgemm(heap, 1, 1, 1, 1, false, false, 2, 0, 0, 0, 0)).toThrow('multiples of 4');
    expect(() => blas.unary(0, heap, 0, 0, 17)).toThrow('outside the buffer');
    expect(() => blas.setThreads(0)).toThrow('expected a thread count from 1 to 1024');
  });
});
