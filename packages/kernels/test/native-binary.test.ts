/**
 * The native element-wise arithmetic (Add, Sub, Multiply, RealDiv, Square, Neg) and the addon's
 * small-inner-dimension products against the wasm backend's own kernels. The arithmetic must
 * match bit for bit; products within float tolerance. Skipped without the built addon.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng, standardNormal } from '@mbrl-ts/nn';
import {
  initBackend,
  installBlasKernels,
  isNativeBinaryInstalled,
  kernelLayers,
  uninstallBlasKernels,
} from '../src/index';
import { blasSuites, expectClose, withNativeKernels } from './helpers';

const { load, describeWithBlas } = blasSuites('native-binary.test: native kernel tests');

/** `f` computed with the native kernels and with the wasm kernels: raw float32 values and shapes. */
function bothKernels(f: () => tf.Tensor): { native: tf.Tensor; wasm: tf.Tensor } {
  if (load.blas === null) throw new Error('unreachable without the addon');
  installBlasKernels(load.blas);
  const native = tf.tidy(f);
  uninstallBlasKernels();
  const wasm = tf.tidy(f);
  installBlasKernels(load.blas);
  return { native, wasm };
}

/** Same shape, dtype and bits (NaNs compared as NaNs). */
function expectIdentical({ native, wasm }: { native: tf.Tensor; wasm: tf.Tensor }, label: string): void {
  expect({ label, shape: native.shape, dtype: native.dtype }).toEqual({
    label,
    shape: wasm.shape,
    dtype: wasm.dtype,
  });
  const a = native.dataSync();
  const b = wasm.dataSync();
  const bitsA = new Uint32Array(new Float32Array(a).buffer);
  const bitsB = new Uint32Array(new Float32Array(b).buffer);
  for (let i = 0; i < a.length; i++) {
    const same = bitsA[i] === bitsB[i] || (Number.isNaN(a[i]) && Number.isNaN(b[i]));
    if (!same) throw new Error(`${label}: element ${i} is ${a[i]} natively, ${b[i]} on wasm`);
  }
  tf.dispose([native, wasm]);
}

const OPS: Record<string, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor> = {
  add: tf.add,
  sub: tf.sub,
  mul: tf.mul,
  div: tf.div,
};

describeWithBlas('native element-wise arithmetic on the wasm backend', () => {
  const rng = new Rng(23);
  /** Values with zeros, signed zeros, NaN, infinities and a subnormal mixed in. */
  const special = [0, -0, NaN, Infinity, -Infinity, 1e-40, -3, 7];
  const sample = (shape: number[]): tf.Tensor =>
    tf.tidy(() => {
      const n = shape.reduce((p, d) => p * d, 1);
      const v = standardNormal([n], rng).dataSync().slice();
      for (let i = 0; i < n; i += 5) v[i] = special[(i / 5) % special.length];
      return tf.tensor(v, shape);
    });

  beforeAll(async () => {
    const info = await initBackend('wasm', { kernels: 'blas', logger: () => {} });
    expect(info.kernels).toBe('blas');
  });

  afterAll(async () => {
    await initBackend('wasm', { kernels: 'wasm', logger: () => {} });
  });

  it('sit over the wasm kernels and come off with the other native kernels', () => {
    expect(kernelLayers('Add', 'wasm')).toEqual(['native-binary']);
    expect(kernelLayers('Square', 'wasm')).toEqual(['native-binary']);
    uninstallBlasKernels();
    expect(isNativeBinaryInstalled()).toBe(false);
    expect(kernelLayers('RealDiv', 'wasm')).toEqual([]);
    installBlasKernels(load.blas!);
    expect(isNativeBinaryInstalled()).toBe(true);
  });

  // [left, right]: every broadcast the addon takes, both operand orders, plus fall-throughs.
  // prettier-ignore
  const pairs: Array<[number[], number[]]> = [
    [[3, 37, 67], [3, 37, 67]], // same shape
    [[3, 37, 67], []], // scalar
    [[3, 37, 67], [1]], // scalar of rank 1
    [[3, 37, 67], [67]], // trailing vector (a bias)
    [[37, 67], [1, 67]],
    [[3, 37, 67], [3, 37, 1]], // column
    [[37, 67], [37, 1]],
    [[1, 37, 5], [37, 1]], // column with a leading 1
    [[37, 1], [37, 1]],
    [[5, 1], [1, 6]], // an outer sum: a column against a row
    [[3, 37, 67], [37, 67]], // a matrix repeated over the batch: the wasm kernel
    [[4, 1, 6], [4, 3, 6]], // a middle axis: the wasm kernel
    [[0, 5], [5]], // empty
    [[0, 5], []],
  ];

  it.each(pairs)('add, sub, mul and div of %j and %j are the wasm kernels bit for bit', (left, right) => {
    const a = sample(left);
    const b = sample(right);
    for (const [name, op] of Object.entries(OPS)) {
      expectIdentical(
        bothKernels(() => op(a, b)),
        `${name} ${JSON.stringify(left)} ${JSON.stringify(right)}`,
      );
      expectIdentical(
        bothKernels(() => op(b, a)),
        `${name} ${JSON.stringify(right)} ${JSON.stringify(left)}`,
      );
    }
    tf.dispose([a, b]);
  });

  it('square and negate as the wasm kernels do, bit for bit', () => {
    const x = sample([3, 41, 29]);
    expectIdentical(
      bothKernels(() => tf.square(x)),
      'square',
    );
    expectIdentical(
      bothKernels(() => tf.neg(x)),
      'neg',
    );
    expectIdentical(
      bothKernels(() => tf.neg(tf.zeros([0, 3]))),
      'neg of nothing',
    );
    expect(Array.from(tf.tidy(() => tf.neg(tf.tensor1d([0, -2, Infinity]))).dataSync())).toEqual([
      -0,
      2,
      -Infinity,
    ]);
    x.dispose();
  });

  it('give known values, and leave int32 and bool to the wasm kernels', () => {
    const v = (t: tf.Tensor) => Array.from(t.dataSync());
    tf.tidy(() => {
      const m = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
      expect(v(tf.add(m, tf.tensor1d([10, 20, 30])))).toEqual([11, 22, 33, 14, 25, 36]);
      expect(v(tf.sub(tf.tensor2d([1, 2], [2, 1]), m))).toEqual([0, -1, -2, -2, -3, -4]);
      expect(v(tf.div(m, tf.scalar(2)))).toEqual([0.5, 1, 1.5, 2, 2.5, 3]);
      expect(v(tf.div(tf.scalar(1), tf.tensor1d([0, -0])))).toEqual([Infinity, -Infinity]);
      const ints = tf.mul(tf.tensor1d([3, -4], 'int32'), tf.tensor1d([5, 6], 'int32'));
      expect(ints.dtype).toBe('int32');
      expect(v(ints)).toEqual([15, -24]);
      expect(v(tf.square(tf.tensor1d([-3, 4], 'int32')))).toEqual([9, 16]);
      expect(tf.neg(tf.tensor1d([1], 'int32')).dtype).toBe('int32');
      expect(v(tf.add(tf.tensor1d([1, 2], 'int32'), tf.tensor1d([0.5, 0.25])))).toEqual([1.5, 2.25]);
    });
  });

  it('report incompatible shapes with the wasm kernel’s message', () => {
    expect(() => tf.add(tf.ones([2, 3]), tf.ones([4]))).toThrow('Operands could not be broadcast together');
  });

  it('give the same gradients through a broadcast bias', () => {
    const x = standardNormal([9, 5], rng);
    const bias = standardNormal([5], rng);
    const grads = (which: 0 | 1) => () =>
      tf.tidy(() => {
        const g = tf.grads((p: tf.Tensor, q: tf.Tensor) =>
          tf.sum(tf.div(tf.square(tf.add(p, q)), tf.add(q, 3))),
        );
        return g([x, bias])[which];
      });
    expectIdentical(bothKernels(grads(0)), 'gradient of x');
    // The bias gradient sums over rows, natively in double: within float rounding of wasm's.
    const { native, wasm } = bothKernels(grads(1));
    expectClose(native.dataSync(), wasm.dataSync(), 1e-5);
    tf.dispose([x, bias, native, wasm]);
  });

  it('stay correct when the wasm heap grows during a call', () => {
    const x = sample([40, 30]);
    const before = tf
      .tidy(() => tf.add(x, x))
      .dataSync()
      .slice();
    const big = tf.zeros([64 * 1024 * 1024]);
    const after = tf.tidy(() => tf.add(x, x));
    expect(after.dataSync()).toEqual(before);
    tf.dispose([x, big, after]);
  });
});

describeWithBlas('products with a small inner dimension', () => {
  const rng = new Rng(29);

  withNativeKernels();

  // [m, n, k]: outer products, a few features, widths with and without a partial block.
  const shapes: Array<[number, number, number]> = [
    [150, 200, 1],
    [70, 130, 2],
    [33, 64, 6],
    [9, 300, 8],
    [40, 100, 9], // above the threshold: BLAS
  ];
  const transposes: Array<[boolean, boolean]> = [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ];

  it.each(shapes)('%i x %i with k = %i match the wasm product for every transpose', (m, n, k) => {
    for (const [ta, tb] of transposes) {
      const a = standardNormal(ta ? [k, m] : [m, k], rng);
      const b = standardNormal(tb ? [n, k] : [k, n], rng);
      const { native, wasm } = bothKernels(() => tf.matMul(a, b, ta, tb));
      expect(native.shape).toEqual([m, n]);
      expectClose(native.dataSync(), wasm.dataSync(), 1e-5);
      tf.dispose([a, b, native, wasm]);
    }
  });

  it('multiply a batch with a broadcast side, k small', () => {
    const a = standardNormal([3, 20, 4], rng);
    const b = standardNormal([4, 96], rng);
    const { native, wasm } = bothKernels(() => tf.matMul(a, b));
    expect(native.shape).toEqual([3, 20, 96]);
    expectClose(native.dataSync(), wasm.dataSync(), 1e-5);
    tf.dispose([a, b, native, wasm]);
  });

  it('give an exact outer product', () => {
    const product = tf.tidy(() => tf.matMul(tf.tensor2d([1, 2], [2, 1]), tf.range(0, 70).reshape([1, 70])));
    const row = Array.from({ length: 70 }, (_, j) => j);
    expect(Array.from(product.dataSync())).toEqual([...row, ...row.map((v) => 2 * v)]);
    product.dispose();
  });
});
