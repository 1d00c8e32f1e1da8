/** ALM's networks: shapes, variable names, the bounded Gaussian heads, the classifier's log-odds. */
import { Rng, tf } from '@mbrl-ts/nn';
import { initBackend } from '@mbrl-ts/kernels';
import { Classifier, Encoder, LatentActor, LatentModel, RewardModel, TwinQCritic } from '../src';

beforeAll(async () => {
  await initBackend('wasm', { logger: () => {} });
});

const rng = () => new Rng(3);

describe('ALM networks', () => {
  it('encoder: obs -> hidden -> hidden -> Gaussian over the latent, bounded mean and std', () => {
    const encoder = Encoder.create({ observationSize: 5, latentSize: 4, hiddenSize: 8, rng: rng() });
    expect([...encoder.variables().entries()].map(([n, v]) => `${n}:${v.shape}`)).toEqual([
      'net.0.weight:5,8',
      'net.0.bias:8',
      'net.2.weight:8,8',
      'net.2.bias:8',
      'net.4.weight:8,8',
      'net.4.bias:8',
    ]);
    tf.tidy(() => {
      const d = encoder.distribution(tf.mul(1000, tf.ones([2, 3, 5])));
      expect(d.mean.shape).toEqual([2, 3, 4]);
      const std = Array.from(d.std.dataSync());
      const mean = Array.from(d.mean.dataSync());
      // the two softplus steps keep the std in (min, max + min): (0.1, 10.1)
      for (const s of std) expect(s > 0.1 && s < 10.1).toBe(true);
      for (const m of mean) expect(Math.abs(m)).toBeLessThanOrEqual(30); // 30 tanh(m / 30) saturates in float32
    });
    const target = encoder.clone();
    expect([...target.variables().keys()]).toEqual([...encoder.variables().keys()]);
    encoder.dispose();
    target.dispose();
  });

  it('latent model: [z, a] -> 2 hidden -> Gaussian over the next latent', () => {
    const model = LatentModel.create({ latentSize: 4, actionSize: 2, hiddenSize: 16, rng: rng() });
    expect(model.variables().get('net.0.weight')?.shape).toEqual([6, 16]);
    tf.tidy(() => expect(model.distribution(tf.zeros([7, 4]), tf.zeros([7, 2])).std.shape).toEqual([7, 4]));
    model.dispose();
  });

  it('reward model and critics put LayerNorm + tanh after the first layer', () => {
    const reward = RewardModel.create({ latentSize: 4, actionSize: 2, hiddenSize: 8, rng: rng() });
    expect([...reward.variables().keys()]).toEqual([
      'net.0.weight',
      'net.0.bias',
      'net.1.weight',
      'net.1.bias',
      'net.3.weight',
      'net.3.bias',
      'net.5.weight',
      'net.5.bias',
    ]);
    const critic = TwinQCritic.create({
      observationSize: 4,
      actionSize: 2,
      hiddenSizes: [8, 8],
      activation: 'elu',
      layerNormTanhFirst: true,
      rng: rng(),
    });
    expect(critic.variables().get('q1.1.weight')?.shape).toEqual([8]); // LayerNorm gain
    tf.tidy(() => {
      expect(reward.forward(tf.ones([3, 5, 4]), tf.ones([3, 5, 2])).shape).toEqual([3, 5]);
      expect(critic.forward(tf.ones([5, 4]), tf.ones([5, 2]))[0].shape).toEqual([5]);
    });
    reward.dispose();
    critic.dispose();
  });

  it("classifier: two logits on [z, a, z'], reward = logit_1 - logit_0; linear variant is one layer", () => {
    const classifier = Classifier.create({ latentSize: 2, actionSize: 1, hiddenSize: 8, rng: rng() });
    const linear = Classifier.create({ latentSize: 2, actionSize: 1, linear: true, rng: rng() });
    expect([...linear.variables().keys()]).toEqual(['net.0.weight', 'net.0.bias']);
    tf.tidy(() => {
      // linear: logits = [z, a, z'] W + b with known W
      linear
        .variables()
        .get('net.0.weight')
        ?.assign(
          tf.tensor2d([
            [1, 0],
            [0, 1],
            [0, 0],
            [0, 2],
            [1, 1],
          ]),
        );
      const z = tf.tensor2d([[1, 2]]);
      const a = tf.tensor2d([[5]]);
      const next = tf.tensor2d([[3, 4]]);
      // logits: [1 + 0 + 0 + 0 + 4, 0 + 2 + 0 + 6 + 4] = [5, 12]; reward 7
      expect(Array.from(linear.logits(z, a, next).dataSync())).toEqual([5, 12]);
      expect(linear.reward(z, a, next).dataSync()[0]).toBeCloseTo(7, 5);
      expect(classifier.logits(tf.ones([4, 2]), tf.ones([4, 1]), tf.ones([4, 2])).shape).toEqual([4, 2]);
    });
    classifier.dispose();
    linear.dispose();
  });

  it('actor: tanh mean with the given std, or a learned std soft-clamped to [e^-5, e^2]', () => {
    const actor = LatentActor.create({ latentSize: 4, actionSize: 3, hiddenSize: 8, rng: rng() });
    const soft = LatentActor.create({
      latentSize: 4,
      actionSize: 3,
      hiddenSize: 8,
      learnedStd: true,
      rng: rng(),
    });
    expect(soft.variables().get('net.4.weight')?.shape).toEqual([8, 6]);
    tf.tidy(() => {
      const z = tf.mul(50, tf.randomNormal([6, 4], 0, 1, 'float32', 1));
      const d = actor.distribution(z, 0.2);
      expect(d.std).toBe(0.2);
      for (const m of Array.from(actor.forward(z).dataSync())) expect(Math.abs(m)).toBeLessThanOrEqual(1);
      const sample = Array.from(d.sample(new Rng(1), 0.3).dataSync());
      const mean = Array.from(d.mean.dataSync());
      sample.forEach((s, i) => {
        expect(Math.abs(s - mean[i])).toBeLessThanOrEqual(0.3 + 1e-6);
        expect(Math.abs(s)).toBeLessThan(1);
      });
      const learned = soft.distribution(z, 0.2).std as tf.Tensor;
      for (const s of Array.from(learned.dataSync()))
        expect(s > Math.exp(-5) && s < Math.exp(2) + Math.exp(-5)).toBe(true);
    });
    actor.dispose();
    soft.dispose();
  });
});
