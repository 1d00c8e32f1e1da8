/**
 * A workload of matrix products run through the addon without tfjs: the benchmarks' way to
 * measure what the machine's products cost on their own (for instance the products one ALM update
 * does, recorded from its kernels).
 */
import type { NativeBlas } from './native';

/** One kind of product: C [batch, m, n] = op(A) [m, k] op(B) [k, n], done `calls` times. */
export interface ProductShape {
  batch: number;
  m: number;
  n: number;
  k: number;
  transposeA: boolean;
  transposeB: boolean;
  calls: number;
}

/** Floating-point operations of `products`: 2 M N K per product and batch entry. */
export function productFlops(products: readonly ProductShape[]): number {
  return products.reduce((sum, p) => sum + 2 * p.batch * p.m * p.n * p.k * p.calls, 0);
}

/**
 * A function that runs every product of `products` (each `calls` times, in order) on the
 * addon's threads and returns the milliseconds it took. The operands live at fixed places in one
 * heap of small values, allocated here once: after the first run they come from warm caches.
 */
export function productMix(blas: NativeBlas, products: readonly ProductShape[]): () => number {
  const largest = (size: (p: ProductShape) => number) => Math.max(0, ...products.map(size));
  const aSize = largest((p) => p.batch * p.m * p.k);
  const bSize = largest((p) => p.batch * p.k * p.n);
  const cSize = largest((p) => p.batch * p.m * p.n);
  const heap = new ArrayBuffer(4 * (aSize + bSize + cSize));
  const values = new Float32Array(heap);
  for (let i = 0; i < values.length; i++) values[i] = ((i * 7919) % 17) / 17 - 0.5;
  return () => {
    const start = performance.now();
    for (const p of products) {
      for (let c = 0; c < p.calls; c++) {
        const [aStride, bStride] = [p.m * p.k, p.k * p.n];
        blas.sgemm(
          heap,
          p.batch,
          p.m,
          p.n,
          p.k,
          p.transposeA,
          p.transposeB,
          0,
          aStride,
          4 * aSize,
          bStride,
          4 * (aSize + bSize),
        );
      }
    }
    return performance.now() - start;
  };
}
