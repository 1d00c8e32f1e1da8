/**
 * The encoder's and latent model's Gaussian head with the native kernels (one kernel each way)
 * against the tfjs ops it replaces: means, stds and the gradient in the raw params, over values
 * that reach both bounds and both softplus thresholds (skipped, and saying so, without the addon).
 */
import * as tf from '@tensorflow/tfjs';
import { Rng, boundedGaussian, standardNormal } from '@mbrl-ts/nn';
import { installBlasKernels, isNativeBoundedGaussianInstalled, uninstallBlasKernels } from '../src/index';
import { blasSuites, expectClose, values, withNativeKernels } from './helpers';

const { load, describeWithBlas } = blasSuites('bounded-gaussian.test: native head tests');

/** Raw params [..., 2d]: means up to +-150 (past the bound 30), stds from -40 to 40 (past 0.1 and 10). */
function rawParams(shape: number[], seed: number): tf.Tensor {
  return tf.tidy(() => tf.mul(standardNormal(shape, new Rng(seed)), 40));
}

/** Mean, std and d/dparams of sum(mean * a + std * b) (or of the mean's part only). */
function headAndGrad(params: tf.Tensor, weights: { a: tf.Tensor; b: tf.Tensor | null }) {
  const loss = (p: tf.Tensor) => {
    const head = boundedGaussian(p);
    const meanPart = tf.sum(tf.mul(head.mean, weights.a));
    return (
      weights.b === null ? meanPart : tf.add(meanPart, tf.sum(tf.mul(head.std, weights.b)))
    ) as tf.Scalar;
  };
  const head = boundedGaussian(params);
  const out = { mean: values(head.mean), std: values(head.std), grad: [] as number[] };
  const grad = tf.grad(loss)(params);
  out.grad = values(grad);
  tf.dispose([head.mean, head.std, grad]);
  return out;
}

describeWithBlas('the native bounded Gaussian head (wasm)', () => {
  withNativeKernels();

  it.each([
    [[512, 100], true],
    [[3, 7, 10], true],
    [[64, 20], false],
  ] as const)('agrees with the tfjs ops on params %j (both outputs used: %s)', (shape, useStd) => {
    const params = rawParams([...shape], 3);
    const half = [...shape.slice(0, -1), shape[shape.length - 1] / 2];
    const weights = {
      a: standardNormal(half, new Rng(4)),
      b: useStd ? standardNormal(half, new Rng(5)) : null,
    };
    expect(isNativeBoundedGaussianInstalled()).toBe(true);
    const native = headAndGrad(params, weights);
    uninstallBlasKernels();
    expect(isNativeBoundedGaussianInstalled()).toBe(false);
    const reference = headAndGrad(params, weights);
    installBlasKernels(load.blas!);
    expectClose(native.mean, reference.mean, 3e-5); // |mean| < 30
    expectClose(native.std, reference.std, 1e-5); // std in [0.1, 10]
    expectClose(native.grad, reference.grad, 1e-5);
    expect(Math.max(...native.mean.map(Math.abs))).toBeGreaterThan(29); // the bound was reached
    expect(Math.min(...native.std)).toBeLessThan(0.11);
    expect(Math.max(...native.std)).toBeGreaterThan(9.9);
    tf.dispose([params, weights.a, ...(weights.b === null ? [] : [weights.b])]);
  });

  it('is one kernel forward and one backward, and keeps tf.memory flat', async () => {
    const params = rawParams([16, 8], 1);
    const weights = { a: tf.ones([16, 4]), b: tf.ones([16, 4]) };
    const info = await tf.profile(() => {
      headAndGrad(params, weights);
    });
    const names = info.kernels.map((k) => k.name);
    expect(names.filter((n) => n === 'MbrlBoundedGaussian')).toHaveLength(2); // the value and the loss
    expect(names.filter((n) => n === 'MbrlBoundedGaussianGrad')).toHaveLength(1);
    expect(names).not.toContain('Softplus');
    expect(names).not.toContain('Tanh');
    const before = tf.memory().numTensors;
    headAndGrad(params, weights);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([params, weights.a, weights.b]);
  });

  it('still says what is wrong with an odd last axis', () => {
    const params = tf.zeros([2, 3]);
    expect(() => boundedGaussian(params)).toThrow(/2 \* d/);
    params.dispose();
  });
});
