/**
 * The native dense kernel (x w + b, then optionally ELU, one kernel) against the tfjs ops, on the
 * cases of nn's dense test: gradients computed only for the inputs a loss needs, and Sequential
 * running a Linear and its ELU as one kernel (skipped, and saying so, without the addon).
 */
import * as tf from '@tensorflow/tfjs';
import { Rng, dense, mlp, standardNormal } from '@mbrl-ts/nn';
import { installBlasKernels, isNativeDenseInstalled, uninstallBlasKernels } from '../src/index';
import { handCase, randomCase, valueAndGrads } from '../../nn/test/dense-cases';
import {
  blasSuites,
  expectAgreeScaled as expectAgree,
  expectClose,
  values,
  withNativeKernels,
} from './helpers';

const { load, describeWithBlas } = blasSuites('native-dense.test: native dense tests');

describeWithBlas('the native dense kernel (wasm)', () => {
  withNativeKernels();

  /** Runs `f` with the native kernels, then with the tfjs ops, and gives both results. */
  function bothPaths<T>(f: () => T): { native: T; tfjs: T } {
    expect(isNativeDenseInstalled()).toBe(true);
    const native = f();
    uninstallBlasKernels();
    expect(isNativeDenseInstalled()).toBe(false);
    try {
      return { native, tfjs: f() };
    } finally {
      installBlasKernels(load.blas!);
    }
  }

  /** Names of the kernels `f` runs. */
  async function kernelsOf(f: () => tf.TensorContainer): Promise<string[]> {
    const info = await tf.profile(() => {
      const out = f();
      tf.dispose(out);
    });
    return info.kernels.map((k) => k.name);
  }

  it('matches the hand-computed case', handCase);

  it.each([
    [512, 50, 512, 'elu'],
    [300, 70, 130, 'linear'],
    [20, 129, 333, 'elu'],
    [513, 5, 300, 'linear'],
  ] as const)(
    'agrees with the tfjs ops for x [%i, %i], %i outputs, %s (value, dx, dw, db)',
    (m, k, n, act) => {
      const { inputs, dy } = randomCase(m, k, n, 11);
      const { native, tfjs } = bothPaths(() => valueAndGrads((a, w, b) => dense(a, w, b, act), inputs, dy));
      expectAgree(native, tfjs, 1e-5);
      tf.dispose([...inputs, dy]);
    },
  );

  it('computes only the gradients a loss needs: dw and db for a constant input, dx alone for x', async () => {
    const rng = new Rng(4);
    const x = standardNormal([16, 8], rng);
    const w = tf.variable(standardNormal([8, 6], rng));
    const b = tf.variable(standardNormal([6], rng));
    const loss = (input: tf.Tensor) => tf.sum(tf.square(dense(input, w, b, 'elu'))) as tf.Scalar;
    const trainParameters = await kernelsOf(() => {
      const { value, grads } = tf.variableGrads(() => loss(x), [w, b]);
      return [value, ...Object.values(grads)];
    });
    expect(trainParameters.filter((k) => k === 'MbrlDense')).toHaveLength(1);
    expect(trainParameters.filter((k) => k === 'BatchMatMul')).toHaveLength(1); // dw only
    expect(trainParameters.filter((k) => k === 'EluGrad')).toHaveLength(1);
    const inputOnly = await kernelsOf(() => tf.grad(loss)(x));
    expect(inputOnly.filter((k) => k === 'BatchMatMul')).toHaveLength(1); // dx only
    expect(inputOnly.filter((k) => k === 'Sum')).toHaveLength(1); // the loss's own sum: no db
    expect(trainParameters.filter((k) => k === 'Sum')).toHaveLength(2); // the loss's and db
    tf.dispose([x, w, b]);
  });

  it('runs each Linear + ELU of a Sequential as one kernel, with the values of the unfused layers', async () => {
    const net = mlp({ inputSize: 10, hiddenSizes: [32, 32], outputSize: 3, rng: new Rng(8) });
    const x = standardNormal([64, 10], new Rng(9));
    const kernels = await kernelsOf(() => net.forward(x));
    expect(kernels.filter((k) => k === 'MbrlDense')).toHaveLength(3);
    expect(kernels).not.toContain('Elu');
    expect(kernels).not.toContain('BatchMatMul');
    const { native, tfjs } = bothPaths(() => tf.tidy(() => values(net.forward(x))));
    expectClose(native, tfjs, 1e-5);
    const loss = () => tf.sum(tf.square(net.forward(x))) as tf.Scalar;
    const grads = bothPaths(() => {
      const { value, grads: g } = tf.variableGrads(loss, net.parameters());
      const out = Object.fromEntries(Object.entries(g).map(([name, t]) => [name, values(t)]));
      tf.dispose([value, ...Object.values(g)]);
      return out;
    });
    for (const name of Object.keys(grads.tfjs)) expectClose(grads.native[name], grads.tfjs[name], 1e-4);
    tf.dispose(x);
    net.dispose();
  });

  it('keeps tf.memory flat through a gradient step', () => {
    const { inputs, dy } = randomCase(8, 16, 4, 1);
    valueAndGrads((a, w, b) => dense(a, w, b, 'elu'), inputs, dy); // warm-up
    const before = tf.memory().numTensors;
    valueAndGrads((a, w, b) => dense(a, w, b, 'elu'), inputs, dy);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([...inputs, dy]);
  });
});
