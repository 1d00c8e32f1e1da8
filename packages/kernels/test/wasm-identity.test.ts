import * as tf from '@tensorflow/tfjs';
import { installWasmIdentity, isWasmIdentityInstalled, uninstallWasmIdentity } from '../src/index';
import { useWasm, values } from './helpers';

describe('copy-free wasm Identity', () => {
  beforeAll(useWasm);

  it('is installed by initBackend and shares the buffer instead of copying it', () => {
    expect(isWasmIdentityInstalled()).toBe(true);
    const backend = tf.backend() as unknown as { numDataIds(): number; refCount(dataId: object): number };
    const x = tf.tensor1d([1, 2, 3]);
    const buffers = backend.numDataIds();
    const y = tf.clone(x);
    expect(backend.numDataIds()).toBe(buffers);
    expect(backend.refCount(x.dataId)).toBe(2);
    x.dispose();
    expect(values(y)).toEqual([1, 2, 3]); // still alive: the clone holds a reference
    y.dispose();
    expect(backend.numDataIds()).toBe(buffers - 1);
  });

  it('leaves a variable and a clone taken before its assign independent', () => {
    const v = tf.variable(tf.tensor1d([1, 2]));
    const before = tf.clone(v);
    v.assign(tf.tensor1d([5, 6]));
    expect(values(before)).toEqual([1, 2]);
    expect(values(v)).toEqual([5, 6]);
    tf.dispose([v, before]);
  });

  it('gives the same gradients with and without the copy (saved tensors go through Identity)', () => {
    const x = tf.tensor2d([0.5, -1, 2, 3], [2, 2]);
    const grad = () =>
      values(tf.tidy(() => tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.exp(v), tf.square(v))))(x)));
    const shared = grad();
    expect(uninstallWasmIdentity()).toBe(true);
    const copied = grad();
    expect(installWasmIdentity()).toBe(true);
    expect(shared).toEqual(copied);
    x.dispose();
  });
});

describe('copy-free wasm Cast', () => {
  beforeAll(useWasm);

  it('shares the buffer for a cast to the same dtype and still converts between dtypes', () => {
    const backend = tf.backend() as unknown as { refCount(dataId: object): number };
    const x = tf.tensor1d([1.5, -2, 0]);
    const same = tf.cast(x, 'float32');
    expect(same.dataId).toBe(x.dataId);
    expect(backend.refCount(x.dataId)).toBe(2);
    const ints = tf.cast(x, 'int32');
    const back = tf.cast(ints, 'float32');
    expect(back.dataId).not.toBe(ints.dataId);
    expect([values(ints), values(back)]).toEqual([
      [1, -2, 0],
      [1, -2, 0],
    ]);
    tf.dispose([x, same, ints, back]);
  });
});
