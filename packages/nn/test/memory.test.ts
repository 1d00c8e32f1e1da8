import * as tf from '@tensorflow/tfjs';
import { Adam, Rng, boundedGaussian, mergeVariables, mlp, softUpdate, standardNormal } from '../src/index';
import { useWasm } from './helpers';

describe('memory', () => {
  beforeAll(useWasm);

  it('building, cloning, training once and disposing a network and its optimizer leaves no tensor behind', () => {
    const before = tf.memory().numTensors;
    const net = mlp({
      inputSize: 3,
      hiddenSizes: [4, 4],
      outputSize: 2,
      layerNormTanhFirst: true,
      rng: new Rng(1),
    });
    const target = net.clone();
    const adam = new Adam({ learningRate: 0.1 });
    const x = tf.ones([2, 3]);
    adam.minimize(() => tf.tidy(() => tf.mean(tf.square(net.forward(x)))) as tf.Scalar, net);
    softUpdate(target, net, 0.5);
    expect(tf.memory().numTensors).toBe(before + 2 * 8 + 2 * 8 + 1); // net, target, Adam m and v, x
    adam.dispose();
    net.dispose();
    target.dispose();
    x.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('200 optimisation steps (encoder + Gaussian head + critic + target update) do not grow tf.memory().numTensors', () => {
    const rng = new Rng(0);
    const encoder = mlp({ inputSize: 6, hiddenSizes: [16, 16], outputSize: 8, rng });
    const critic = mlp({ inputSize: 4, hiddenSizes: [16, 16], outputSize: 1, layerNormTanhFirst: true, rng });
    const target = critic.clone();
    const adam = new Adam({ learningRate: 1e-3 });
    const obs = standardNormal([8, 6], rng);
    const trained = mergeVariables({ encoder, critic });
    const loss = () =>
      tf.tidy(() => {
        const latent = boundedGaussian(encoder.forward(obs));
        const z = latent.rsample(rng);
        const q = critic.forward(z);
        const qTarget = target.forward(z);
        const prior = boundedGaussian(tf.zerosLike(encoder.forward(obs)));
        return tf.add(
          tf.mean(tf.square(tf.sub(q, tf.add(qTarget, 1)))),
          tf.mul(0.1, tf.mean(latent.klDivergence(prior))),
        ) as tf.Scalar;
      });
    const step = () => {
      adam.minimize(loss, trained);
      softUpdate(target, critic, 0.005);
    };
    step(); // the first step creates Adam's moment variables
    const after1 = tf.memory().numTensors;
    for (let i = 1; i < 200; i++) step();
    expect(tf.memory().numTensors).toBe(after1);
    adam.dispose();
    obs.dispose();
    encoder.dispose();
    critic.dispose();
    target.dispose();
  });
});
