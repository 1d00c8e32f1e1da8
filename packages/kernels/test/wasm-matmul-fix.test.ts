import * as tf from '@tensorflow/tfjs';
import { Rng, standardNormal } from '@mbrl-ts/nn';
import {
  initBackend,
  installWasmMatMulFix,
  isWasmMatMulFixInstalled,
  uninstallWasmMatMulFix,
} from '../src/index';
import { expectClose, useWasm, values } from './helpers';

/** Run `f` once with the kernel fix and once without; return both results as arrays. */
function bothWays(f: () => tf.Tensor | tf.Tensor[]): { fixed: number[][]; plain: number[][] } {
  const run = () => {
    const out = tf.tidy(f);
    const list = Array.isArray(out) ? out : [out];
    const result = list.map(values);
    tf.dispose(list);
    return result;
  };
  installWasmMatMulFix();
  const fixed = run();
  uninstallWasmMatMulFix();
  const plain = run();
  installWasmMatMulFix();
  return { fixed, plain };
}

function expectSame({ fixed, plain }: { fixed: number[][]; plain: number[][] }): void {
  expect(fixed).toHaveLength(plain.length);
  fixed.forEach((f, i) => expectClose(f, plain[i], 1e-4));
}

describe('wasm transposed matmul fix', () => {
  const rng = new Rng(7);
  let a: tf.Tensor;
  let b: tf.Tensor;

  beforeAll(async () => {
    await useWasm();
    a = standardNormal([3, 5, 4], rng);
    b = standardNormal([3, 4, 6], rng);
  });

  afterAll(() => tf.dispose([a, b]));

  it('is installed by initBackend and can be removed and re-installed', () => {
    expect(isWasmMatMulFixInstalled()).toBe(true);
    expect(uninstallWasmMatMulFix()).toBe(true);
    expect(uninstallWasmMatMulFix()).toBe(false);
    expect(isWasmMatMulFixInstalled()).toBe(false);
    expect(installWasmMatMulFix()).toBe(true);
    expect(isWasmMatMulFixInstalled()).toBe(true);
  });

  it.each([
    [false, true],
    [true, false],
    [true, true],
  ])('BatchMatMul with transposeA=%s transposeB=%s matches the original kernel', (ta, tb) => {
    expectSame(
      bothWays(() => {
        const left = ta ? tf.transpose(a, [0, 2, 1]) : a;
        const right = tb ? tf.transpose(b, [0, 2, 1]) : b;
        return tf.matMul(left, right, ta, tb);
      }),
    );
  });

  it('handles 2-D operands and broadcast batch dimensions', () => {
    expectSame(
      bothWays(() =>
        tf.matMul(tf.reshape(a, [15, 4]), tf.reshape(b, [12, 6]).slice([0, 0], [6, 4]), false, true),
      ),
    );
    expectSame(
      bothWays(() => tf.matMul(a, tf.transpose(b.slice([0, 0, 0], [1, 4, 6]), [0, 2, 1]), false, true)),
    );
  });

  it('matches the original _FusedMatMul (bias + relu) with transposed operands', () => {
    const bias = tf.tensor1d([0.1, -0.2, 0.3, 0, 0.5, -1]);
    expectSame(
      bothWays(() =>
        tf.fused.matMul({
          a: tf.transpose(a, [0, 2, 1]),
          b: tf.transpose(b, [0, 2, 1]),
          transposeA: true,
          transposeB: true,
          bias,
          activation: 'relu',
        }),
      ),
    );
    bias.dispose();
  });

  it('gives the same dense-layer gradients (which use transposed products)', () => {
    const w = standardNormal([4, 6], rng);
    const x = tf.reshape(a, [15, 4]);
    expectSame(
      bothWays(() => {
        const grad = tf.grads((xs: tf.Tensor, ws: tf.Tensor) =>
          tf.sum(tf.square(tf.tanh(tf.matMul(xs, ws)))),
        );
        return grad([x, w]);
      }),
    );
    tf.dispose([w, x]);
  });

  it('agrees with the cpu backend on a transposed product', async () => {
    const left = values(a);
    const right = values(b);
    const onWasm = tf.tidy(() =>
      values(
        tf.matMul(tf.tensor(left, [3, 5, 4]), tf.tensor(right, [3, 4, 6]).transpose([0, 2, 1]), false, true),
      ),
    );
    await initBackend('cpu');
    const onCpu = tf.tidy(() =>
      values(
        tf.matMul(tf.tensor(left, [3, 5, 4]), tf.tensor(right, [3, 4, 6]).transpose([0, 2, 1]), false, true),
      ),
    );
    await useWasm();
    expectClose(onWasm, onCpu, 1e-4);
  });

  it('leaks neither tensors nor backend buffers', () => {
    const backend = tf.backend() as unknown as { numDataIds(): number };
    const tensorsBefore = tf.memory().numTensors;
    const buffersBefore = backend.numDataIds();
    for (let i = 0; i < 5; i++) {
      tf.tidy(() => {
        tf.matMul(a, a, true, false).dataSync();
        tf.matMul(b, b, false, true).dataSync();
        tf.matMul(tf.transpose(a, [0, 2, 1]), tf.transpose(b, [0, 2, 1]), true, true).dataSync();
        tf.fused.matMul({ a, b: a, transposeA: true, activation: 'relu' }).dataSync();
      });
    }
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(backend.numDataIds()).toBe(buffersBefore);
  });
});

describe('transposed products with mismatched shapes', () => {
  it("report the caller's shapes and transposes", async () => {
    await initBackend('wasm', { logger: () => {} });
    expect(() => tf.matMul(tf.ones([2, 3]), tf.ones([3, 2]), false, true)).toThrow(
      'inner shapes (3) and (2) of Tensors with shapes 2,3 and 3,2 and transposeA=false and transposeB=true must match',
    );
  });
});
