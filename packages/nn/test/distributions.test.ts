import * as tf from '@tensorflow/tfjs';
import {
  DiagGaussian,
  Rng,
  TruncatedNormal,
  boundedGaussian,
  softClampStd,
  straightThroughClamp,
} from '../src/index';
import { expectClose, useWasm, values } from './helpers';

const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);
const softplus = (x: number) => Math.log1p(Math.exp(x));

describe('distributions', () => {
  beforeAll(useWasm);
  afterEach(() => tf.disposeVariables());

  it('logProb of a diagonal Gaussian matches the formula, summed over the last axis', () => {
    tf.tidy(() => {
      const dist = new DiagGaussian(tf.tensor2d([[0, 1]]), tf.tensor2d([[2, 0.5]]));
      const lp = values(dist.logProb(tf.tensor2d([[0.5, 0]])));
      // dim 1: x=0.5, m=0, s=2 -> z=0.25; dim 2: x=0, m=1, s=0.5 -> z=-2
      const expected =
        -0.5 * 0.0625 - Math.log(2) - HALF_LOG_TWO_PI + (-0.5 * 4 - Math.log(0.5) - HALF_LOG_TWO_PI);
      expectClose(lp, [expected], 1e-5);
      expectClose(lp, [-1.643336 + -2.225791], 1e-4);
    });
  });

  it('entropy matches sum(0.5 + 0.5 log 2 pi + log std)', () => {
    tf.tidy(() => {
      const dist = new DiagGaussian(tf.zeros([1, 2]), tf.tensor2d([[1, 3]]));
      expectClose(values(dist.entropy()), [2 * (0.5 + HALF_LOG_TWO_PI) + Math.log(3)], 1e-5);
    });
  });

  it('KL between diagonal Gaussians matches the closed form by hand', () => {
    tf.tidy(() => {
      const p = new DiagGaussian(tf.tensor2d([[0, 0]]), tf.tensor2d([[1, 1]]));
      const q = new DiagGaussian(tf.tensor2d([[1, 0]]), tf.tensor2d([[2, 1]]));
      // dim 1: log 2 + (1 + 1) / 8 - 0.5 = 0.443147; dim 2: identical, 0
      expectClose(values(p.klDivergence(q)), [Math.log(2) + 0.25 - 0.5], 1e-6);
      expectClose(values(p.klDivergence(p)), [0], 1e-6);
    });
  });

  it('KL agrees with a Monte Carlo estimate E_p[log p - log q]', () => {
    tf.tidy(() => {
      const n = 20000;
      const p = new DiagGaussian(
        tf.fill([n, 3], 0.3).add(tf.tensor1d([0, 1, -1])),
        tf.fill([n, 3], 1).mul(tf.tensor1d([0.5, 1, 2])),
      );
      const q = new DiagGaussian(tf.fill([n, 3], -0.2), tf.fill([n, 3], 1.5));
      const x = p.rsample(new Rng(123));
      const monteCarlo = tf.mean(tf.sub(p.logProb(x), q.logProb(x))).dataSync()[0];
      const exact = values(p.klDivergence(q))[0];
      // The estimator's standard error here is about 0.01.
      expect(Math.abs(monteCarlo - exact)).toBeLessThan(0.04);
    });
  });

  it('rsample is mean + std * noise from the Rng, with gradients to mean and std', () => {
    const noise = new Rng(5).fillNormalZiggurat(new Float32Array(3));
    tf.tidy(() => {
      const mean = tf.tensor1d([1, 2, 3]);
      const std = tf.tensor1d([0.1, 1, 10]);
      const sample = new DiagGaussian(mean, std).rsample(new Rng(5));
      expectClose(values(sample), [1 + 0.1 * noise[0], 2 + noise[1], 3 + 10 * noise[2]], 1e-5);
      const [dMean, dStd] = tf.grads((m: tf.Tensor, s: tf.Tensor) =>
        tf.sum(new DiagGaussian(m, s).rsample(new Rng(5))),
      )([mean, std]);
      expectClose(values(dMean), [1, 1, 1]);
      expectClose(values(dStd), Array.from(noise), 1e-6);
    });
  });

  it('bounded head squashes the mean to 30 tanh(m / 30) and soft-clamps std into [0.1, 10]', () => {
    tf.tidy(() => {
      const dist = boundedGaussian(
        tf.tensor2d([
          [60, 0, 0, 100],
          [-1, 5, -100, 3],
        ]),
      );
      expectClose(
        values(dist.mean),
        [30 * Math.tanh(2), 0, -30 * Math.tanh(1 / 30), 30 * Math.tanh(5 / 30)],
        1e-4,
      );
      const clamp = (s: number) => 0.1 + softplus(10 - softplus(10 - s) - 0.1);
      expectClose(values(dist.std), [clamp(0), clamp(100), clamp(-100), clamp(3)], 1e-5);
      const extremes = values(softClampStd(tf.tensor1d([-1000, 1000])));
      expectClose(extremes, [0.1, 10], 1e-4);
    });
  });

  it('bounded head needs an even last axis', () => {
    expect(() => boundedGaussian(tf.zeros([2, 3]))).toThrow(/2 \* d/);
  });

  it('truncated normal: mean + clipped noise, clamped forward, identity gradient backward', () => {
    const noise = new Rng(9).fillNormalZiggurat(new Float32Array(4));
    tf.tidy(() => {
      const mean = tf.tensor1d([0.9, -0.95, 0, 0.5]);
      const dist = new TruncatedNormal(mean, 2, { low: -1, high: 1 });
      const sample = values(dist.sample(new Rng(9), 0.3));
      const expected = [0.9, -0.95, 0, 0.5].map((m, i) =>
        Math.min(1 - 1e-6, Math.max(-1 + 1e-6, m + Math.min(0.3, Math.max(-0.3, 2 * noise[i])))),
      );
      expectClose(sample, expected, 1e-6);
      const grad = tf.grad((m: tf.Tensor) => tf.sum(new TruncatedNormal(m, 2).sample(new Rng(9), 0.3)))(mean);
      expectClose(values(grad), [1, 1, 1, 1]);
      expectClose(values(dist.mode()), [0.9, -0.95, 0, 0.5]);
    });
  });

  it('straightThroughClamp clamps values and passes gradients unchanged', () => {
    tf.tidy(() => {
      const x = tf.tensor1d([-3, 0.2, 5]);
      expectClose(values(straightThroughClamp(x, -1, 1)), [-1, 0.2, 1]);
      expectClose(
        values(
          tf.grad((v: tf.Tensor) => tf.sum(tf.mul(straightThroughClamp(v, -1, 1), tf.tensor1d([1, 2, 3]))))(
            x,
          ),
        ),
        [1, 2, 3],
      );
    });
  });

  it('disposes every intermediate', () => {
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const p = boundedGaussian(tf.ones([4, 6]));
      p.rsample(new Rng(1));
      p.logProb(tf.zeros([4, 3]));
      p.klDivergence(p);
      new TruncatedNormal(tf.zeros([4, 3]), 0.2).sample(new Rng(2), 0.3);
    });
    expect(tf.memory().numTensors).toBe(before);
  });
});
