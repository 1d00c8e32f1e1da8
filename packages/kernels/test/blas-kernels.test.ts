/**
 * The native BLAS products (this package's optional addon) against the wasm backend's own kernels.
 * These tests need the addon (`npm run build:native`); without it they are skipped and say so.
 * The kernel-layer and MBRL_KERNELS tests run everywhere.
 */
import * as tf from '@tensorflow/tfjs';
import { Linear, Rng, standardNormal } from '@mbrl-ts/nn';
import {
  initBackend,
  installBlasKernels,
  isBlasKernelsInstalled,
  isWasmMatMulFixInstalled,
  kernelLayers,
  KernelsUnavailableError,
  uninstallBlasKernels,
  uninstallWasmMatMulFix,
  installWasmMatMulFix,
} from '../src/index';
import { blasSuites, expectClose, values } from './helpers';

const { load, describeWithBlas } = blasSuites('blas-kernels.test: native BLAS tests');

/** `f` computed with the BLAS kernels and with the wasm kernels, as arrays. */
function bothKernels(f: () => tf.Tensor | tf.Tensor[]): { blas: number[][]; wasm: number[][] } {
  const run = () => {
    const out = tf.tidy(f);
    const list = Array.isArray(out) ? out : [out];
    const result = list.map(values);
    tf.dispose(list);
    return result;
  };
  if (load.blas === null) throw new Error('unreachable without the addon');
  installBlasKernels(load.blas);
  const blas = run();
  uninstallBlasKernels();
  const wasm = run();
  installBlasKernels(load.blas);
  return { blas, wasm };
}

function expectSame({ blas, wasm }: { blas: number[][]; wasm: number[][] }, tolerance = 1e-4): void {
  expect(blas).toHaveLength(wasm.length);
  blas.forEach((b, i) => expectClose(b, wasm[i], tolerance));
}

describeWithBlas('BLAS products on the wasm backend', () => {
  const rng = new Rng(11);
  let a: tf.Tensor;
  let b: tf.Tensor;

  beforeAll(async () => {
    const info = await initBackend('wasm', { kernels: 'blas', logger: () => {} });
    expect(info.kernels).toBe('blas');
    expect(info.blas?.threads).toBeGreaterThanOrEqual(1);
    expect(info.blas?.config).toMatch(/^(oneDNN|OpenBLAS) /);
    a = standardNormal([3, 5, 4], rng);
    b = standardNormal([3, 4, 6], rng);
  });

  afterAll(async () => {
    tf.dispose([a, b]);
    await initBackend('wasm', { kernels: 'wasm', logger: () => {} });
  });

  it('sit over the transposed-product fix, which stays their fallback', () => {
    expect(kernelLayers('Tanh', 'wasm')).toEqual(['native-elementwise']);
    expect(kernelLayers('BatchMatMul', 'wasm')).toEqual(['transposed-matmul-fix', 'blas-products']);
    expect(uninstallWasmMatMulFix()).toBe(true);
    expect(kernelLayers('BatchMatMul', 'wasm')).toEqual(['blas-products']);
    expect(installWasmMatMulFix()).toBe(true);
    expect(kernelLayers('_FusedMatMul', 'wasm')).toEqual(['transposed-matmul-fix', 'blas-products']);
    expect(isWasmMatMulFixInstalled() && isBlasKernelsInstalled()).toBe(true);
  });

  it.each([
    [false, false],
    [false, true],
    [true, false],
    [true, true],
  ])('batched products with transposeA=%s transposeB=%s match the wasm kernel', (ta, tb) => {
    expectSame(
      bothKernels(() => {
        const left = ta ? tf.transpose(a, [0, 2, 1]) : a;
        const right = tb ? tf.transpose(b, [0, 2, 1]) : b;
        return tf.matMul(left, right, ta, tb);
      }),
    );
  });

  it('multiply 2-D operands and broadcast a batch of one on either side', () => {
    expectSame(
      bothKernels(() =>
        tf.matMul(tf.reshape(a, [15, 4]), tf.reshape(b, [12, 6]).slice([0, 0], [6, 4]), false, true),
      ),
    );
    expectSame(bothKernels(() => tf.matMul(a, b.slice([0, 0, 0], [1, 4, 6]))));
    expectSame(bothKernels(() => tf.matMul(a.slice([1, 0, 0], [1, 5, 4]), b)));
    expectSame(bothKernels(() => tf.matMul(tf.reshape(a, [3, 1, 5, 4]), tf.reshape(b, [3, 1, 4, 6]))));
  });

  it('give an exactly known product', () => {
    const product = tf.matMul(
      tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]),
      tf.tensor2d([7, 8, 9, 10, 11, 12], [3, 2]),
    );
    expect(values(product)).toEqual([58, 64, 139, 154]);
    expect(product.shape).toEqual([2, 2]);
    product.dispose();
  });

  it('reject mismatched inner sizes with the caller-facing message', () => {
    expect(() => tf.matMul(tf.ones([2, 3]), tf.ones([2, 3]), false, false)).toThrow(
      'inner shapes (3) and (2) of Tensors with shapes 2,3 and 2,3 and transposeA=false and transposeB=false must match',
    );
  });

  it('give the same gradients of a dense network as the wasm kernels', () => {
    const layers = [new Linear(7, 32, { rng }), new Linear(32, 3, { rng })];
    const x = standardNormal([64, 7], rng);
    const target = standardNormal([64, 3], rng);
    const grads = () => {
      const variables = layers.flatMap((l) => [l.weight, l.bias]);
      const { value, grads: g } = tf.variableGrads(
        () =>
          tf.mean(tf.square(tf.sub(layers[1].forward(tf.elu(layers[0].forward(x))), target))) as tf.Scalar,
        variables,
      );
      return [value, ...variables.map((v) => g[v.name])];
    };
    expectSame(bothKernels(grads), 1e-5);
    tf.dispose([x, target]);
    for (const layer of layers) layer.dispose();
  });

  it('fuse bias and every activation as the unfused composition computes them', () => {
    // Compared with matMul + add + activation: tfjs 4.22's own wasm _FusedMatMul gets a batched
    // product with a bias wrong, so it is no reference here.
    const bias = standardNormal([6], rng);
    const alpha = standardNormal([6], rng);
    const activations = {
      linear: (x: tf.Tensor) => x,
      relu: tf.relu,
      relu6: tf.relu6,
      elu: tf.elu,
      sigmoid: tf.sigmoid,
      leakyrelu: (x: tf.Tensor) => tf.leakyRelu(x, 0.1),
      prelu: (x: tf.Tensor) => tf.prelu(x, alpha),
    };
    for (const [activation, f] of Object.entries(activations)) {
      const fused = tf.tidy(() =>
        values(
          tf.fused.matMul({
            a,
            b,
            bias,
            activation: activation as tf.fused.Activation,
            leakyreluAlpha: 0.1,
            preluActivationWeights: alpha,
          }),
        ),
      );
      expectClose(
        fused,
        tf.tidy(() => values(f(tf.add(tf.matMul(a, b), bias)))),
        1e-5,
      );
      const transposed = tf.tidy(() =>
        values(tf.fused.matMul({ a, b: tf.transpose(b, [0, 2, 1]), transposeB: true, activation: 'relu' })),
      );
      expectClose(
        transposed,
        tf.tidy(() => values(tf.relu(tf.matMul(a, b)))),
        1e-5,
      );
    }
    tf.dispose([bias, alpha]);
  });

  it('stay correct when the wasm heap grows between products', () => {
    const x = standardNormal([40, 30], rng);
    const before = values(tf.tidy(() => tf.matMul(x, x, false, true)));
    // Allocate more than the heap holds now so it grows (and its ArrayBuffer is replaced).
    const big = tf.zeros([64 * 1024 * 1024]);
    const after = tf.tidy(() => tf.matMul(x, x, false, true));
    expectClose(values(after), before, 1e-6);
    tf.dispose([x, big, after]);
  });

  it('compute tanh, softplus and elu as the wasm kernels do, gradients included', () => {
    const x = tf.mul(standardNormal([37, 129], rng), 6); // spans softplus's three regimes
    const edge = tf.tensor1d([-20, -13.95, -13.9, 0, 1e-8, 13.9, 13.95, 20, 90]);
    for (const f of [tf.tanh, tf.softplus, tf.elu]) {
      expectSame(
        bothKernels(() => f(x)),
        1e-6,
      );
      expectSame(
        bothKernels(() => f(edge)),
        1e-6,
      );
      expectSame(
        bothKernels(() => tf.grad((v: tf.Tensor) => tf.sum(f(v)))(x)),
        1e-6,
      );
    }
    expect(values(tf.tidy(() => tf.tanh(tf.tensor1d([NaN, Infinity, -Infinity]))))).toEqual([NaN, 1, -1]);
    // elu(x) = x above 0, exp(x) - 1 below; its gradient 1 above 0, exp(x) below.
    expectClose(values(tf.tidy(() => tf.elu(tf.tensor1d([2, 0, -1])))), [2, 0, Math.exp(-1) - 1], 1e-6);
    expectClose(
      values(tf.tidy(() => tf.grad((v: tf.Tensor) => tf.sum(tf.elu(v)))(tf.tensor1d([2, -1])))),
      [1, Math.exp(-1)],
      1e-6,
    );
    tf.dispose([x, edge]);
  });

  it('sum and average over leading or trailing axes as the wasm kernels do, and fall back otherwise', () => {
    const x = standardNormal([6, 5, 700], rng);
    const cases: Array<[number | number[], boolean]> = [
      [0, false],
      [[0, 1], true],
      [-1, false],
      [[1, 2], false],
      [[2, 1, 0], true],
      [1, false], // a middle axis: the wasm kernel
    ];
    for (const [axis, keepDims] of cases) {
      // Up to 21000 terms: the wasm kernel's float accumulation drifts by ~1e-3 of its sums.
      expectSame(
        bothKernels(() => [tf.sum(x, axis, keepDims), tf.mean(x, axis, keepDims)]),
        2e-3,
      );
    }
    // The native sums accumulate in double: within float rounding of the exact sum.
    const exact = values(x).reduce((p, v) => p + v, 0);
    const native = values(tf.tidy(() => tf.sum(x)))[0];
    expect(Math.abs(native - exact)).toBeLessThan(1e-6 * Math.max(1, Math.abs(exact)));
    expect(tf.tidy(() => tf.sum(x, [0, 1], true).shape)).toEqual([1, 1, 700]);
    expect(values(tf.tidy(() => tf.sum(tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]), 0)))).toEqual([5, 7, 9]);
    expect(values(tf.tidy(() => tf.mean(tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]), 1)))).toEqual([2, 5]);
    expect(values(tf.tidy(() => tf.sum(tf.tensor1d([1, 2, 3], 'int32'))))).toEqual([6]);
    x.dispose();
  });

  it('leak no tensors and no backend buffers', () => {
    const backend = tf.backend() as unknown as { numDataIds(): number };
    const tensors = tf.memory().numTensors;
    const buffers = backend.numDataIds();
    tf.tidy(() => {
      tf.matMul(a, b);
      tf.fused.matMul({ a, b, bias: tf.ones([6]), activation: 'relu' });
      tf.sum(tf.tanh(a), 0);
    });
    expect(tf.memory().numTensors).toBe(tensors);
    expect(backend.numDataIds()).toBe(buffers);
  });
});

describe('choosing the product kernels', () => {
  afterEach(() => {
    delete process.env.MBRL_KERNELS;
  });

  it("keeps the wasm kernels with kernels: 'wasm' and reports it", async () => {
    const info = await initBackend('wasm', { kernels: 'wasm', logger: () => {} });
    expect(info.kernels).toBe('wasm');
    expect(info.blas).toBeNull();
    expect(isBlasKernelsInstalled()).toBe(false);
  });

  it('reads MBRL_KERNELS and rejects a value it does not know', async () => {
    process.env.MBRL_KERNELS = 'wasm';
    expect((await initBackend('wasm', { logger: () => {} })).kernels).toBe('wasm');
    process.env.MBRL_KERNELS = 'fast';
    await expect(initBackend('wasm', { logger: () => {} })).rejects.toThrow(
      "MBRL_KERNELS must be 'auto', 'blas' or 'wasm', got 'fast'",
    );
  });

  it("auto takes the addon exactly when it loads; 'blas' without it is a typed error", async () => {
    const auto = await initBackend('wasm', { kernels: 'auto', logger: () => {} });
    expect(auto.kernels).toBe(load.blas === null ? 'wasm' : 'blas');
    if (load.blas === null) {
      const error = await initBackend('wasm', { kernels: 'blas' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(KernelsUnavailableError);
      expect((error as Error).message).toContain('npx mbrl-kernels-build');
    }
    await initBackend('wasm', { kernels: 'wasm', logger: () => {} });
  });
});
