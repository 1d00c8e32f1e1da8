import * as tf from '@tensorflow/tfjs';
import {
  installReductionGradients,
  installWasmSlices,
  isReductionGradientsInstalled,
  isWasmSlicesInstalled,
  uninstallReductionGradients,
  uninstallWasmSlices,
} from '../src/index';
import { useWasm, values } from './helpers';

/** Runs f with the kernels under test and with tfjs's own, returning both results. */
function both<T>(f: () => T, uninstall: () => unknown, install: () => unknown): [T, T] {
  const ours = f();
  uninstall();
  try {
    return [ours, f()];
  } finally {
    install();
  }
}

describe('heap-to-heap slices on wasm', () => {
  beforeAll(useWasm);
  const x = () =>
    tf.tensor3d(
      Array.from({ length: 60 }, (_, i) => i * 0.5 - 7),
      [3, 4, 5],
    );

  it('are installed by initBackend', () => {
    expect(isWasmSlicesInstalled()).toBe(true);
  });

  it('slice contiguous and strided pieces as the wasm kernels do', () => {
    const cases: Array<[number[], number[]]> = [
      [
        [1, 0, 0],
        [2, 4, 5],
      ], // contiguous rows
      [
        [0, 1, 2],
        [3, 2, 3],
      ], // strided on every axis
      [
        [2, 3, 4],
        [1, 1, 1],
      ],
      [
        [0, 0, 1],
        [3, 4, -1],
      ],
    ];
    for (const [begin, size] of cases) {
      const [ours, theirs] = both(
        () => values(tf.tidy(() => tf.slice(x(), begin, size))),
        uninstallWasmSlices,
        installWasmSlices,
      );
      expect(ours).toEqual(theirs);
    }
    const hand = values(tf.tidy(() => tf.slice(tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]), [0, 1], [2, 2])));
    expect(hand).toEqual([2, 3, 5, 6]);
  });

  it('split and unstack as the wasm kernels do, on every axis', () => {
    for (const axis of [0, 1, 2]) {
      const [ours, theirs] = both(
        () =>
          tf.tidy(() => [
            ...tf.split(x(), axis === 2 ? [2, 3] : axis === 1 ? [1, 3] : [1, 2], axis).map(values),
            ...tf.unstack(x(), axis).map(values),
          ]),
        uninstallWasmSlices,
        installWasmSlices,
      );
      expect(ours).toEqual(theirs);
    }
    const [a, b] = tf.split(tf.tensor1d([1, 2, 3]), [1, 2]);
    expect([values(a), values(b)]).toEqual([[1], [2, 3]]);
    tf.dispose([a, b]);
  });

  it('concatenate on every axis as the wasm kernel does, short and long rows, int32 and empty parts', () => {
    const long = () =>
      tf.tensor2d(
        Array.from({ length: 2 * 300 }, (_, i) => i - 250),
        [2, 300],
      );
    const cases: Array<() => tf.Tensor> = [
      () => tf.concat([x(), x().mul(2)], 0),
      () => tf.concat([x(), tf.slice(x(), [0, 0, 0], [3, 2, 5])], 1),
      () => tf.concat([x(), tf.slice(x(), [0, 0, 1], [3, 4, 3]), x().neg()], 2),
      () => tf.concat([long(), tf.ones([2, 7]), long()], 1), // long and short rows
      () => tf.concat([tf.tensor2d([1, 2, 3, 4], [2, 2], 'int32'), tf.tensor2d([5, 6], [2, 1], 'int32')], 1),
      () => tf.concat([tf.zeros([2, 0]), tf.ones([2, 3]), tf.zeros([2, 0]), tf.ones([2, 1])], 1),
      () =>
        tf.concat(
          [tf.tensor2d([1, 0, 0, 1], [2, 2], 'bool'), tf.tensor2d([0, 1, 1, 1, 0, 0], [2, 3], 'bool')],
          1,
        ),
      () =>
        tf.slice(
          tf.tensor3d(
            Array.from({ length: 24 }, (_, i) => i % 3 === 0),
            [2, 3, 4],
            'bool',
          ),
          [0, 1, 1],
          [2, 2, 2],
        ),
    ];
    for (const make of cases) {
      const [ours, theirs] = both(
        () =>
          tf.tidy(() => {
            const t = make();
            return { shape: t.shape, dtype: t.dtype, values: values(t) };
          }),
        uninstallWasmSlices,
        installWasmSlices,
      );
      expect(ours).toEqual(theirs);
    }
    const hand = tf.tidy(() =>
      values(tf.concat([tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor2d([9, 8], [2, 1])], 1)),
    );
    expect(hand).toEqual([1, 2, 9, 3, 4, 8]);
    // A wrong shape still fails with tfjs's message.
    expect(() => tf.concat([tf.ones([2, 2]), tf.ones([3, 2])], 1)).toThrow(
      /does not match the shape of the rest/,
    );
  });

  it('leave no tensors behind', () => {
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      tf.split(x(), 3, 0);
      tf.unstack(x(), 2);
    });
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('reduction gradients without ones', () => {
  beforeAll(useWasm);

  it('are installed by initBackend and give the same gradients as tfjs', () => {
    expect(isReductionGradientsInstalled()).toBe(true);
    const x = tf.tensor3d(
      Array.from({ length: 24 }, (_, i) => Math.sin(i)),
      [2, 3, 4],
    );
    const losses: Array<(v: tf.Tensor) => tf.Scalar> = [
      (v) => tf.sum(tf.mul(tf.sum(v, -1), tf.range(1, 7).reshape([2, 3]))),
      (v) => tf.sum(tf.square(tf.mean(v, [0, 1]))),
      (v) => tf.mean(tf.exp(v)),
      (v) => tf.sum(tf.mean(v, 1, true)),
    ];
    for (const loss of losses) {
      const [ours, theirs] = both(
        () => values(tf.tidy(() => tf.grad(loss)(x))),
        uninstallReductionGradients,
        installReductionGradients,
      );
      expect(ours).toEqual(theirs);
    }
    // d/dx mean(x) = 1/n everywhere.
    expect(values(tf.tidy(() => tf.grad((v: tf.Tensor) => tf.mean(v))(tf.ones([4]))))).toEqual([
      0.25, 0.25, 0.25, 0.25,
    ]);
    x.dispose();
  });
});
