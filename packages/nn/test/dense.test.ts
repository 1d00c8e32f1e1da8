/**
 * The dense op (x w + b, then optionally ELU): a hand-computed case and agreement with autodiff of
 * matMul, add and elu on the cpu and wasm backends; with the addon, the native kernel against the
 * tfjs ops, gradients computed only for the inputs a loss needs, and Sequential running a Linear
 * and its ELU as one kernel (skipped, and saying so, without the addon).
 */
import * as tf from '@tensorflow/tfjs';
import {
  Rng,
  dense,
  initBackend,
  installBlasKernels,
  isNativeDenseInstalled,
  mlp,
  standardNormal,
  uninstallBlasKernels,
  type DenseActivation,
} from '../src/index';
import {
  blasSuites,
  expectAgreeScaled as expectAgree,
  expectClose,
  valueAndInputGrads,
  values,
  withNativeKernels,
} from './helpers';

type Inputs = [tf.Tensor, tf.Tensor, tf.Tensor];

/** The layer as tfjs ops: autodiff differentiates this. */
function composite(x: tf.Tensor, w: tf.Tensor, b: tf.Tensor, activation: DenseActivation): tf.Tensor {
  const affine = tf.add(tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D), b);
  return activation === 'elu' ? tf.elu(affine) : affine;
}

/** The value and the gradients of sum(f(x, w, b) * dy) in x, w and b. */
function valueAndGrads(f: (...inputs: Inputs) => tf.Tensor, inputs: Inputs, dy: tf.Tensor) {
  const { value, grads } = valueAndInputGrads((x, w, b) => f(x, w, b), inputs, dy);
  const [dx, dw, db] = grads;
  return { value, dx, dw, db };
}

function randomCase(m: number, k: number, n: number, seed: number): { inputs: Inputs; dy: tf.Tensor } {
  const rng = new Rng(seed);
  return {
    inputs: [standardNormal([m, k], rng), standardNormal([k, n], rng), standardNormal([n], rng)],
    dy: standardNormal([m, n], rng),
  };
}

/**
 * x = [[1, -2], [0.5, 3]], w = [[1, 2], [-1, 1]], b = [0.5, -4]: x w + b = [[3.5, -4], [-2, 0]].
 * With dy = ones: linear dz = ones, so dx = dz w^T = [[3, 0], [3, 0]], dw = x^T dz = [[1.5, 1.5], [1, 1]],
 * db = [2, 2]. ELU: y = [[3.5, e^-4 - 1], [e^-2 - 1, 0]], dz = [[1, e^-4], [e^-2, 1]] (y + 1 below 0).
 */
function handCase(): void {
  const x = tf.tensor2d([
    [1, -2],
    [0.5, 3],
  ]);
  const w = tf.tensor2d([
    [1, 2],
    [-1, 1],
  ]);
  const b = tf.tensor1d([0.5, -4]);
  const dy = tf.ones([2, 2]);
  const linear = valueAndGrads((a, ww, bb) => dense(a, ww, bb), [x, w, b], dy);
  expectClose(linear.value, [3.5, -4, -2, 0], 1e-6);
  expectClose(linear.dx, [3, 0, 3, 0], 1e-6);
  expectClose(linear.dw, [1.5, 1.5, 1, 1], 1e-6);
  expectClose(linear.db, [2, 2], 1e-6);
  const elu = valueAndGrads((a, ww, bb) => dense(a, ww, bb, 'elu'), [x, w, b], dy);
  const [e4, e2] = [Math.exp(-4), Math.exp(-2)];
  expectClose(elu.value, [3.5, e4 - 1, e2 - 1, 0], 1e-6);
  // dz = [[1, e4], [e2, 1]]: dx = dz w^T, dw = x^T dz, db = column sums of dz.
  expectClose(elu.dx, [1 + 2 * e4, -1 + e4, e2 + 2, -e2 + 1], 1e-6);
  expectClose(elu.dw, [1 + 0.5 * e2, e4 + 0.5, -2 + 3 * e2, -2 * e4 + 3], 1e-6);
  expectClose(elu.db, [1 + e2, e4 + 1], 1e-6);
  tf.dispose([x, w, b, dy]);
}

describe.each(['cpu', 'wasm'] as const)('dense on %s', (backend) => {
  beforeAll(async () => {
    await initBackend(backend, { kernels: 'wasm', logger: () => {} });
  });

  it('matches a hand-computed case: values, dx, dw and db, linear and ELU', handCase);

  it.each([['linear'], ['elu']] as const)('agrees with autodiff of matMul, add and %s', (activation) => {
    const { inputs, dy } = randomCase(9, 5, 7, 3);
    const op = valueAndGrads((a, w, b) => dense(a, w, b, activation), inputs, dy);
    const reference = valueAndGrads((a, w, b) => composite(a, w, b, activation), inputs, dy);
    expectAgree(op, reference, 1e-5);
    tf.dispose([...inputs, dy]);
  });

  it('says which shape or activation was wrong', () => {
    const [x, w, b, wide] = [tf.zeros([2, 3]), tf.zeros([3, 4]), tf.zeros([4]), tf.zeros([4, 4])];
    expect(() => dense(x, wide, b)).toThrow(
      "dense: x [2,3], weight [4,4] and bias [4] do not fit (x's columns must equal weight's rows",
    );
    expect(() => dense(x, w, wide)).toThrow('expected x [m, k], weight [k, n] and bias [n]');
    expect(() => dense(x, w, b, 'relu' as DenseActivation)).toThrow(
      "dense: activation must be 'linear' or 'elu', got relu",
    );
    tf.dispose([x, w, b, wide]);
  });
});

const { load, describeWithBlas } = blasSuites('dense.test: native dense tests');

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
