/**
 * The layerNorm op: a hand-checked case, its forward and hand-written gradients against autodiff
 * of the composite formula (tf.moments, sub, div, sqrt, mul, add) on tfjs's cpu and wasm backends,
 * and the LayerNorm module's parameter files (the native kernels against the tfjs ops are
 * @mbrl-ts/kernels' native-layer-norm test).
 */
import * as tf from '@tensorflow/tfjs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LayerNorm, Rng, layerNorm, loadParameters, saveParameters, standardNormal } from '../src/index';
import { expectAgreeScaled as expectAgree, expectClose, useBackend, useWasm, values } from './helpers';
import { composite, handCase, randomCase, valueAndGrads } from './layer-norm-cases';

describe.each(['cpu', 'wasm'] as const)('layerNorm on %s', (backend) => {
  beforeAll(async () => {
    await useBackend(backend);
  });

  it('matches a hand-computed case: values, dx, dweight and dbias', handCase);

  it.each([[[6, 16]], [[3, 5, 32]], [[7]]])(
    'agrees with autodiff of the composite formula on shape %j',
    (shape) => {
      const { inputs, dy } = randomCase(shape, 3);
      const op = valueAndGrads((a, w, b) => layerNorm(a, w, b), inputs, dy);
      const reference = valueAndGrads((a, w, b) => composite(a, w, b, 1e-5), inputs, dy);
      expectAgree(op, reference, 1e-5);
      tf.dispose([...inputs, dy]);
    },
  );

  it.each([[[6, 16]], [[3, 5, 32]]])(
    'with tanh, agrees with autodiff of tanh of the composite formula on shape %j',
    (shape) => {
      const { inputs, dy } = randomCase(shape, 4);
      const op = valueAndGrads((a, w, b) => layerNorm(a, w, b, 1e-5, 'tanh'), inputs, dy);
      const reference = valueAndGrads((a, w, b) => tf.tanh(composite(a, w, b, 1e-5)), inputs, dy);
      expectAgree(op, reference, 1e-5);
      tf.dispose([...inputs, dy]);
    },
  );

  it('passes the gradient through to what x came from and to the module variables only', () => {
    const rng = new Rng(5);
    const z = standardNormal([4, 3], rng);
    const a = standardNormal([3, 8], rng);
    const norm = new LayerNorm(8);
    norm.weight.assign(tf.tidy(() => tf.add(standardNormal([8], rng), 1)));
    const loss = (f: (x: tf.Tensor) => tf.Tensor) => () =>
      tf.tidy(() => tf.sum(tf.square(tf.add(f(tf.matMul(z, a)), 0.3))) as tf.Scalar);
    const before = tf.memory().numTensors;
    const ours = tf.variableGrads(loss((x) => norm.forward(x)));
    const theirs = tf.variableGrads(loss((x) => composite(x, norm.weight, norm.bias, norm.eps)));
    expect(Object.keys(ours.grads).sort()).toEqual([norm.bias.name, norm.weight.name].sort());
    expect(ours.value.dataSync()[0]).toBeCloseTo(theirs.value.dataSync()[0], 4);
    for (const name of Object.keys(ours.grads))
      expectClose(values(ours.grads[name]), values(theirs.grads[name]), 1e-4);
    const dz = (f: (x: tf.Tensor) => tf.Tensor) =>
      tf.grad((zz: tf.Tensor) => tf.sum(tf.square(tf.add(f(tf.matMul(zz, a)), 0.3))))(z);
    const [dzOurs, dzTheirs] = [
      dz((x) => norm.forward(x)),
      dz((x) => composite(x, norm.weight, norm.bias, norm.eps)),
    ];
    expectClose(values(dzOurs), values(dzTheirs), 1e-4);
    tf.dispose([ours.value, theirs.value, ...Object.values(ours.grads), ...Object.values(theirs.grads)]);
    tf.dispose([dzOurs, dzTheirs]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([z, a]);
    norm.dispose();
  });

  it('says which shape was wrong', () => {
    const [x, scalar, three, four, oneByFour] = [
      tf.zeros([2, 4]),
      tf.scalar(1),
      tf.ones([3]),
      tf.ones([4]),
      tf.zeros([1, 4]),
    ];
    expect(() => layerNorm(x, three, four)).toThrow(
      "layerNorm: weight must have shape [4] (x's last axis), got [3]",
    );
    expect(() => layerNorm(x, four, oneByFour)).toThrow('bias must have shape [4]');
    expect(() => layerNorm(scalar, four, four)).toThrow('non-empty last axis');
    expect(() => layerNorm(x, four, four, -1)).toThrow('eps must be >= 0');
    expect(() => layerNorm(x, four, four, 1e-5, 'elu' as 'tanh')).toThrow(
      "layerNorm: activation must be 'linear' or 'tanh', got elu",
    );
    tf.dispose([x, scalar, three, four, oneByFour]);
  });
});

describe('LayerNorm module', () => {
  let dir: string;
  beforeAll(async () => {
    await useWasm();
    dir = await mkdtemp(join(tmpdir(), 'nn-layer-norm-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('saves and loads its gain and bias, and the loaded module computes the same', async () => {
    const rng = new Rng(2);
    const source = new LayerNorm(6);
    source.weight.assign(standardNormal([6], rng));
    source.bias.assign(standardNormal([6], rng));
    await saveParameters(join(dir, 'norm'), source.variables('norm'));
    const restored = new LayerNorm(6);
    await loadParameters(join(dir, 'norm'), restored.variables('norm'));
    const x = standardNormal([3, 6], rng);
    const [a, b] = [source.forward(x), restored.forward(x)];
    expect(values(b)).toEqual(values(a));
    tf.dispose([x, a, b]);
    source.dispose();
    restored.dispose();
  });
});
