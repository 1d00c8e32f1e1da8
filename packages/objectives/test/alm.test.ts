/**
 * ALM's objectives (Eq. 7-11, lambda-returns) on tiny hand-built networks whose outputs are known,
 * against values computed by hand in the comments; the KL against a Monte Carlo estimate; and each
 * ablation term changing the loss by exactly the term it removes or scales.
 */
import { DiagGaussian, Rng, tf, TruncatedNormal } from '@mbrl-ts/nn';
import { initBackend } from '@mbrl-ts/kernels';
import {
  almClassifierLoss,
  almCriticLoss,
  almEncoderModelLoss,
  almPolicyLoss,
  almRewardLoss,
  almTd3PolicyLoss,
  discountWeights,
  halfRealMask,
  lambdaReturns,
  logRewardTransform,
  logOddsClassifierReward,
  minQValue,
  noValue,
  stopGradient,
  type AlmCriticTargetTerm,
  type ClassifierRewardTerm,
  type RolloutValueTerm,
  type LatentClassifier,
  type LatentDynamics,
  type LatentEncoder,
  type LatentPolicy,
  type LatentReward,
  type TwinQ,
} from '../src';

beforeAll(async () => {
  await initBackend('wasm', { logger: () => {} });
});

const value = (t: tf.Tensor) => t.dataSync()[0];
const values = (t: tf.Tensor) => Array.from(t.dataSync());

/** A Gaussian whose reparameterised sample is its mean (deterministic rollouts by hand). */
class MeanSample extends DiagGaussian {
  override rsample(): tf.Tensor {
    return tf.clone(this.mean);
  }
}

// One latent, one action dimension. e(z|s) = N(s, 1); m(z'|z, a) = N(z + a, 1); r(z, a) = z;
// log C/(1-C)(z, a, z') = z' - z (logits [0, z' - z]); Q1 = 2z, Q2 = 3z; pi(z) = 0.5 for every z.
const encoder: LatentEncoder = { distribution: (s) => new MeanSample(tf.clone(s), tf.onesLike(s)) };
const model: LatentDynamics = { distribution: (z, a) => new MeanSample(tf.add(z, a), tf.onesLike(z)) };
const reward: LatentReward = { forward: (z) => tf.squeeze(z, [-1]) };
const classifier: LatentClassifier = {
  logits: (z, _a, next) => tf.concat([tf.zerosLike(z), tf.sub(next, z)], -1),
  reward: (z, _a, next) => tf.squeeze(tf.sub(next, z), [-1]),
};
const critic: TwinQ = {
  forward: (z) => [tf.squeeze(tf.mul(2, z), [-1]), tf.squeeze(tf.mul(3, z), [-1])],
};
const actor: LatentPolicy = {
  distribution: (z, std) => new TruncatedNormal(tf.fill(z.shape, 0.5), std),
};
const noiseless = () => ({ std: 0, clip: 0.3, rng: new Rng(0) });

describe('lambdaReturns', () => {
  it('matches the recursion by hand (K = 3, gamma 0.9, lambda 0.5)', () => {
    // r = [1, 2, 3], V_1..V_3 = [10, 20, 30]
    // G_2 = 3 + 0.9 * 30 = 30
    // G_1 = 2 + 0.9 (0.5 * 20 + 0.5 * 30) = 24.5
    // G_0 = 1 + 0.9 (0.5 * 10 + 0.5 * 24.5) = 16.525
    tf.tidy(() => {
      const G = lambdaReturns(tf.tensor2d([[1], [2], [3]]), tf.tensor2d([[10], [20], [30]]), 0.9, 0.5);
      expect(G.shape).toEqual([3, 1]);
      values(G).forEach((g, i) => expect(g).toBeCloseTo([16.525, 24.5, 30][i], 4));
    });
  });

  it('is the K-step return for lambda = 1 and the one-step target for lambda = 0', () => {
    tf.tidy(() => {
      const r = tf.tensor2d([
        [1, -1],
        [2, 0],
      ]);
      const v = tf.tensor2d([
        [5, 7],
        [4, 6],
      ]);
      // lambda 1: G_0 = r_0 + g r_1 + g^2 V_2
      const one = values(lambdaReturns(r, v, 0.5, 1));
      expect(one[0]).toBeCloseTo(1 + 0.5 * 2 + 0.25 * 4, 5);
      expect(one[1]).toBeCloseTo(-1 + 0 + 0.25 * 6, 5);
      // lambda 0: G_t = r_t + g V_{t+1}
      const zero = values(lambdaReturns(r, v, 0.5, 0));
      expect(zero).toEqual([1 + 2.5, -1 + 3.5, 2 + 2, 0 + 3]);
    });
  });

  it('rejects mismatched shapes with a message', () => {
    expect(() => lambdaReturns(tf.zeros([3, 2]), tf.zeros([2, 2]), 0.9, 0.9)).toThrow(/same shape/);
  });

  it('discount weights are gamma^t', () => {
    tf.tidy(() => expect(values(discountWeights(3, 0.5))).toEqual([1, 0.5, 0.25]));
  });
});

describe('KL divergence of the latent Gaussians', () => {
  it('closed form agrees with a Monte Carlo estimate E_p[log p - log q]', () => {
    tf.tidy(() => {
      const p = new DiagGaussian(tf.tensor1d([0.3, -1, 2]), tf.tensor1d([0.5, 1.5, 1]));
      const q = new DiagGaussian(tf.tensor1d([0, -0.5, 1]), tf.tensor1d([1, 1, 0.7]));
      const closed = value(p.klDivergence(q));
      const rng = new Rng(7);
      const n = 40_000;
      const big = new DiagGaussian(
        tf.tile(tf.expandDims(p.mean, 0), [n, 1]),
        tf.tile(tf.expandDims(p.std, 0), [n, 1]),
      );
      const other = new DiagGaussian(
        tf.tile(tf.expandDims(q.mean, 0), [n, 1]),
        tf.tile(tf.expandDims(q.std, 0), [n, 1]),
      );
      const x = big.rsample(rng);
      const estimate = value(tf.mean(tf.sub(big.logProb(x), other.logProb(x))));
      expect(closed).toBeGreaterThan(0);
      expect(Math.abs(estimate - closed)).toBeLessThan(0.03 * closed + 0.02);
    });
  });
});

describe('Eq. 7: encoder and model', () => {
  // s_0 = 1, a = [0.5, 0.5], e_target(.|s_1) = N(1.4, 1), e_target(.|s_2) = N(2.1, 2)
  // z_0 = 1; m(.|z_0, a_0) = N(1.5, 1): KL vs N(1.4, 1) = 0.1^2 / 2 = 0.005
  // z_1 = 1.5; m(.|z_1, a_1) = N(2, 1): KL vs N(2.1, 2) = log 2 + (1 + 0.01) / 8 - 1/2 = 0.3193972
  // rewards r(z_0) + r(z_1) = 2.5; z_2 = 2, min Q = 4
  // loss = 0.005 + 0.3193972 - 2.5 - 4 = -6.1756028
  const inputs = (terms = {}) => ({
    encoder,
    model,
    reward,
    critic,
    actor,
    observation: tf.tensor2d([[1]]),
    actions: tf.tensor3d([[[0.5]], [[0.5]]]),
    targetNext: new DiagGaussian(tf.tensor3d([[[1.4]], [[2.1]]]), tf.tensor3d([[[1]], [[2]]])),
    noise: noiseless(),
    terms,
  });
  const kl = 0.005 + Math.log(2) + 1.01 / 8 - 0.5;

  it('sums KL - r over the K steps and subtracts min Q at z_K (no discount)', () => {
    tf.tidy(() => {
      const { loss, metrics } = almEncoderModelLoss(inputs());
      expect(value(loss)).toBeCloseTo(kl - 2.5 - 4, 4);
      expect(value(metrics.kl as tf.Scalar)).toBeCloseTo(kl / 2, 4);
      expect(value(metrics.alm_q as tf.Scalar)).toBeCloseTo(4, 5);
    });
  });

  it('klCoefficient 0 drops the KL, the noValue term drops Q, klCoefficient scales the KL', () => {
    tf.tidy(() => {
      expect(value(almEncoderModelLoss(inputs({ klCoefficient: 0 })).loss)).toBeCloseTo(-2.5 - 4, 4);
      expect(value(almEncoderModelLoss(inputs({ value: noValue })).loss)).toBeCloseTo(kl - 2.5, 4);
      expect(value(almEncoderModelLoss(inputs({ klCoefficient: 3 })).loss)).toBeCloseTo(3 * kl - 6.5, 4);
    });
  });

  it('a value term of its own replaces min Q at z_K, with (z_K, a_K) as the default sees them', () => {
    tf.tidy(() => {
      const seen: number[][] = [];
      // max instead of min: z_2 = 2, a_2 = 0.5, Q1 = 2 z = 4, Q2 = 3 z = 6 (the fixture's critics)
      const maxQ: RolloutValueTerm = (c, z, a) => {
        seen.push([value(z.reshape([])), value(a.reshape([]))]);
        const [q1, q2] = c.forward(z, a);
        return tf.maximum(q1, q2);
      };
      const { loss, metrics } = almEncoderModelLoss(inputs({ value: maxQ }));
      expect(seen).toEqual([[2, 0.5]]);
      expect(value(metrics.alm_q as tf.Scalar)).toBeCloseTo(6, 5);
      expect(value(loss)).toBeCloseTo(kl - 2.5 - 6, 4);
      expect(value(minQValue(critic, tf.tensor2d([[2]]), tf.tensor2d([[0.5]])).reshape([]))).toBeCloseTo(
        4,
        5,
      );
    });
  });

  it('the log transform with a large shift a is close to the identity, and differs from it', () => {
    tf.tidy(() => {
      const plain = value(almEncoderModelLoss(inputs()).loss);
      const logged = value(almEncoderModelLoss(inputs({ transform: logRewardTransform(10_000) })).loss);
      expect(logged).not.toBe(plain);
      expect(Math.abs(logged - plain)).toBeLessThan(0.01);
      // a small shift bends it: a (log(x + a) - log a) < x for x > 0
      const bent = value(almEncoderModelLoss(inputs({ transform: logRewardTransform(1) })).loss);
      expect(bent).toBeCloseTo(kl - (Math.log(2) + Math.log(2.5)) - Math.log(5), 4);
    });
  });

  it('gradients reach the encoder and the model, none the constants', () => {
    const w = tf.variable(tf.scalar(1));
    const v = tf.variable(tf.scalar(0));
    const enc: LatentEncoder = { distribution: (s) => new MeanSample(tf.mul(s, w), tf.onesLike(s)) };
    const mod: LatentDynamics = {
      distribution: (z, a) => new MeanSample(tf.add(tf.add(z, a), v), tf.onesLike(z)),
    };
    const { grads } = tf.variableGrads(
      () => almEncoderModelLoss({ ...inputs(), encoder: enc, model: mod }).loss,
      [w, v],
    );
    expect(Math.abs(value(grads[w.name]))).toBeGreaterThan(0);
    expect(Math.abs(value(grads[v.name]))).toBeGreaterThan(0);
    tf.dispose([w, v, ...Object.values(grads)]);
  });
});

describe('Eq. 8: policy, lambda-weighted over the imagined rollout', () => {
  // K = 2, gamma 0.9, lambda 0.5, c 0.1. z_0 = 1, a = 0.5 always: z_1 = 1.5, z_2 = 2.
  // rewards: r + c (z' - z) = 1.05, 1.55; V_1 = min(3, 4.5) = 3, V_2 = 4
  // G_1 = 1.55 + 0.9 * 4 = 5.15; G_0 = 1.05 + 0.9 (0.5 * 3 + 0.5 * 5.15) = 4.7175
  // loss = -(G_0 + 0.9 G_1) / 2 = -4.67625
  const inputs = (terms = {}) => ({
    actor,
    model,
    reward,
    classifier,
    critic,
    latent: tf.tensor2d([[1]]),
    horizon: 2,
    gamma: 0.9,
    lambda: 0.5,
    noise: noiseless(),
    terms: { classifierCoefficient: 0.1, ...terms },
  });

  it('matches the hand computation', () => {
    tf.tidy(() => expect(value(almPolicyLoss(inputs()).loss)).toBeCloseTo(-4.67625, 4));
  });

  it('classifierCoefficient 0 drops c log C/(1-C); c scales it', () => {
    // without it: rewards 1, 1.5; G_1 = 5.1; G_0 = 1 + 0.9 (1.5 + 2.55) = 4.645; loss = -(4.645 + 4.59) / 2
    tf.tidy(() => {
      expect(value(almPolicyLoss(inputs({ classifierCoefficient: 0 })).loss)).toBeCloseTo(-4.6175, 4);
      // c = 1: rewards 1.5, 2; G_1 = 5.6; G_0 = 1.5 + 0.9 (1.5 + 2.8) = 5.37; loss = -(5.37 + 5.04) / 2
      expect(value(almPolicyLoss(inputs({ classifierCoefficient: 1 })).loss)).toBeCloseTo(-5.205, 4);
    });
  });

  it('a classifier reward of its own replaces log C/(1-C), scaled by the same c', () => {
    // log C = log sigmoid(z' - z) instead of the log-odds z' - z: with z' - z = 0.5 at both steps,
    // log sigmoid(0.5) = -0.474077; rewards 1 + 0.1 l, 1.5 + 0.1 l
    tf.tidy(() => {
      const logC: ClassifierRewardTerm = (c, z, a, next) =>
        tf.squeeze(tf.slice(tf.logSoftmax(c.logits(z, a, next)), [0, 0, 1], [-1, -1, 1]), [-1]);
      const { loss, metrics } = almPolicyLoss(inputs({ classifierReward: logC }));
      const l = Math.log(1 / (1 + Math.exp(-0.5)));
      const g1 = 1.5 + 0.1 * l + 0.9 * 4;
      const g0 = 1 + 0.1 * l + 0.9 * (0.5 * 3 + 0.5 * g1);
      expect(value(loss)).toBeCloseTo(-(g0 + 0.9 * g1) / 2, 4);
      expect(value(metrics.imagined_classifier_reward as tf.Scalar)).toBeCloseTo(l, 5);
      // the paper's term by name gives the default's number
      const paper = value(almPolicyLoss(inputs({ classifierReward: logOddsClassifierReward })).loss);
      expect(paper).toBeCloseTo(-4.67625, 4);
    });
  });

  it('an entropy bonus (ALM-ENT) adds -alpha log pi to rewards and values', () => {
    tf.tidy(() => {
      // std 0.5 noise clipped at 0 (clip 0): actions stay 0.5, log pi(0.5) = -log(0.5 sqrt(2 pi)) = -0.2257913
      const noise = { std: 0.5, clip: 0, rng: new Rng(0) };
      const plain = value(almPolicyLoss({ ...inputs(), noise }).loss);
      const soft = value(almPolicyLoss({ ...inputs({ entropyCoefficient: 2 }), noise }).loss);
      const bonus = 2 * Math.log(0.5 * Math.sqrt(2 * Math.PI)); // -alpha log pi
      // every reward and value gains `bonus`: G_1 += b + 0.9 b; G_0 += b + 0.9 (0.5 b + 0.5 * 1.9 b)
      const g1 = bonus * 1.9;
      const g0 = bonus + 0.9 * (0.5 * bonus + 0.5 * g1);
      expect(soft - plain).toBeCloseTo(-(g0 + 0.9 * g1) / 2, 4);
    });
  });

  it('ALM-TD3 is -min Q(z, pi(z))', () => {
    tf.tidy(() => {
      const { loss } = almTd3PolicyLoss({
        actor,
        critic,
        latent: tf.tensor2d([[1], [2]]),
        noise: noiseless(),
      });
      expect(value(loss)).toBeCloseTo(-(2 + 4) / 2, 5);
    });
  });

  it('gradients reach the policy through its actions (directly and through the model)', () => {
    const bias = tf.variable(tf.scalar(0.2));
    const policy: LatentPolicy = {
      distribution: (z, std) => new TruncatedNormal(tf.add(tf.zerosLike(z), bias), std),
    };
    const { grads } = tf.variableGrads(() => almPolicyLoss({ ...inputs(), actor: policy }).loss, [bias]);
    // d loss / d a: every a_i moves z_{i+1} by the same amount; the loss falls as actions grow
    expect(value(grads[bias.name])).toBeLessThan(0);
    tf.dispose([bias, ...Object.values(grads)]);
  });
});

describe('Eq. 9-11 on real transitions', () => {
  it('halfRealMask marks floor(B/2) rows imagined, at seeded positions', () => {
    const mask = halfRealMask(9, new Rng(3));
    expect(mask.reduce((a, b) => a + b, 0)).toBe(5);
    expect(Array.from(halfRealMask(9, new Rng(3)))).toEqual(Array.from(mask));
  });

  it('classifier cross-entropy: -log softmax at the label', () => {
    tf.tidy(() => {
      // row 0 real: logits [0, z'_real - z] = [0, 2] -> -log sigmoid(2); row 1 imagined: [0, -1] -> -log(1 - sigmoid(-1))
      const { loss } = almClassifierLoss({
        classifier,
        latent: tf.tensor2d([[1], [1]]),
        action: tf.zeros([2, 1]),
        realNext: tf.tensor2d([[3], [5]]),
        imaginedNext: tf.tensor2d([[9], [0]]),
        realMask: tf.tensor1d([1, 0]),
      });
      const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
      expect(value(loss)).toBeCloseTo((-Math.log(sigmoid(2)) - Math.log(1 - sigmoid(-1))) / 2, 5);
    });
  });

  it("critic TD loss: (mse(Q1, y) + mse(Q2, y)) / 2 with y = r + gamma (1 - d) min Q_target(z', pi(z'))", () => {
    tf.tidy(() => {
      // z = [1, 2], z' = [2, 1], r = [1, 0], d = [0, 1], gamma 0.5: y = [1 + 0.5 * 4, 0] = [3, 0]
      // Q1 = [2, 4], Q2 = [3, 6]: ((1 + 16) / 2 + (0 + 36) / 2) / 2 = 13.25
      const { loss } = almCriticLoss({
        critic,
        targetCritic: critic,
        actor,
        latent: tf.tensor2d([[1], [2]]),
        action: tf.zeros([2, 1]),
        reward: tf.tensor1d([1, 0]),
        nextLatent: tf.tensor2d([[2], [1]]),
        terminated: tf.tensor1d([0, 1]),
        gamma: 0.5,
        noise: noiseless(),
      });
      expect(value(loss)).toBeCloseTo(13.25, 5);
    });
  });

  it('a TD target of its own replaces y, and the loss is its squared error', () => {
    tf.tidy(() => {
      // y = [0, 0]: Q1 = [2, 4], Q2 = [3, 6]: ((4 + 16) / 2 + (9 + 36) / 2) / 2 = 16.25
      const zero: AlmCriticTargetTerm = ({ reward: r }) => tf.zerosLike(r);
      const { loss, metrics } = almCriticLoss({
        critic,
        targetCritic: critic,
        actor,
        latent: tf.tensor2d([[1], [2]]),
        action: tf.zeros([2, 1]),
        reward: tf.tensor1d([1, 0]),
        nextLatent: tf.tensor2d([[2], [1]]),
        terminated: tf.tensor1d([0, 1]),
        gamma: 0.5,
        noise: noiseless(),
        target: zero,
      });
      expect(value(loss)).toBeCloseTo(16.25, 5);
      expect(value(metrics.target_mean as tf.Scalar)).toBe(0);
    });
  });

  it('reward MSE', () => {
    tf.tidy(() => {
      const { loss } = almRewardLoss({
        reward,
        latent: tf.tensor2d([[1], [2]]),
        action: tf.zeros([2, 1]),
        target: tf.tensor1d([0, 4]),
      });
      expect(value(loss)).toBeCloseTo((1 + 4) / 2, 6);
    });
  });
});

describe('stopGradient', () => {
  it('passes values and blocks gradients', () => {
    const x = tf.variable(tf.scalar(3));
    const { value: y, grads } = tf.variableGrads(
      () => tf.add(tf.mul(x, x), tf.mul(stopGradient(x), x)) as tf.Scalar,
      [x],
    );
    expect(value(y)).toBe(18);
    expect(value(grads[x.name])).toBe(2 * 3 + 3); // d/dx (x^2 + c x) with c = 3
    tf.dispose([x, y, ...Object.values(grads)]);
  });
});

describe('K = 1', () => {
  it('lambdaReturns and its gradient work for a single step', () => {
    const x = tf.variable(tf.tensor2d([[2]]));
    const { value: y, grads } = tf.variableGrads(
      () => tf.sum(lambdaReturns(tf.mul(x, 1), tf.mul(x, 3), 0.5, 0.9)) as tf.Scalar,
      [x],
    );
    expect(value(y)).toBeCloseTo(2 + 0.5 * 6, 5);
    expect(value(grads[x.name])).toBeCloseTo(1 + 0.5 * 3, 5);
    tf.dispose([x, y, ...Object.values(grads)]);
  });
});
