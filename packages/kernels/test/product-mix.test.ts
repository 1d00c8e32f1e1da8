/**
 * The benchmarks' product workload: FLOPs by hand, the calls it makes in order, and that its
 * operands fit its heap for the real addon (which throws on any operand outside the buffer).
 */
import { loadBlas, productFlops, productMix, type NativeBlas, type ProductShape } from '../src/index';

const load = loadBlas();
const withAddon = load.blas === null ? it.skip : it;

const products: ProductShape[] = [
  { batch: 1, m: 7, n: 5, k: 3, transposeA: false, transposeB: true, calls: 2 },
  { batch: 2, m: 4, n: 6, k: 9, transposeA: true, transposeB: false, calls: 1 },
];

describe('productFlops', () => {
  it('counts 2 M N K per product, batch entry and call', () => {
    expect(productFlops(products)).toBe(2 * (7 * 5 * 3 * 2 + 2 * 4 * 6 * 9)); // 1284
    expect(productFlops([])).toBe(0);
  });
});

describe('productMix', () => {
  it('runs each product its number of times, in order, with operands inside one heap', () => {
    const calls: unknown[][] = [];
    const recorder = { sgemm: (...args: unknown[]) => calls.push(args) } as unknown as NativeBlas;
    const run = productMix(recorder, products);
    expect(run()).toBeGreaterThanOrEqual(0);
    expect(calls.map((c) => c.slice(1, 7))).toEqual([
      [1, 7, 5, 3, false, true],
      [1, 7, 5, 3, false, true],
      [2, 4, 6, 9, true, false],
    ]);
    // Largest A: 2 * 4 * 9 = 72 floats, largest B: 2 * 9 * 6 = 108; C follows both.
    const [heap, , , , , , , aOffset, aStride, bOffset, bStride, cOffset] = calls[2] as [
      ArrayBuffer,
      ...number[],
    ];
    expect([aOffset, aStride, bOffset, bStride, cOffset]).toEqual([0, 36, 4 * 72, 54, 4 * (72 + 108)]);
    expect(heap.byteLength).toBe(4 * (72 + 108 + 48)); // largest C: max(7 * 5, 2 * 4 * 6) = 48
  });

  withAddon('runs on the addon without an operand outside its heap', () => {
    const run = productMix(load.blas!, products);
    expect(() => run()).not.toThrow();
  });
});
