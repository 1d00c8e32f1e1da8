/**
 * The native layer-norm kernels (one each way, optionally with the tanh that follows) against the
 * tfjs ops, on the cases of nn's layer-norm test, and a LayerNorm and its tanh in a Sequential as
 * one kernel each way (skipped, and saying so, without the addon).
 */
import * as tf from '@tensorflow/tfjs';
import { Rng, layerNorm, mlp, standardNormal } from '@mbrl-ts/nn';
import { installBlasKernels, isNativeLayerNormInstalled, uninstallBlasKernels } from '../src/index';
import { handCase, randomCase, valueAndGrads } from '../../nn/test/layer-norm-cases';
import { blasSuites, expectAgreeScaled as expectAgree, withNativeKernels } from './helpers';

const { load, describeWithBlas } = blasSuites('native-layer-norm.test: native layer-norm tests');

describeWithBlas('native layer-norm kernels against the tfjs ops (wasm)', () => {
  withNativeKernels();

  /** The op with the native kernels and without them, on the same inputs. */
  function bothPaths(shape: number[], seed: number, activation: 'linear' | 'tanh' = 'linear') {
    const { inputs, dy } = randomCase(shape, seed);
    const run = () => valueAndGrads((a, w, b) => layerNorm(a, w, b, 1e-5, activation), inputs, dy);
    const native = run();
    uninstallBlasKernels();
    expect(isNativeLayerNormInstalled()).toBe(false);
    const tfjs = run();
    installBlasKernels(load.blas!);
    tf.dispose([...inputs, dy]);
    return { native, tfjs };
  }

  it('match the hand-computed case', handCase);

  it('are registered with the other native kernels', () => {
    expect(isNativeLayerNormInstalled()).toBe(true);
    expect(tf.getKernel('MbrlLayerNorm', 'wasm')).toBeDefined();
    expect(tf.getKernel('MbrlLayerNormGrad', 'wasm')).toBeDefined();
  });

  it.each([[[3, 64, 512]], [[37, 13]], [[5]]])('agree on shape %j (value, dx, dweight, dbias)', (shape) => {
    const { native, tfjs } = bothPaths(shape, 7);
    expectAgree(native, tfjs, 1e-5);
  });

  it.each([[[3, 64, 512]], [[37, 13]]])(
    'agree with tanh on shape %j (value, dx, dweight, dbias)',
    (shape) => {
      const { native, tfjs } = bothPaths(shape, 8, 'tanh');
      expectAgree(native, tfjs, 1e-5);
    },
  );

  it('run a LayerNorm and its tanh in a Sequential as one kernel each way', async () => {
    const net = mlp({
      inputSize: 6,
      hiddenSizes: [32, 32],
      outputSize: 1,
      layerNormTanhFirst: true,
      rng: new Rng(3),
    });
    const x = standardNormal([16, 6], new Rng(4));
    const info = await tf.profile(() => {
      const { value, grads } = tf.variableGrads(() => tf.sum(net.forward(x)) as tf.Scalar, net.parameters());
      tf.dispose([value, ...Object.values(grads)]);
    });
    const names = info.kernels.map((k) => k.name);
    expect(names.filter((n) => n === 'MbrlLayerNorm')).toHaveLength(1);
    expect(names.filter((n) => n === 'MbrlLayerNormGrad')).toHaveLength(1);
    expect(names).not.toContain('Tanh');
    tf.dispose(x);
    net.dispose();
  });

  it('keep tf.memory flat through a gradient step', () => {
    const { inputs, dy } = randomCase([8, 16], 1);
    valueAndGrads((a, w, b) => layerNorm(a, w, b), inputs, dy); // warm-up
    const before = tf.memory().numTensors;
    valueAndGrads((a, w, b) => layerNorm(a, w, b), inputs, dy);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([...inputs, dy]);
  });
});
