/**
 * The product libraries (oneDNN, OpenBLAS: each one the addon is built with) and the products'
 * precisions. Every library gives exactly known products and the dense epilogue; bf16 rounds the
 * operands (to nearest, ties to even) and nothing else: the products accumulate and write f32, and
 * every kernel that is not a product computes the same bits as in fp32. Skipped without the addon.
 */
import { loadBlas, withProducts, type ProductLibrary, type ProductPrecision } from '../src/index';

const load = loadBlas();
const withAddon = load.blas === null ? it.skip : it;
if (load.blas === null) console.warn(`products.test: addon tests SKIPPED (${load.reason})`);
const libraries = (load.blas?.libraries().split(',') ?? []) as ProductLibrary[];

const using = withProducts;

/** Float32 round to bfloat16, nearest with ties to even, written independently of the addon. */
function toBf16(x: number): number {
  const f = new Float32Array([x]);
  const u = new Uint32Array(f.buffer);
  const lower = u[0] & 0xffff;
  let upper = u[0] >>> 16;
  if (lower > 0x8000 || (lower === 0x8000 && (upper & 1) === 1)) upper += 1;
  u[0] = upper << 16;
  return f[0];
}

/** Deterministic operand values in [-2, 2] with full f32 mantissas. */
const fill = (f: Float32Array, from: number, count: number, salt: number) => {
  for (let i = 0; i < count; i++) f[from + i] = Math.sin(i * 0.731 + salt) * 2 + Math.cos(i * 0.0113) * 1e-3;
};

/**
 * C = op(A) op(B) in double from f32 values (rounded first by `round`), row-major, and the bound
 * on f32 accumulation error of each entry: k 2^-24 sum_p |a_p b_p| (a rigorous bound, doubled).
 */
function reference(
  a: Float32Array,
  b: Float32Array,
  m: number,
  n: number,
  k: number,
  ta: boolean,
  tb: boolean,
  round: (x: number) => number,
): { c: Float64Array; bound: Float64Array } {
  const ra = Float64Array.from(a, round);
  const rb = Float64Array.from(b, round);
  const c = new Float64Array(m * n);
  const bound = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      let abs = 0;
      for (let p = 0; p < k; p++) {
        const term = ra[ta ? p * m + i : i * k + p] * rb[tb ? j * k + p : p * n + j];
        s += term;
        abs += Math.abs(term);
      }
      c[i * n + j] = s;
      bound[i * n + j] = 2 * k * 2 ** -24 * abs;
    }
  return { c, bound };
}

const identity = (x: number) => x;

describe.each(libraries.length > 0 ? libraries : (['none'] as const))('products on %s', (library) => {
  withAddon('gives exactly known products, transposed and batched with a broadcast side', () => {
    const blas = load.blas!;
    using(blas, library as ProductLibrary, 'fp32', () => {
      expect(blas.library()).toBe(library);
      const heap = new ArrayBuffer(256);
      const f = new Float32Array(heap);
      f.set([1, 2, 3, 4], 0);
      f.set([5, 6, 7, 8], 4);
      blas.sgemm(heap, 1, 2, 2, 2, false, false, 0, 0, 16, 0, 32);
      expect([...f.slice(8, 12)]).toEqual([19, 22, 43, 50]);
      blas.sgemm(heap, 1, 2, 2, 2, true, true, 0, 0, 16, 0, 32); // A^T B^T
      expect([...f.slice(8, 12)]).toEqual([23, 31, 34, 46]);
      f.set([1, 2, 3, 4, 2, 4, 6, 8], 16);
      blas.sgemm(heap, 2, 2, 2, 2, false, false, 64, 4, 16, 0, 128);
      expect([...f.slice(32, 40)]).toEqual([19, 22, 43, 50, 38, 44, 86, 100]);
    });
  });

  withAddon('matches a double-precision product on blocked sizes, all four transposes', () => {
    const blas = load.blas!;
    const [m, n, k] = [40, 70, 257];
    for (const [ta, tb] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      const heap = new ArrayBuffer(4 * (m * k + k * n + m * n));
      const f = new Float32Array(heap);
      fill(f, 0, m * k, 1);
      fill(f, m * k, k * n, 2);
      using(blas, library as ProductLibrary, 'fp32', () =>
        blas.sgemm(heap, 1, m, n, k, ta, tb, 0, 0, 4 * m * k, 0, 4 * (m * k + k * n)),
      );
      const want = reference(f.subarray(0, m * k), f.subarray(m * k), m, n, k, ta, tb, identity);
      const got = f.subarray(m * k + k * n);
      let worst = 0; // the largest error as a fraction of its entry's accumulation bound
      for (let i = 0; i < m * n; i++) worst = Math.max(worst, Math.abs(got[i] - want.c[i]) / want.bound[i]);
      expect(worst).toBeLessThan(1);
    }
  });

  withAddon('stays exact past its caches of primitives (more distinct shapes than each keeps)', () => {
    const blas = load.blas!;
    using(blas, library as ProductLibrary, 'fp32', () => {
      // 130 product shapes (the cache keeps 96), twice over so evicted shapes come back.
      for (let round = 0; round < 2; round++)
        for (let m = 1; m <= 130; m++) {
          const heap = new ArrayBuffer(4 * (2 * m + 6 + 3 * m));
          const f = new Float32Array(heap);
          for (let i = 0; i < 2 * m; i++) f[i] = (i % 5) - 2; // A: m x 2
          f.set([1, 2, 3, -1, 0, 4], 2 * m); // B: 2 x 3
          blas.sgemm(heap, 1, m, 3, 2, false, false, 0, 0, 8 * m, 0, 8 * m + 24);
          for (let i = 0; i < m; i++) {
            const [a0, a1] = [f[2 * i], f[2 * i + 1]];
            expect([...f.subarray(2 * m + 6 + 3 * i, 2 * m + 9 + 3 * i)]).toEqual([
              a0 - a1,
              2 * a0,
              3 * a0 + 4 * a1,
            ]);
          }
        }
    });
    // ELU over 60 lengths (its cache keeps 48), and layer norm over 40 row counts (it keeps 32).
    for (let n = 1; n <= 60; n++) {
      const heap = new ArrayBuffer(8 * n);
      const f = new Float32Array(heap);
      for (let i = 0; i < n; i++) f[i] = i % 2 === 0 ? 1.5 : -1;
      blas.unary(2, heap, 0, 4 * n, n);
      for (let i = 0; i < n; i++) expect(f[n + i]).toBeCloseTo(i % 2 === 0 ? 1.5 : Math.expm1(-1), 6);
    }
    for (let rows = 1; rows <= 40; rows++) {
      const heap = new ArrayBuffer(4 * (8 * rows + 8 + 2 * rows));
      const f = new Float32Array(heap);
      for (let r = 0; r < rows; r++) f.set([1, 1, 3, 3], 4 * r); // mean 2, variance 1
      f.set([1, 1, 1, 1, 0, 0, 0, 0], 8 * rows); // weight, bias
      const [w, b, y, mean] = [32 * rows, 32 * rows + 16, 16 * rows, 32 * rows + 32];
      blas.layerNorm(heap, rows, 4, 0, w, b, y, mean, mean + 4 * rows, 0, false);
      for (let r = 0; r < rows; r++)
        expect([...f.subarray(4 * rows + 4 * r, 4 * rows + 4 * r + 4)]).toEqual([-1, -1, 1, 1]);
    }
  });

  withAddon('adds the bias and applies ELU after the product (the dense layer)', () => {
    const blas = load.blas!;
    const heap = new ArrayBuffer(256);
    const f = new Float32Array(heap);
    f.set([1, -2, 0.5, 3], 0); // x 2 x 2
    f.set([1, 0, 0, 1], 4); // w = I
    f.set([0.25, -4], 8); // bias
    using(blas, library as ProductLibrary, 'fp32', () => {
      blas.dense(heap, 2, 2, 2, 0, 16, 32, 48, false);
      expect([...f.slice(12, 16)]).toEqual([1.25, -6, 0.75, -1]);
      blas.dense(heap, 2, 2, 2, 0, 16, 32, 48, true);
    });
    expect(f[12]).toBe(1.25);
    expect(f[13]).toBeCloseTo(Math.expm1(-6), 6);
    expect(f[14]).toBe(0.75);
    expect(f[15]).toBeCloseTo(Math.expm1(-1), 6);
  });
});

describe('product precision', () => {
  withAddon('starts in fp32 and names the library and precision in use', () => {
    const blas = load.blas!;
    expect(blas.precision()).toBe('fp32');
    expect(libraries).toContain(blas.library());
    expect(blas.config()).toMatch(/^(oneDNN \d+\.\d+\.\d+ \(\w+\)|OpenBLAS )/);
    expect(() => blas.setPrecision('fp16' as never)).toThrow("expected 'fp32', 'bf16' or 'bf16-rounded'");
  });

  withAddon('bf16-rounded rounds each operand to nearest bf16, ties to even, and keeps f32 results', () => {
    const blas = load.blas!;
    // 1 + 2^-8 is a tie between 1 and 1 + 2^-7: even is 1. 1 + 3 * 2^-8 is a tie between 1 + 2^-7
    // and 1 + 2^-6: even is 1 + 2^-6. 1 + 2^-8 + 2^-20 is past the tie: up to 1 + 2^-7.
    const values = [1 + 2 ** -8, 1 + 3 * 2 ** -8, 1 + 2 ** -8 + 2 ** -20, -3.14159];
    const expected = [1, 1 + 2 ** -6, 1 + 2 ** -7, toBf16(-3.14159)];
    expect(expected[3]).toBe(-3.140625);
    for (const library of libraries) {
      const heap = new ArrayBuffer(64);
      const f = new Float32Array(heap);
      f.set(values, 0); // A: 4 x 1
      f[4] = 1; // B: 1 x 1
      using(blas, library, 'bf16-rounded', () => blas.sgemm(heap, 1, 4, 1, 1, false, false, 0, 0, 16, 0, 32));
      expect([...f.slice(8, 12)]).toEqual(expected);
      // The sum is f32, not bf16: (1 + 2^-6) + (1 + 2^-7) is kept exactly.
      f.set([1 + 3 * 2 ** -8, 1 + 2 ** -8 + 2 ** -20], 0); // A: 1 x 2
      f.set([1, 1], 4); // B: 2 x 1
      using(blas, library, 'bf16-rounded', () => blas.sgemm(heap, 1, 1, 1, 2, false, false, 0, 0, 16, 0, 32));
      expect(f[8]).toBe(2 + 2 ** -6 + 2 ** -7);
    }
  });

  withAddon(
    'bf16 products equal the f32 product of the rounded operands (rounded and, where it runs, native)',
    () => {
      const blas = load.blas!;
      const [m, n, k] = [48, 64, 200];
      const precisions: ProductPrecision[] = blas.bf16Available()
        ? ['bf16-rounded', 'bf16']
        : ['bf16-rounded'];
      if (!blas.bf16Available())
        console.warn(`products.test: native bf16 not on this CPU (${blas.config()}); rounded only`);
      for (const library of libraries)
        for (const precision of precisions) {
          if (precision === 'bf16' && library !== 'onednn') continue;
          const heap = new ArrayBuffer(4 * (m * k + k * n + m * n));
          const f = new Float32Array(heap);
          fill(f, 0, m * k, 3);
          fill(f, m * k, k * n, 4);
          using(blas, library, precision, () =>
            blas.sgemm(heap, 1, m, n, k, true, false, 0, 0, 4 * m * k, 0, 4 * (m * k + k * n)),
          );
          const rounded = reference(f.subarray(0, m * k), f.subarray(m * k), m, n, k, true, false, toBf16);
          const exact = reference(f.subarray(0, m * k), f.subarray(m * k), m, n, k, true, false, identity);
          const got = f.subarray(m * k + k * n);
          let fromRounded = 0; // as a fraction of the f32 accumulation bound
          let fromExact = 0;
          for (let i = 0; i < m * n; i++) {
            fromRounded = Math.max(fromRounded, Math.abs(got[i] - rounded.c[i]) / rounded.bound[i]);
            fromExact = Math.max(fromExact, Math.abs(got[i] - exact.c[i]) / exact.bound[i]);
          }
          expect(fromRounded).toBeLessThan(1); // f32 accumulation of the rounded operands only
          expect(fromExact).toBeGreaterThan(10); // far from the unrounded product: rounding happened
        }
    },
  );

  withAddon('changes only the products: other kernels compute the same bits, the bias stays f32', () => {
    const blas = load.blas!;
    const n = 4096;
    const run = (precision: ProductPrecision): Float32Array => {
      const heap = new ArrayBuffer(4 * 8 * n);
      const f = new Float32Array(heap);
      fill(f, 0, 4 * n, 5);
      using(blas, libraries[0], precision, () => {
        blas.unary(0, heap, 0, 4 * 4 * n, n); // tanh
        blas.unary(1, heap, 4 * n, 4 * 5 * n, n); // softplus
        blas.binary(2, heap, 0, 0, 4 * n, 0, 4 * 6 * n, 1, n); // multiply
        blas.layerNorm(
          heap,
          16,
          n / 16,
          4 * 2 * n,
          0,
          4 * n,
          4 * 7 * n,
          4 * 3 * n,
          4 * 3 * n + 64,
          1e-5,
          true,
        );
      });
      return f.slice(4 * n);
    };
    const fp32 = run('fp32');
    const bf16 = run('bf16-rounded');
    expect(Buffer.from(bf16.buffer).equals(Buffer.from(fp32.buffer))).toBe(true);
    // A dense layer in bf16: the product of rounded operands, then the f32 bias (1 + 2^-9 is not a
    // bf16 number, and survives).
    const heap = new ArrayBuffer(64);
    const f = new Float32Array(heap);
    f.set([1 + 2 ** -8], 0); // x: 1 x 1, rounds to 1
    f.set([3], 1); // w
    f.set([1 + 2 ** -9], 2); // bias
    using(blas, libraries[0], 'bf16-rounded', () => blas.dense(heap, 1, 1, 1, 0, 4, 8, 12, false));
    expect(f[3]).toBe(3 + 1 + 2 ** -9);
  });

  withAddon('refuses bf16 in one line where oneDNN has no bf16 kernels for this CPU', () => {
    const blas = load.blas!;
    if (!libraries.includes('onednn')) {
      expect(() => blas.setPrecision('bf16')).toThrow('bf16 products need oneDNN');
      return;
    }
    using(blas, 'onednn', 'fp32', () => {
      if (blas.bf16Available()) {
        blas.setPrecision('bf16');
        expect(blas.precision()).toBe('bf16');
        if (libraries.includes('openblas'))
          expect(() => blas.setLibrary('openblas')).toThrow('bf16 products need oneDNN');
      } else {
        expect(() => blas.setPrecision('bf16')).toThrow(
          /^mbrl_blas.setPrecision: bf16 products need oneDNN's bf16 kernels, which this CPU lacks/,
        );
        expect(blas.precision()).toBe('fp32');
      }
    });
  });
});
