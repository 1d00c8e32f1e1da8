/**
 * The loader and the addon's argument checks. The products themselves are tested against the
 * tfjs wasm kernels by blas-kernels.test. Tests that need the built addon are skipped without it.
 */
import { existsSync } from 'node:fs';
import { addonPath, loadBlas } from '../src/index';

const load = loadBlas();
const withAddon = load.blas === null ? it.skip : it;
if (load.blas === null) console.warn(`native.test: addon tests SKIPPED (${load.reason})`);

describe('loadBlas', () => {
  it('loads the addon exactly when it is built, and otherwise says how to build it', () => {
    expect(load.blas !== null).toBe(existsSync(addonPath()));
    if (load.blas === null) expect(load.reason).toContain('npx mbrl-kernels-build');
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

  withAddon('computes a dense layer x w + bias, with and without ELU, in place of the product', () => {
    const blas = load.blas!;
    const heap = new ArrayBuffer(256);
    const f = new Float32Array(heap);
    f.set([1, -2, 0.5, 3], 0); // x: 2 x 2
    f.set([1, 2, -1, 1], 4); // w: 2 x 2
    f.set([0.5, -4], 8); // bias
    // x w = [[3, 0], [-2.5, 4]]; + bias = [[3.5, -4], [-2, 0]]
    blas.dense(heap, 2, 2, 2, 0, 16, 32, 48, false);
    expect([...f.slice(12, 16)]).toEqual([3.5, -4, -2, 0]);
    blas.dense(heap, 2, 2, 2, 0, 16, 32, 48, true);
    [3.5, Math.expm1(-4), Math.expm1(-2), 0].forEach((v, i) => expect(f[12 + i]).toBeCloseTo(v, 6));
    expect(() => blas.dense(heap, 2, 2, 2, 0, 16, 32, 248, true)).toThrow('outside the buffer');
    expect(() => blas.dense(heap, -1, 2, 2, 0, 16, 32, 48, true)).toThrow('non-negative integers');
  });

  withAddon('computes the bounded Gaussian head and its gradient', () => {
    const blas = load.blas!;
    const heap = new ArrayBuffer(256);
    const f = new Float32Array(heap);
    f.set([0, 45, -3, 0, 20, -20]); // one row, d = 3: raw means [0, 45, -3], raw stds [0, 20, -20]
    blas.boundedGaussian(heap, 1, 3, 0, 32, 48, 30, 0.1, 10); // mean at 8, std at 12
    const softplus = (x: number) => Math.log1p(Math.exp(x));
    const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
    [0, 45, -3].forEach((m, i) => expect(f[8 + i]).toBeCloseTo(30 * Math.tanh(m / 30), 5));
    [0, 20, -20].forEach((s, i) =>
      expect(f[12 + i]).toBeCloseTo(0.1 + softplus(10 - softplus(10 - s) - 0.1), 6),
    );
    f.set([1, 1, 1, 1, 1, 1], 16); // dmean at 16, dstd at 19
    blas.boundedGaussianGrad(heap, 1, 3, 64, 76, 0, 32, 96, 30, 0.1, 10); // dparams at 24
    [0, 45, -3].forEach((m, i) => expect(f[24 + i]).toBeCloseTo(1 - Math.tanh(m / 30) ** 2, 5));
    [0, 20, -20].forEach((s, i) => {
      const u = 10 - s;
      expect(f[27 + i]).toBeCloseTo(sigmoid(10 - softplus(u) - 0.1) * sigmoid(u), 6);
    });
    expect(() => blas.boundedGaussian(heap, 20, 3, 0, 32, 48, 30, 0.1, 10)).toThrow('outside the buffer');
    expect(() => blas.boundedGaussian(heap, 1, 3, 0, 32, 48, 0, 0.1, 10)).toThrow(
      'bad size, offset or bound',
    );
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

  withAddon('adds, subtracts, multiplies, divides and negates with broadcasts', () => {
    const blas = load.blas!;
    const heap = new ArrayBuffer(128);
    const f = new Float32Array(heap);
    f.set([1, 2, 3, 4, 5, 6]); // a 2 x 3 matrix at 0
    f.set([10, 20, 30], 8); // a row at 32
    f.set([2, 4], 12); // a column at 48
    blas.binary(0, heap, 0, 0, 32, 2, 64, 2, 3); // matrix + row
    expect([...f.slice(16, 22)]).toEqual([11, 22, 33, 14, 25, 36]);
    blas.binary(1, heap, 48, 3, 0, 0, 64, 2, 3); // column - matrix
    expect([...f.slice(16, 22)]).toEqual([1, 0, -1, 0, -1, -2]);
    blas.binary(3, heap, 0, 0, 48, 1, 64, 2, 3); // matrix / scalar 2
    expect([...f.slice(16, 22)]).toEqual([0.5, 1, 1.5, 2, 2.5, 3]);
    blas.binary(2, heap, 32, 2, 48, 3, 64, 2, 3); // row * column: an outer product
    expect([...f.slice(16, 22)]).toEqual([20, 40, 60, 40, 80, 120]);
    blas.binary(4, heap, 0, 0, 0, 0, 64, 1, 6);
    expect([...f.slice(16, 22)]).toEqual([-1, -2, -3, -4, -5, -6]);
    expect(() => blas.binary(0, heap, 0, 0, 0, 0, 64, 2, 16)).toThrow('outside the buffer');
    // @ts-expect-error an operation code the addon does not know
    expect(() => blas.binary(5, heap, 0, 0, 0, 0, 64, 1, 1)).toThrow('bad operation');
  });

  withAddon('gives the same small-k products with its own loop and with OpenBLAS', () => {
    const blas = load.blas!;
    const [m, n, k] = [5, 70, 3];
    const heap = new ArrayBuffer(4 * (m * k + k * n + 2 * m * n));
    const f = new Float32Array(heap);
    for (let i = 0; i < m * k + k * n; i++) f[i] = ((i * 37) % 11) - 5; // small integers: exact sums
    const c = m * k + k * n;
    const run = (max: number, at: number) => {
      const previous = blas.smallK(max);
      blas.sgemm(heap, 1, m, n, k, false, true, 0, 0, 4 * m * k, 0, 4 * at);
      blas.smallK(previous);
    };
    run(8, c);
    run(0, c + m * n);
    expect([...f.slice(c, c + m * n)]).toEqual([...f.slice(c + m * n)]);
    expect(blas.smallK(8)).toBe(8);
    expect(() => blas.smallK(33)).toThrow('from 0 to 32');
  });

  withAddon('normalises rows and writes their gradient (layerNorm, layerNormGrad)', () => {
    const blas = load.blas!;
    const heap = new ArrayBuffer(512);
    const f = new Float32Array(heap);
    // x 2 x 4 at 0, weight at 8, bias at 12: rows with mean 2 and 1, variance 1 (eps 0).
    f.set([1, 1, 3, 3, 2, 0, 0, 2, 1, 2, 3, 4, 0, 0, 0, 1]);
    blas.layerNorm(heap, 2, 4, 0, 32, 48, 64, 96, 104, 0, false); // y at 16, mean at 24, rstd at 26
    expect([...f.slice(16, 24)]).toEqual([-1, -2, 3, 5, 1, -2, -3, 5]);
    expect([...f.slice(24, 28)]).toEqual([2, 1, 1, 1]);
    f.set([1, 0, 0, 0, 0, 1, 0, 0], 32); // dy at 32; dx at 40, dweight at 48, dbias at 52
    blas.layerNormGrad(heap, 2, 4, 128, 0, 32, 96, 104, 160, 192, 208, null);
    expect([...f.slice(40, 48)]).toEqual([0.5, -0.5, 0, 0, 0, 1, -1, 0]);
    expect([...f.slice(48, 52)]).toEqual([-1, -1, 0, 0]);
    expect([...f.slice(52, 56)]).toEqual([1, 1, 0, 0]);
    // With tanh: y = tanh of the above; dy goes through tanh first, dy (1 - t^2), so row 1's
    // gradients scale by s1 = 1 - tanh(1)^2 and row 2's by s2 = 1 - tanh(2)^2.
    blas.layerNorm(heap, 2, 4, 0, 32, 48, 64, 96, 104, 0, true);
    [-1, -2, 3, 5, 1, -2, -3, 5].forEach((v, i) => expect(f[16 + i]).toBeCloseTo(Math.tanh(v), 6));
    blas.layerNormGrad(heap, 2, 4, 128, 0, 32, 96, 104, 160, 192, 208, 64);
    const [s1, s2] = [1 - Math.tanh(1) ** 2, 1 - Math.tanh(2) ** 2];
    [0.5 * s1, -0.5 * s1, 0, 0, 0, s2, -s2, 0].forEach((v, i) => expect(f[40 + i]).toBeCloseTo(v, 6));
    [-s1, -s2, 0, 0].forEach((v, i) => expect(f[48 + i]).toBeCloseTo(v, 6));
    [s1, s2, 0, 0].forEach((v, i) => expect(f[52 + i]).toBeCloseTo(v, 6));
    expect(() => blas.layerNorm(heap, 2, 100, 0, 0, 0, 0, 0, 0, 1e-5, false)).toThrow('outside the buffer');
    expect(() => blas.layerNorm(heap, 1, 0, 0, 0, 0, 0, 0, 0, 1e-5, false)).toThrow('bad size');
    expect(() => blas.layerNormGrad(heap, 2, 4, 128, 0, 32, 96, 104, 160, 192, 208, 500)).toThrow(
      'outside the buffer',
    );
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

describe('the thread pool', () => {
  /** Runs `run` with 1 thread and with `threads`, on the same fresh heap contents, returning both heaps. */
  function oneAndMany(
    size: number,
    threads: number,
    run: (heap: ArrayBuffer) => void,
  ): [Float32Array, Float32Array] {
    const blas = load.blas!;
    const before = blas.threads();
    const results: Float32Array[] = [];
    try {
      for (const count of [1, threads]) {
        blas.setThreads(count);
        expect(blas.threads()).toBe(count);
        const heap = new ArrayBuffer(size * 4);
        const f = new Float32Array(heap);
        for (let i = 0; i < f.length; i++) f[i] = Math.sin(i * 0.37) * 2;
        run(heap);
        results.push(f);
      }
    } finally {
      blas.setThreads(before);
    }
    return [results[0], results[1]];
  }

  const maxDifference = (a: Float32Array, b: Float32Array): number =>
    a.reduce((worst, v, i) => Math.max(worst, Math.abs(v - b[i])), 0);

  withAddon('splits products by rows, columns and batch entries with the single-thread result', () => {
    const blas = load.blas!;
    // [batch, m, n, k, transA, transB]: tall, wide, odd sizes, transposes, a batch, a tiny k.
    const cases: Array<[number, number, number, number, boolean, boolean]> = [
      [1, 300, 70, 130, false, false],
      [1, 37, 333, 129, true, false],
      [1, 129, 131, 257, false, true],
      [1, 200, 64, 96, true, true],
      [3, 65, 90, 77, false, false],
      [1, 513, 300, 1, false, true],
    ];
    for (const [batch, m, n, k, ta, tb] of cases) {
      const a = 0;
      const b = 4 * batch * m * k;
      const c = b + 4 * batch * k * n;
      const size = c / 4 + batch * m * n;
      for (const threads of [2, 3]) {
        const [one, many] = oneAndMany(size, threads, (heap) =>
          blas.sgemm(heap, batch, m, n, k, ta, tb, a, m * k, b, k * n, c),
        );
        // A block of rows or columns may be summed in another order than the whole product
        // (oneDNN picks its blocking per shape): rounding of a k-term sum, relative to C's size.
        const scale = one.reduce((worst, v) => Math.max(worst, Math.abs(v)), 0);
        expect(maxDifference(one, many)).toBeLessThan(1e-6 * Math.sqrt(k) * scale + 1e-6);
      }
    }
  });

  withAddon('a dense layer on any thread count equals the product, then the bias add, then ELU', () => {
    const blas = load.blas!;
    const before = blas.threads();
    try {
      // Row splits (tall), column splits (short and wide), a k small enough for small_k.c.
      for (const [m, n, k] of [
        [300, 70, 130],
        [20, 333, 129],
        [513, 300, 5],
      ]) {
        const [x, w, bias, y, ref, end] = [0, m * k, k * n, n, m * n, m * n].map(
          (_, i, sizes) => 4 * sizes.slice(0, i + 1).reduce((a, b) => a + b, 0) - 4 * sizes[0],
        );
        const heap = new ArrayBuffer(end + 4 * m * n);
        const f = new Float32Array(heap);
        for (let i = 0; i < ref / 4; i++) f[i] = Math.sin(i * 0.37) * 2;
        for (const elu of [false, true]) {
          for (const threads of [1, 2, 3]) {
            blas.setThreads(threads);
            blas.sgemm(heap, 1, m, n, k, false, false, x, 0, w, 0, ref);
            blas.binary(0, heap, ref, 0, bias, 2, ref, m, n);
            if (elu) blas.unary(2, heap, ref, ref, m * n);
            blas.dense(heap, m, n, k, x, w, bias, y, elu);
            const fused = f.subarray(y / 4, y / 4 + m * n);
            expect(maxDifference(fused, f.subarray(ref / 4, ref / 4 + m * n))).toBeLessThan(1e-4);
          }
        }
      }
    } finally {
      blas.setThreads(before);
    }
  });

  withAddon('splits element-wise kernels, sums and Adam with exactly the single-thread values', () => {
    const blas = load.blas!;
    const n = 100_003; // above the split threshold, not a multiple of the piece alignment
    const bytes = 4 * n;
    for (const op of [0, 1, 2] as const) {
      const [one, many] = oneAndMany(2 * n, 2, (heap) => blas.unary(op, heap, 0, bytes, n));
      expect(many).toEqual(one);
    }
    const [one, many] = oneAndMany(3 * n, 2, (heap) => blas.eluGrad(heap, 0, bytes, 2 * bytes, n));
    expect(many).toEqual(one);
    for (const leading of [true, false]) {
      const [rows, columns] = [313, 1009]; // 315,817 values
      const [s1, s2] = oneAndMany(rows * columns + 2000, 2, (heap) =>
        blas.sum(heap, 0, rows, columns, leading, 4 * rows * columns, 0.5),
      );
      expect(s2).toEqual(s1);
    }
    // Arithmetic split by rows (outer > 1) and by columns (one long row), every operand kind.
    for (const [outer, width] of [
      [400, 300],
      [1, 120_000],
    ]) {
      const size = outer * width;
      for (const [aKind, bKind] of [
        [0, 0],
        [0, 1],
        [2, 0],
        [0, 3],
      ] as const) {
        const [r1, r2] = oneAndMany(3 * size, 2, (heap) =>
          blas.binary(3, heap, 0, aKind, 4 * size, bKind, 8 * size, outer, width),
        );
        expect(r2).toEqual(r1);
      }
    }
    // Layer norm split by rows (each row's y exactly as on one thread); the backward's column sums
    // are combined per piece (within rounding).
    const [rows, cols] = [300, 512];
    const [l1, l2] = oneAndMany(7 * rows * cols, 2, (heap) => {
      const at = (i: number) => 4 * i * rows * cols;
      blas.layerNorm(
        heap,
        rows,
        cols,
        0,
        at(1),
        at(1) + 4 * cols,
        at(2),
        at(3),
        at(3) + 4 * rows,
        1e-5,
        true,
      );
      blas.layerNormGrad(
        heap,
        rows,
        cols,
        at(4),
        0,
        at(1),
        at(3),
        at(3) + 4 * rows,
        at(5),
        at(6),
        at(6) + 4 * cols,
        at(2),
      );
    });
    // oneDNN sums each block's column sums in f32: rounding of a rows-term sum, relative to its size.
    const scale = l1.reduce((worst, v) => Math.max(worst, Math.abs(v)), 0);
    expect(maxDifference(l1, l2)).toBeLessThan(1e-6 * Math.sqrt(rows) * scale);
    expect(Array.from(l2.subarray(2 * rows * cols, 3 * rows * cols))).toEqual(
      Array.from(l1.subarray(2 * rows * cols, 3 * rows * cols)),
    );
    const [a1, a2] = oneAndMany(7 * n, 2, (heap) => {
      const f = new Float32Array(heap);
      for (let i = 2 * n; i < 3 * n; i++) f[i] = Math.abs(f[i]); // v >= 0
      blas.adam(
        heap,
        n,
        0,
        bytes,
        2 * bytes,
        3 * bytes,
        4 * bytes,
        5 * bytes,
        6 * bytes,
        0.9,
        0.999,
        1e-8,
        1e-3,
        0.03,
        0.5,
      );
    });
    expect(a2).toEqual(a1);
  });
});
