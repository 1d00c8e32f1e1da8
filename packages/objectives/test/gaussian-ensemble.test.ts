/**
 * MBPO's model loss and elite choice on a two-member ensemble with known weights: the values were
 * computed by hand (softplus bounds, Gaussian NLL per member, bound and decay terms).
 */
import { ProbabilisticEnsemble } from '@mbrl-ts/models';
import { Rng, tf } from '@mbrl-ts/nn';
import { initBackend } from '@mbrl-ts/kernels';
import { chooseElites, ensembleHeldOutError, gaussianEnsembleLoss, readMetrics } from '../src';
import { setWeights } from './helpers';

await initBackend('wasm', { logger: () => {} });

/**
 * obs 1, act 1, no hidden layer; outputs [mu_r, mu_ds, raw_r, raw_ds]:
 * member 0 = [s, a, 0, 0], member 1 = [1, 1, s, a].
 */
function knownModel(): ProbabilisticEnsemble {
  const model = ProbabilisticEnsemble.create({
    observationSize: 1,
    actionSize: 1,
    ensembleSize: 2,
    hiddenSizes: [],
    rng: new Rng(3),
  });
  setWeights(model, {
    '0.weight': [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1],
    '0.bias': [0, 0, 0, 0, 1, 1, 0, 0],
  });
  return model;
}

// member 0's rows and targets, then member 1's
const input = () => tf.tensor3d([1, 2, 0, -1, 3, 0, 1, 1], [2, 2, 2]);
const target = () => tf.tensor3d([0.5, 1, 0, -2, 1, 1, 2, 0], [2, 2, 2]);

describe('gaussianEnsembleLoss', () => {
  const model = knownModel();
  afterAll(() => model.dispose());

  it('bounds the log-variance softly between the learned min and max', () => {
    const logVar = tf.tidy(() => Array.from(model.predict(input()).logVar.dataSync()));
    const softplus = (x: number) => Math.log1p(Math.exp(x));
    const bounded = (raw: number) => -10 + softplus(0.5 - softplus(0.5 - raw) + 10);
    // member 0 raw = 0; member 1 raw = (s, a) = (3, 0), (1, 1)
    const expected = [0, 0, 0, 0, 3, 0, 1, 1].map(bounded);
    logVar.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
    expect(bounded(100)).toBeCloseTo(0.5, 4); // soft: 0.5 + log1p(exp(-10.5))
    expect(bounded(-100)).toBeCloseTo(-10, 4);
  });

  it('is the sum of the members\u2019 NLL plus the bound and decay terms (hand-computed)', () => {
    const metrics = tf.tidy(() =>
      readMetrics(
        gaussianEnsembleLoss({
          model,
          input: input(),
          target: target(),
          boundCoefficient: 0.01,
          weightDecays: [0.1],
        }).metrics,
      ),
    );
    // member 0: fit 0.903608, log-variance 0.474004 below 0; member 1: fit 0.487183, -0.000232
    expect(metrics.model_nll).toBeCloseTo(0.9165546675, 5);
    // + 0.01 (sum max 2 x 2 x 0.5 - sum min 2 x 2 x -10) = 0.42, + 0.1 / 2 x 4 (four unit weights)
    expect(metrics.model_loss).toBeCloseTo(1.5365546675, 5);
    expect(metrics.model_mse).toBeCloseTo(0.53125, 6);
  });

  it('gives each member its held-out error and refuses a decay list of the wrong length', () => {
    const errors = tf.tidy(() => Array.from(ensembleHeldOutError(model, input(), target()).dataSync()));
    expect(errors[0]).toBeCloseTo(0.5625, 6);
    expect(errors[1]).toBeCloseTo(0.5, 6);
    expect(() =>
      tf.tidy(() => {
        gaussianEnsembleLoss({
          model,
          input: input(),
          target: target(),
          boundCoefficient: 0,
          weightDecays: [1, 2],
        });
      }),
    ).toThrow(/2 weight decays for 1 layers/);
  });

  it('trains the bounds, the weights and nothing else', () => {
    const before = [...model.variables().values()].map((v) => Array.from(v.dataSync()));
    const { grads } = tf.variableGrads(
      () =>
        gaussianEnsembleLoss({
          model,
          input: input(),
          target: target(),
          boundCoefficient: 0.01,
          weightDecays: [],
        }).loss,
      model.parameters(),
    );
    for (const v of model.parameters())
      expect(Array.from(grads[v.name].dataSync()).some((g) => g !== 0)).toBe(true);
    tf.dispose(Object.values(grads));
    expect([...model.variables().values()].map((v) => Array.from(v.dataSync()))).toEqual(before);
  });
});

describe('chooseElites', () => {
  it('takes the members with the smallest held-out errors, best first, ties by index', () => {
    expect(chooseElites([0.3, 0.1, 0.5, 0.1, 0.2, 0.9, 0.05], 5)).toEqual([6, 1, 3, 4, 0]);
    expect(chooseElites([2, 1], 1)).toEqual([1]);
    expect(() => chooseElites([1, 2], 3)).toThrow(/count must be an integer in \[1, 2\]/);
    expect(() => chooseElites([1, NaN], 1)).toThrow(/member 1's error is NaN/);
  });
});
