/**
 * MnM's objectives: the bound, the model loss and the critic loss against hand computations on
 * tiny hand-built networks; the model's gradient through the classifier; and ALM Appendix F's
 * relation as two cross-checks: (1) MnM's bound equals ALM's K-step objective pieces (rollout,
 * r + c log C/(1-C), lambda-returns with lambda = 1) computed with an identity encoder; (2) with an
 * exact classifier, MnM's model loss is ALM's Eq. 7 KL term with an identity encoder.
 */
import { Classifier, DynamicsModel, LatentActor, RewardModel, TwinQCritic } from '@mbrl-ts/models';
import { DiagGaussian, Rng, tf, TruncatedNormal } from '@mbrl-ts/nn';
import { initBackend } from '@mbrl-ts/kernels';
import {
  almEncoderModelLoss,
  imagineRollout,
  lambdaReturns,
  mnmAugmentedReward,
  mnmBound,
  mnmCriticLoss,
  mnmModelLoss,
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

const values = (t: tf.Tensor) => Array.from(t.dataSync());
const value = (t: tf.Tensor) => t.dataSync()[0];

/** A Gaussian whose reparameterised sample is its mean (deterministic rollouts by hand). */
class MeanSample extends DiagGaussian {
  override rsample(): tf.Tensor {
    return tf.clone(this.mean);
  }
}

// One observation and one action dimension. q(s'|s, a) = N(s + a, 1) sampled at its mean;
// r(s, a) = s; log C/(1-C)(s, a, s') = s' - s; Q1 = 2s, Q2 = 3s; pi(s) = 0.5 for every s.
const model: LatentDynamics = { distribution: (s, a) => new MeanSample(tf.add(s, a), tf.onesLike(s)) };
const reward: LatentReward = { forward: (s) => tf.squeeze(s, [-1]) };
const classifier: LatentClassifier = {
  logits: (s, _a, next) => tf.concat([tf.zerosLike(s), tf.sub(next, s)], -1),
  reward: (s, _a, next) => tf.squeeze(tf.sub(next, s), [-1]),
};
const critic: TwinQ = {
  forward: (s) => [tf.squeeze(tf.mul(2, s), [-1]), tf.squeeze(tf.mul(3, s), [-1])],
};
const actor: LatentPolicy = {
  distribution: (s, std) => new TruncatedNormal(tf.fill(s.shape, 0.5), std),
};
const noiseless = () => ({ std: 0, clip: 0.3, rng: new Rng(0) });
const LOG_SQRT_TWO_PI = 0.5 * Math.log(2 * Math.PI);

describe('MnM bound', () => {
  const boundOf = (s0: number[]) =>
    mnmBound({
      actor,
      model,
      reward,
      classifier,
      critic,
      observation: tf.tensor2d(s0, [s0.length, 1]),
      horizon: 2,
      gamma: 0.9,
      classifierCoefficient: 0.5,
      noise: noiseless(),
    });

  it('sums gamma^i (r + c log C/(1-C)) over H steps and adds gamma^H min Q (by hand)', () => {
    // s_0 = 1: s_1 = 1.5, s_2 = 2; r = 1, 1.5; log-odds 0.5, 0.5; min Q(s_2) = min(4, 6) = 4
    //   (1 + 0.25) + 0.9 (1.5 + 0.25) + 0.81 * 4 = 6.065
    // s_0 = -1: s_1 = -0.5, s_2 = 0; r = -1, -0.5; min Q = 0
    //   (-1 + 0.25) + 0.9 (-0.5 + 0.25) = -0.975
    tf.tidy(() => {
      const terms = boundOf([1, -1]);
      values(terms.bound).forEach((v, i) => expect(v).toBeCloseTo([6.065, -0.975][i], 5));
      expect(values(terms.reward)).toEqual([1, -1, 1.5, -0.5]);
      expect(values(terms.classifierReward)).toEqual([0.5, 0.5, 0.5, 0.5]);
      expect(values(terms.value)).toEqual([4, 0]);
    });
  });

  it('rejects a horizon below 1', () => {
    expect(() =>
      mnmBound({
        actor,
        model,
        reward,
        classifier,
        critic,
        observation: tf.zeros([1, 1]),
        horizon: 0,
        gamma: 0.9,
        classifierCoefficient: 1,
        noise: noiseless(),
      }),
    ).toThrow(/horizon must be an integer >= 1, got 0/);
  });
});

describe('MnM model loss', () => {
  it('- mean bound + k_MLE mean NLL of the real next observation (by hand)', () => {
    // bounds 6.065 and -0.975 as above: mean 2.545
    // NLL under q(. | s, a_replay) = N(s + a, 1): s = 1, a = 0.2, s' = 2: 0.5 * 0.8^2 + log sqrt(2 pi)
    //                                           s = -1, a = 0, s' = -1: log sqrt(2 pi)
    const nll = (0.5 * 0.64 + 2 * LOG_SQRT_TWO_PI) / 2;
    tf.tidy(() => {
      const result = mnmModelLoss({
        actor,
        model,
        reward,
        classifier,
        critic,
        observation: tf.tensor2d([1, -1], [2, 1]),
        action: tf.tensor2d([0.2, 0], [2, 1]),
        nextObservation: tf.tensor2d([2, -1], [2, 1]),
        mleCoefficient: 2,
        horizon: 2,
        gamma: 0.9,
        classifierCoefficient: 0.5,
        noise: noiseless(),
      });
      expect(value(result.loss)).toBeCloseTo(-2.545 + 2 * nll, 5);
      expect(value(result.metrics.model_nll as tf.Scalar)).toBeCloseTo(nll, 5);
      expect(value(result.metrics.model_bound as tf.Scalar)).toBeCloseTo(2.545, 5);
    });
  });

  it('the model gets gradient through the classifier, the reward and the critic', () => {
    // q(s'|s, a) = N(s + a + w, 1); with s_0 = 1, H = 2 and w = 0:
    //   s_1 = 1.5 + w, s_2 = 2 + 2w; bound = (1 + c(0.5 + w)) + 0.9 (s_1 + c(0.5 + w)) + 0.81 * 2 s_2
    //   d bound / dw = c + 0.9 (1 + c) + 0.81 * 4 = 0.5 + 1.35 + 3.24 = 5.09
    //   of which c (1 + 0.9) = 0.95 comes through the classifier's log-odds
    const w = tf.variable(tf.scalar(0));
    const shifted: LatentDynamics = {
      distribution: (s, a) => new MeanSample(tf.add(tf.add(s, a), w), tf.onesLike(s)),
    };
    const gradient = (c: number) =>
      tf.tidy(() => {
        const { grads } = tf.variableGrads(
          () =>
            mnmModelLoss({
              actor,
              model: shifted,
              reward,
              classifier,
              critic,
              observation: tf.tensor2d([[1]]),
              action: tf.tensor2d([[0.5]]),
              nextObservation: tf.tensor2d([[1.5]]),
              mleCoefficient: 0,
              horizon: 2,
              gamma: 0.9,
              classifierCoefficient: c,
              noise: noiseless(),
            }).loss,
          [w],
        );
        return value(grads[w.name]);
      });
    expect(gradient(0.5)).toBeCloseTo(-5.09, 4);
    expect(gradient(0.5) - gradient(0)).toBeCloseTo(-0.95, 4);
    w.dispose();
  });

  it('rejects a negative likelihood weight', () => {
    expect(() =>
      mnmModelLoss({
        actor,
        model,
        reward,
        classifier,
        critic,
        observation: tf.zeros([1, 1]),
        action: tf.zeros([1, 1]),
        nextObservation: tf.zeros([1, 1]),
        mleCoefficient: -1,
        horizon: 1,
        gamma: 0.9,
        classifierCoefficient: 1,
        noise: noiseless(),
      }),
    ).toThrow(/mleCoefficient must be >= 0, got -1/);
  });
});

describe('MnM critic', () => {
  it("augmented reward r + c log C/(1-C)(s, a, s^')", () => {
    tf.tidy(() => {
      const r = mnmAugmentedReward(
        classifier,
        tf.tensor2d([[1], [2]]),
        tf.tensor2d([[0], [0]]),
        tf.tensor2d([[3], [1]]),
        tf.tensor1d([2, 0]),
        0.5,
      );
      expect(values(r)).toEqual([3, -0.5]);
    });
  });

  it('TD loss on model next states with the augmented reward (by hand)', () => {
    // both rows: s = 1, a = 0.5, r = 2, s^' = 3; log-odds 3 - 1 = 2; r~ = 2 + 0.5 * 2 = 3
    // row 1 (not terminated): y = 3 + 0.9 min(6, 9) = 8.4; row 2 (terminated): y = 3
    // Q1(s) = 2, Q2(s) = 3: mean (Q1 - y)^2 = (40.96 + 1) / 2 = 20.98, mean (Q2 - y)^2 = (29.16 + 0) / 2 = 14.58
    tf.tidy(() => {
      const result = mnmCriticLoss({
        critic,
        targetCritic: critic,
        actor,
        classifier,
        observation: tf.tensor2d([[1], [1]]),
        action: tf.tensor2d([[0.5], [0.5]]),
        reward: tf.tensor1d([2, 2]),
        terminated: tf.tensor1d([0, 1]),
        imaginedNext: tf.tensor2d([[3], [3]]),
        gamma: 0.9,
        classifierCoefficient: 0.5,
        noise: noiseless(),
      });
      expect(value(result.loss)).toBeCloseTo((20.98 + 14.58) / 2, 4);
      expect(value(result.metrics.target_mean as tf.Scalar)).toBeCloseTo((8.4 + 3) / 2, 5);
      expect(value(result.metrics.augmented_reward as tf.Scalar)).toBeCloseTo(3, 6);
    });
  });
});

describe('ALM Appendix F: MnM is ALM with an identity encoder and K -> infinity', () => {
  /** e(z | s) = delta(z - s): a Gaussian with std 0, whose sample is s itself. */
  const identityEncoder: LatentEncoder = {
    distribution: (s) => new DiagGaussian(tf.clone(s), tf.zerosLike(s)),
  };

  it.each([1, 2, 3])('K = %i: the MnM bound equals ALM K-step objective pieces on real networks', (K) => {
    const OBS = 3;
    const ACT = 2;
    const init = new Rng(11);
    const nets = {
      model: DynamicsModel.create({
        observationSize: OBS,
        actionSize: ACT,
        hiddenSize: 8,
        minStd: 0.1,
        rng: init,
      }),
      reward: RewardModel.create({ latentSize: OBS, actionSize: ACT, hiddenSize: 8, rng: init }),
      classifier: Classifier.create({ latentSize: OBS, actionSize: ACT, hiddenSize: 8, rng: init }),
      critic: TwinQCritic.create({ observationSize: OBS, actionSize: ACT, hiddenSizes: [8, 8], rng: init }),
      actor: LatentActor.create({ latentSize: OBS, actionSize: ACT, hiddenSize: 8, rng: init }),
    };
    const gamma = 0.9;
    const c = 0.7;
    const noise = () => ({ std: 0.4, clip: 0.3, rng: new Rng(5) });
    tf.tidy(() => {
      const s = tf.randomNormal([6, OBS], 0, 1, 'float32', 3);
      const mnm = values(
        mnmBound({ ...nets, observation: s, horizon: K, gamma, classifierCoefficient: c, noise: noise() })
          .bound,
      );
      // ALM's side: z_0 ~ e(. | s) with the identity encoder, the K-step rollout of Eq. 8, the
      // imagined reward r + c log C/(1-C), V = min Q, and the lambda = 1 return G_0 (the K-step
      // bound ALM's lowerBound evaluates).
      const z0 = identityEncoder.distribution(s).rsample(new Rng(99));
      const rollout = imagineRollout(nets.actor, nets.model, z0, K, noise());
      const from = tf.stack(rollout.latents.slice(0, K));
      const to = tf.stack(rollout.latents.slice(1));
      const taken = tf.stack(rollout.actions.slice(0, K));
      const imagined = tf.add(
        nets.reward.forward(from, taken),
        tf.mul(c, nets.classifier.reward(from, taken, to)),
      );
      const [q1, q2] = nets.critic.forward(to, tf.stack(rollout.actions.slice(1)));
      const returns = lambdaReturns(imagined, tf.minimum(q1, q2), gamma, 1);
      const alm = values(tf.squeeze(tf.slice(returns, [0, 0], [1, -1]), [0]));
      expect(mnm.length).toBe(6);
      mnm.forEach((v, i) => expect(v).toBeCloseTo(alm[i], 4));
    });
    for (const net of Object.values(nets)) net.dispose();
  });

  it('with an exact classifier, the model loss is ALM Eq. 7 KL term (Monte Carlo, 20000 rows)', () => {
    // real dynamics p(s'|s, a) = N(s + a + (0.3, -0.2), (0.8, 1.2)^2); model q(s'|s, a) = N(s + a, 0.5^2);
    // the exact classifier's log-odds are log p - log q, so E_q[-log C/(1-C)] = KL(q || p), which
    // ALM's Eq. 7 computes in closed form when its target encoder's next-latent distribution is p
    // (the identity encoder). Zero reward, zero critic, H = K = 1, c = 1, no likelihood term.
    const N = 20_000;
    const shift = tf.tensor1d([0.3, -0.2]);
    const pStd = tf.tensor1d([0.8, 1.2]);
    const q: LatentDynamics = {
      distribution: (s, a) => new DiagGaussian(tf.add(s, a), tf.mul(0.5, tf.onesLike(s))),
    };
    const p = (s: tf.Tensor, a: tf.Tensor) =>
      new DiagGaussian(tf.add(tf.add(s, a), shift), tf.mul(pStd, tf.onesLike(s)));
    const exact: LatentClassifier = {
      logits: (s, a, next) => {
        const odds = tf.expandDims(tf.sub(p(s, a).logProb(next), q.distribution(s, a).logProb(next)), -1);
        return tf.concat([tf.zerosLike(odds), odds], -1);
      },
      reward: (s, a, next) => tf.sub(p(s, a).logProb(next), q.distribution(s, a).logProb(next)),
    };
    const zeroReward: LatentReward = { forward: (s) => tf.zeros(s.shape.slice(0, -1)) };
    const zeroCritic: TwinQ = {
      forward: (s) => [tf.zeros(s.shape.slice(0, -1)), tf.zeros(s.shape.slice(0, -1))],
    };
    tf.tidy(() => {
      const s = tf.randomNormal([N, 2], 0, 1, 'float32', 4);
      const a = tf.fill([N, 2], 0.5); // the constant policy's action, also the "replay" action of Eq. 7
      const mnm = mnmModelLoss({
        actor,
        model: q,
        reward: zeroReward,
        classifier: exact,
        critic: zeroCritic,
        observation: s,
        action: a,
        nextObservation: s,
        mleCoefficient: 0,
        horizon: 1,
        gamma: 0.99,
        classifierCoefficient: 1,
        noise: { std: 0, clip: 0.3, rng: new Rng(8) },
      });
      const real = p(s, a);
      const alm = almEncoderModelLoss({
        encoder: identityEncoder,
        model: q,
        reward: zeroReward,
        critic: zeroCritic,
        actor,
        observation: s,
        actions: tf.expandDims(a, 0),
        targetNext: new DiagGaussian(tf.expandDims(real.mean, 0), tf.expandDims(real.std, 0)),
        noise: { std: 0, clip: 0.3, rng: new Rng(9) },
      });
      const kl = value(alm.loss);
      // by hand per dimension: log(s_p / s_q) + (s_q^2 + dm^2) / (2 s_p^2) - 1/2
      const byHand = [
        [0.8, 0.3],
        [1.2, -0.2],
      ].reduce((sum, [sp, dm]) => sum + Math.log(sp / 0.5) + (0.25 + dm * dm) / (2 * sp * sp) - 0.5, 0);
      expect(kl).toBeCloseTo(byHand, 3); // float32 mean over 20000 rows
      expect(Math.abs(value(mnm.loss) - kl)).toBeLessThan(0.02); // seeded: 0.7097 against 0.7119
    });
    shift.dispose();
    pStd.dispose();
  });
});
