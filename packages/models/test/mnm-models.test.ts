/** MnM's observation-space dynamics model: shapes, the mean as s + delta, the std bounds, bad options. */
import { Rng, tf } from '@mbrl-ts/nn';
import { initBackend } from '@mbrl-ts/kernels';
import { DynamicsModel } from '../src';

beforeAll(async () => {
  await initBackend('wasm', { logger: () => {} });
});

describe('DynamicsModel', () => {
  it("[s, a] -> 2 hidden -> Gaussian over s', named variables, clone matches", () => {
    const model = DynamicsModel.create({ observationSize: 3, actionSize: 2, hiddenSize: 8, rng: new Rng(1) });
    expect([...model.variables().entries()].map(([n, v]) => `${n}:${v.shape}`)).toEqual([
      'net.0.weight:5,8',
      'net.0.bias:8',
      'net.2.weight:8,8',
      'net.2.bias:8',
      'net.4.weight:8,6',
      'net.4.bias:6',
    ]);
    tf.tidy(() => {
      const d = model.distribution(tf.zeros([4, 7, 3]), tf.zeros([4, 7, 2]));
      expect(d.mean.shape).toEqual([4, 7, 3]);
      expect(d.std.shape).toEqual([4, 7, 3]);
    });
    const copy = model.clone();
    expect([...copy.variables().keys()]).toEqual([...model.variables().keys()]);
    model.dispose();
    copy.dispose();
  });

  it('the mean is the observation plus the predicted change; the std is soft-clamped between minStd and maxStd', () => {
    // no hidden layer: output = [s, a] W + b; zero weights, bias [0.5, -1 | -100, 100] give
    // delta = (0.5, -1), raw std (-100, 100) -> the two ends of the soft clamp
    const model = DynamicsModel.create({
      observationSize: 2,
      actionSize: 1,
      hiddenSize: 4,
      minStd: 0.05,
      maxStd: 2,
      rng: new Rng(2),
    });
    tf.tidy(() => {
      for (const v of model.variables().values()) v.assign(tf.zerosLike(v));
      model
        .variables()
        .get('net.4.bias')
        ?.assign(tf.tensor1d([0.5, -1, -100, 100]));
      const d = model.distribution(tf.tensor2d([[1, 2]]), tf.tensor2d([[0.3]]));
      const mean = Array.from(d.mean.dataSync());
      expect(mean[0]).toBeCloseTo(1.5, 5);
      expect(mean[1]).toBeCloseTo(1, 5);
      const std = Array.from(d.std.dataSync());
      expect(std[0]).toBeCloseTo(0.05, 4);
      // upper end: minStd + softplus(maxStd - minStd) = 0.05 + log(1 + e^1.95)
      expect(std[1]).toBeCloseTo(0.05 + Math.log(1 + Math.exp(1.95)), 4);
    });
    model.dispose();
  });

  it('rejects a std range that is empty or not positive', () => {
    expect(() =>
      DynamicsModel.create({ observationSize: 1, actionSize: 1, hiddenSize: 2, minStd: 0, rng: new Rng(1) }),
    ).toThrow(/0 < minStd < maxStd/);
    expect(() =>
      DynamicsModel.create({
        observationSize: 1,
        actionSize: 1,
        hiddenSize: 2,
        minStd: 1,
        maxStd: 0.5,
        rng: new Rng(1),
      }),
    ).toThrow(/minStd 1, maxStd 0.5/);
  });
});
