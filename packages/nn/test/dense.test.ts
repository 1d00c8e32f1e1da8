/**
 * The dense op (x w + b, then optionally ELU): a hand-computed case and agreement with autodiff of
 * matMul, add and elu on tfjs's cpu and wasm backends (the native kernel against the tfjs ops is
 * @mbrl-ts/kernels' native-dense test).
 */
import * as tf from '@tensorflow/tfjs';
import { dense, type DenseActivation } from '../src/index';
import { composite, handCase, randomCase, valueAndGrads } from './dense-cases';
import { expectAgreeScaled as expectAgree, useBackend } from './helpers';

describe.each(['cpu', 'wasm'] as const)('dense on %s', (backend) => {
  beforeAll(async () => {
    await useBackend(backend);
  });

  it('matches a hand-computed case: values, dx, dw and db, linear and ELU', handCase);

  it.each([['linear'], ['elu']] as const)('agrees with autodiff of matMul, add and %s', (activation) => {
    const { inputs, dy } = randomCase(9, 5, 7, 3);
    const op = valueAndGrads((a, w, b) => dense(a, w, b, activation), inputs, dy);
    const reference = valueAndGrads((a, w, b) => composite(a, w, b, activation), inputs, dy);
    expectAgree(op, reference, 1e-5);
    tf.dispose([...inputs, dy]);
  });

  it('says which shape or activation was wrong', () => {
    const [x, w, b, wide] = [tf.zeros([2, 3]), tf.zeros([3, 4]), tf.zeros([4]), tf.zeros([4, 4])];
    expect(() => dense(x, wide, b)).toThrow(
      "dense: x [2,3], weight [4,4] and bias [4] do not fit (x's columns must equal weight's rows",
    );
    expect(() => dense(x, w, wide)).toThrow('expected x [m, k], weight [k, n] and bias [n]');
    expect(() => dense(x, w, b, 'relu' as DenseActivation)).toThrow(
      "dense: activation must be 'linear' or 'elu', got relu",
    );
    tf.dispose([x, w, b, wide]);
  });
});
