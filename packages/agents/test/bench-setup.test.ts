/**
 * The speed report's product recorder: what it records for products whose sizes and transposes
 * are known by hand (tfjs's product kernel, and the dense op whether it runs natively or not), and
 * that it leaves the kernels as it found them.
 */
import { dense, tf } from '@mbrl-ts/nn';
import { initBackend, kernelLayers, productFlops } from '@mbrl-ts/kernels';
import { recordProducts } from '../bench/alm-setup';

beforeAll(async () => {
  await initBackend('wasm', { logger: () => {} });
});

describe('recordProducts', () => {
  it('records sizes, transposes and calls of each product, in order of first appearance', () => {
    const before = kernelLayers('BatchMatMul', 'wasm');
    const products = recordProducts(() => {
      tf.tidy(() => {
        const a = tf.ones([7, 3]);
        const b = tf.ones([5, 3]);
        tf.matMul(a, b, false, true); // [7, 3] [5, 3]^T: m 7, n 5, k 3
        tf.matMul(a, b, false, true);
        tf.matMul(tf.ones([3, 7]), tf.ones([3, 4]), true, false); // [3, 7]^T [3, 4]: m 7, n 4, k 3
        tf.matMul(tf.ones([2, 4, 3]), tf.ones([2, 3, 6])); // two [4, 3] [3, 6]
        dense(tf.ones([4, 3]), tf.ones([3, 5]), tf.zeros([5]), 'elu'); // [4, 3] [3, 5]
      });
    });
    expect(products).toEqual([
      { batch: 1, m: 7, n: 5, k: 3, transposeA: false, transposeB: true, calls: 2 },
      { batch: 1, m: 7, n: 4, k: 3, transposeA: true, transposeB: false, calls: 1 },
      { batch: 2, m: 4, n: 6, k: 3, transposeA: false, transposeB: false, calls: 1 },
      { batch: 1, m: 4, n: 5, k: 3, transposeA: false, transposeB: false, calls: 1 },
    ]);
    // 2 M N K per product: 2 (7*5*3*2 + 7*4*3 + 2*4*6*3 + 4*5*3) = 2 (210 + 84 + 144 + 60).
    expect(productFlops(products)).toBe(996);
    expect(kernelLayers('BatchMatMul', 'wasm')).toEqual(before);
  });

  it('removes its layers when the recorded function throws', () => {
    const before = kernelLayers('BatchMatMul', 'wasm');
    expect(() =>
      recordProducts(() => {
        throw new Error('inside');
      }),
    ).toThrow('inside');
    expect(kernelLayers('BatchMatMul', 'wasm')).toEqual(before);
  });
});
