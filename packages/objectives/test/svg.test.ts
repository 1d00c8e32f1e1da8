/**
 * The SAC-SVG and SVG(1) losses against numbers computed by hand on tiny inputs. The model pieces
 * here are small hand-written functions of known form (the objectives take any object with the
 * right methods), so every expected number is a short formula.
 */
import { Rng, tf } from '@mbrl-ts/nn';
import { initBackend } from '@mbrl-ts/kernels';
import {
  donePositiveWeight,
  readMetrics,
  sacSvgActorLoss,
  scheduledTargetEntropy,
  stochasticValueExpansion,
  svg1ActorLoss,
  svg1ValueLoss,
  svgDoneLoss,
  svgDynamicsLoss,
  svgRewardLoss,
  type RecurrentDynamics,
  type StateActionFunction,
  type StochasticPolicy,
  type TwinQ,
} from '../src';
import { batchOf } from './helpers';

beforeAll(async () => {
  await initBackend('wasm', { logger: () => {} });
});

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** pi: a = 0.5 x (no noise), log pi = -0.1 x (obs 1, act 1). */
const policy: StochasticPolicy = {
  sample: (x) => ({ action: tf.mul(0.5, x), logProb: tf.reshape(tf.mul(-0.1, x), [x.shape[0]]) }),
};
/** x' = x + u + 0.1 h, the state h counting steps (h starts at 0, adds 1 per step). */
const dynamics: RecurrentDynamics = {
  initialState: (b) => [tf.zeros([b, 1])],
  step: (x, u, [h]) => ({ nextObservation: tf.add(tf.add(x, u), tf.mul(0.1, h)), state: [tf.add(h, 1)] }),
  unroll: (x0, us, feedBack = (x) => x) => {
    let state = [tf.zeros([x0.shape[0], 1])];
    let x = x0;
    const out: tf.Tensor[] = [];
    for (const u of tf.unstack(us)) {
      const next = dynamics.step(feedBack(x), u, state);
      out.push(next.nextObservation);
      x = next.nextObservation;
      state = next.state;
    }
    return tf.stack(out);
  },
};
const squeezeLast = (t: tf.Tensor) => tf.reshape(t, t.shape.slice(0, -1));
/** r(x, u) = x - u; done logit d(x, u) = x + u - 3. */
const reward: StateActionFunction = { forward: (x, u) => squeezeLast(tf.sub(x, u)) };
const doneLogit: StateActionFunction = { forward: (x, u) => squeezeLast(tf.sub(tf.add(x, u), 3)) };
/** Q1 = x + 2u, Q2 = 2x + u. */
const critic: TwinQ = {
  forward: (x, u) => [squeezeLast(tf.add(x, tf.mul(2, u))), squeezeLast(tf.add(tf.mul(2, x), u))],
};

/** The same rollout in plain numbers. */
function expandByHand(x0: number, horizon: number, gamma: number, alpha: number): number {
  let x = x0;
  let h = 0;
  let notDone = 1;
  let total = 0;
  for (let t = 0; t < horizon; t++) {
    const u = 0.5 * x;
    const logP = -0.1 * x;
    notDone *= 1 - sigmoid(x + u - 3);
    const v = t < horizon - 1 ? x - u : Math.min(x + 2 * u, 2 * x + u);
    total += gamma ** t * (notDone * v - alpha * logP);
    x = x + u + 0.1 * h;
    h += 1;
  }
  return total;
}

describe('stochasticValueExpansion (SAC-SVG(H) Eq. 5-6)', () => {
  it.each([1, 2, 3])('H = %i: sum_t gamma^t (c_t v_t - alpha log pi), critic at the last step', (H) => {
    tf.tidy(() => {
      const x0 = [1, -0.4];
      const { value, logProbs } = stochasticValueExpansion({
        actor: policy,
        dynamics,
        reward,
        done: doneLogit,
        critic,
        observation: tf.tensor2d(x0, [2, 1]),
        horizon: H,
        gamma: 0.9,
        alpha: 0.2,
        rng: new Rng(0),
      });
      expect(logProbs.shape).toEqual([H, 2]);
      const got = Array.from(value.dataSync());
      x0.forEach((x, i) => expect(got[i]).toBeCloseTo(expandByHand(x, H, 0.9, 0.2), 5));
    });
  });

  it('H = 2 written out: c0 r(x0,u0) - a logp0 + gamma (c1 min Q(x1,u1) - a logp1)', () => {
    const x0 = 1;
    const u0 = 0.5;
    const x1 = 1.5;
    const u1 = 0.75;
    const c0 = 1 - sigmoid(x0 + u0 - 3);
    const c1 = c0 * (1 - sigmoid(x1 + u1 - 3));
    const byHand = c0 * 0.5 + 0.2 * 0.1 + 0.9 * (c1 * Math.min(3, 3.75) + 0.2 * 0.15);
    expect(expandByHand(1, 2, 0.9, 0.2)).toBeCloseTo(byHand, 12);
  });

  it('the actor loss is -mean(V_H) / H and reports the first step entropy', () => {
    const m = tf.tidy(() => {
      const result = sacSvgActorLoss({
        actor: policy,
        dynamics,
        reward,
        done: doneLogit,
        critic,
        observation: tf.tensor2d([1, -0.4], [2, 1]),
        horizon: 3,
        gamma: 0.9,
        alpha: 0.2,
        rng: new Rng(0),
      });
      return readMetrics(result.metrics);
    });
    const mean = (expandByHand(1, 3, 0.9, 0.2) + expandByHand(-0.4, 3, 0.9, 0.2)) / 2;
    expect(m.actor_loss).toBeCloseTo(-mean / 3, 5);
    expect(m.entropy).toBeCloseTo(-(-0.1 * 1 + -0.1 * -0.4) / 2, 6);
  });

  it('rejects a horizon below 1', () => {
    expect(() =>
      stochasticValueExpansion({
        actor: policy,
        dynamics,
        reward,
        done: doneLogit,
        critic,
        observation: tf.zeros([1, 1]),
        horizon: 0,
        gamma: 0.9,
        alpha: 0.2,
        rng: new Rng(0),
      }),
    ).toThrow(/horizon must be an integer >= 1, got 0/);
  });
});

describe('svgDynamicsLoss', () => {
  it('is the mean squared error of the K-step unroll against observed x_1..x_K', () => {
    const loss = tf.tidy(() => {
      // x0 = 1, u = [1, 2]: predictions 2 and 2 + 2 + 0.1 = 4.1; observed 2.5 and 4
      const result = svgDynamicsLoss({
        dynamics,
        observations: tf.tensor3d([1, 2.5, 4], [3, 1, 1]),
        actions: tf.tensor3d([1, 2], [2, 1, 1]),
      });
      return result.loss.dataSync()[0];
    });
    expect(loss).toBeCloseTo(((2 - 2.5) ** 2 + (4.1 - 4) ** 2) / 2, 6);
  });

  it('names a length mismatch', () => {
    expect(() =>
      svgDynamicsLoss({ dynamics, observations: tf.zeros([2, 1, 1]), actions: tf.zeros([2, 1, 1]) }),
    ).toThrow(/2 actions need 3 observations, got 2/);
  });
});

describe('svgRewardLoss and svgDoneLoss', () => {
  it('reward: mean((r(x, u) - r)^2)', () => {
    const loss = tf.tidy(
      () =>
        svgRewardLoss({
          reward,
          observation: tf.tensor2d([1, 2], [2, 1]),
          action: tf.tensor2d([0, 1], [2, 1]),
          target: tf.tensor1d([0, 3]),
        }).loss.dataSync()[0],
    );
    expect(loss).toBeCloseTo((1 + 4) / 2, 6);
  });

  it('done: binary cross-entropy with the positive class weighted (B - n) / n', () => {
    // logits: 1 + 0 - 3 = -2, 2 + 1 - 3 = 0, 4 + 1 - 3 = 2; terminated [0, 0, 1] -> weight 2
    const loss = tf.tidy(
      () =>
        svgDoneLoss({
          done: doneLogit,
          observation: tf.tensor2d([1, 2, 4], [3, 1]),
          action: tf.tensor2d([0, 1, 1], [3, 1]),
          terminated: tf.tensor1d([0, 0, 1]),
        }).loss.dataSync()[0],
    );
    const byHand = (-Math.log(1 - sigmoid(-2)) - Math.log(1 - sigmoid(0)) - 2 * Math.log(sigmoid(2))) / 3;
    expect(loss).toBeCloseTo(byHand, 5);
    expect(tf.tidy(() => donePositiveWeight(tf.tensor1d([0, 0])).dataSync()[0])).toBe(1);
  });
});

describe('scheduledTargetEntropy', () => {
  it('moves from initial to final as (1 - step/T)^decay; decay 0 stays at initial', () => {
    const s = { initial: -2, final: -3, decay: 1, totalSteps: 100 };
    expect(scheduledTargetEntropy(s, 0)).toBe(-2);
    expect(scheduledTargetEntropy(s, 50)).toBe(-2.5);
    expect(scheduledTargetEntropy(s, 100)).toBe(-3);
    expect(scheduledTargetEntropy({ ...s, decay: 0 }, 100)).toBe(-2);
    expect(() => scheduledTargetEntropy({ ...s, final: -1 }, 0)).toThrow(/final target -1 must not exceed/);
  });
});

describe('SVG(1)', () => {
  const value = { forward: (x: tf.Tensor) => squeezeLast(tf.mul(3, x)) }; // V(s) = 3 s
  const targetValue = { forward: (x: tf.Tensor) => squeezeLast(tf.add(x, 1)) }; // V'(s) = s + 1
  const rows = { s: [1, -0.5], a: [0.2, -0.6], r: [1, -2], s2: [2, 0.3], d: [0, 1] };

  it("value loss: mean((V(s) - (r + gamma (1 - d) V'(s')))^2)", () => {
    const loss = tf.tidy(
      () => svg1ValueLoss({ value, targetValue, batch: batchOf(rows), gamma: 0.9 }).loss.dataSync()[0],
    );
    const y = [1 + 0.9 * 3, -2];
    expect(loss).toBeCloseTo(((3 - y[0]) ** 2 + (-1.5 - y[1]) ** 2) / 2, 5);
  });

  it("actor loss: -mean(r(s,a) - alpha log pi + gamma (1 - sigmoid d) V(s' + f(s,a) - f(s,a_replayed)))", () => {
    const loss = tf.tidy(
      () =>
        svg1ActorLoss({
          actor: policy,
          dynamics,
          reward,
          done: doneLogit,
          value,
          batch: batchOf(rows),
          gamma: 0.9,
          alpha: 0.2,
          rng: new Rng(0),
        }).loss.dataSync()[0],
    );
    const terms = rows.s.map((s, i) => {
      const a = 0.5 * s;
      const imagined = rows.s2[i] + (s + a) - (s + rows.a[i]); // one step from h = 0
      return s - a - 0.2 * (-0.1 * s) + 0.9 * (1 - sigmoid(s + a - 3)) * 3 * imagined;
    });
    expect(loss).toBeCloseTo(-(terms[0] + terms[1]) / 2, 5);
  });
});
