/**
 * The batched ensemble layers: one [N, in, out] product gives each member exactly what its own
 * layer would, picking members gathers the right ones, and the initial weights are one orthogonal
 * matrix per member.
 */
import { Rng, tf } from '@mbrl-ts/nn';
import { initBackend } from '@mbrl-ts/kernels';
import { EnsembleLinear, QEnsemble } from '../src';

beforeAll(async () => {
  await initBackend('wasm', { logger: () => {} });
});

function assign(variable: tf.Variable | undefined, values: number[]): void {
  if (!variable) throw new Error('no such variable');
  tf.tidy(() => variable.assign(tf.tensor(values, variable.shape)));
}

function close(actual: ArrayLike<number>, expected: ArrayLike<number>, digits = 5): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(actual[i]).toBeCloseTo(expected[i], digits);
}

describe('EnsembleLinear', () => {
  it('starts each member at its own orthogonal weight and zero bias', () => {
    const layer = new EnsembleLinear(3, 6, 4, { rng: new Rng(2) });
    expect(layer.weight.shape).toEqual([3, 6, 4]);
    expect(layer.bias.shape).toEqual([3, 1, 4]);
    const w = layer.weight.arraySync() as number[][][];
    for (const member of w) {
      // columns orthonormal: W^T W = I (torch's [out, in] rows are orthonormal)
      for (let a = 0; a < 4; a++)
        for (let b = 0; b < 4; b++) {
          const dot = member.reduce((s, row) => s + row[a] * row[b], 0);
          expect(dot).toBeCloseTo(a === b ? 1 : 0, 5);
        }
    }
    expect(w[0][0][0]).not.toBeCloseTo(w[1][0][0], 5);
    expect(Array.from(layer.bias.dataSync())).toEqual(new Array(12).fill(0));
    layer.dispose();
  });

  it('one batched product equals each member multiplied on its own, and members can be picked', () => {
    const layer = new EnsembleLinear(3, 2, 2, { rng: new Rng(0) });
    // member n: W = [[n+1, 0], [1, -n]], b = [n, 1]
    assign(layer.weight, [1, 0, 1, 0, 2, 0, 1, -1, 3, 0, 1, -2]);
    assign(layer.bias, [0, 1, 1, 1, 2, 1]);
    // member 0 rows (1, 2), (0, 1); member 1 rows (3, -1), (1, 1); member 2 rows (2, 0), (-1, 4)
    const x = tf.tensor3d([1, 2, 0, 1, 3, -1, 1, 1, 2, 0, -1, 4], [3, 2, 2]);
    const y = layer.forward(x);
    // by hand: member 0 rows (1,2) -> (1+2+0, 0+1) = (3, 1); (0,1) -> (1, 1)
    //          member 1 rows (3,-1) -> (6-1+1, 1+1) = (6, 2); (1,1) -> (2+1+1, -1+1) = (4, 0)
    //          member 2 rows (2,0) -> (6+0+2, 1) = (8, 1); (-1,4) -> (-3+4+2, -8+1) = (3, -7)
    close(y.dataSync(), [3, 1, 1, 1, 6, 2, 4, 0, 8, 1, 3, -7]);
    // members 2 then 0 on two rows of input each
    const picked = layer.forwardMembers(tf.tensor3d([2, 0, -1, 4, 1, 2, 0, 1], [2, 2, 2]), [2, 0]);
    close(picked.dataSync(), [8, 1, 3, -7, 3, 1, 1, 1]);
    expect(() => layer.forwardMembers(x, [0, 3, 1])).toThrow(/member indices must be integers in \[0, 3\)/);
    expect(() => layer.forward(tf.zeros([2, 2, 2]))).toThrow(/expected input \[3, B, 2\]/);
    tf.dispose([x, y, picked]);
    layer.dispose();
  });
});

describe('QEnsemble', () => {
  it('names its layers 0, 1, 2 and gives [N, B] values equal to each member as its own MLP', () => {
    const q = QEnsemble.create({
      observationSize: 3,
      actionSize: 2,
      ensembleSize: 4,
      hiddenSizes: [8, 8],
      rng: new Rng(5),
    });
    expect([...q.variables().keys()]).toEqual([
      '0.weight',
      '0.bias',
      '1.weight',
      '1.bias',
      '2.weight',
      '2.bias',
    ]);
    expect(q.variables().get('1.weight')?.shape).toEqual([4, 8, 8]);
    tf.tidy(() => {
      for (const layer of q.layers)
        layer.bias.assign(tf.randomNormal(layer.bias.shape, 0, 0.3, 'float32', 9));
    });
    const obs = tf.tensor2d([0.3, -1, 2, 1, 0.5, -0.2], [2, 3]);
    const act = tf.tensor2d([0.1, -0.9, 0.7, 0.2], [2, 2]);
    const all = q.forward(obs, act);
    expect(all.shape).toEqual([4, 2]);
    // each member by hand: its slices of the weights, two-dimensional products
    const input = tf.concat([obs, act], -1);
    for (let n = 0; n < 4; n++) {
      const own = tf.tidy(() => {
        let x: tf.Tensor = input;
        q.layers.forEach((layer, i) => {
          const w = tf.squeeze(tf.slice(layer.weight, [n, 0, 0], [1, -1, -1]), [0]) as tf.Tensor2D;
          const b = tf.reshape(tf.slice(layer.bias, [n, 0, 0], [1, -1, -1]), [-1]);
          x = tf.add(tf.matMul(x as tf.Tensor2D, w), b);
          if (i < 2) x = tf.relu(x);
        });
        return tf.reshape(x, [-1]);
      });
      close(
        tf.tidy(() => tf.slice(all, [n, 0], [1, -1]).dataSync()),
        own.dataSync(),
      );
      own.dispose();
    }
    const picked = q.forward(obs, act, [3, 1]);
    close(picked.dataSync(), [...tf.tidy(() => tf.gather(all, [3, 1]).dataSync())]);
    const everyone = q.forward(obs, act, [0, 1, 2, 3]);
    expect(Array.from(everyone.dataSync())).toEqual(Array.from(all.dataSync()));
    tf.dispose([obs, act, all, input, picked, everyone]);
    q.dispose();
  });

  it('passes gradient to every member and to the action, and clones into independent variables', () => {
    const q = QEnsemble.create({
      observationSize: 2,
      actionSize: 1,
      ensembleSize: 3,
      hiddenSizes: [5],
      rng: new Rng(1),
    });
    const obs = tf.tensor2d([1, 2, -1, 0], [2, 2]);
    const act = tf.tensor2d([0.5, -0.5], [2, 1]);
    const { grads } = tf.variableGrads(() => tf.sum(q.forward(obs, act)) as tf.Scalar, q.parameters());
    const w0 = grads[q.layers[0].weight.name].arraySync() as number[][][];
    for (const member of w0) expect(member.flat().some((g) => g !== 0)).toBe(true);
    const da = tf.grad((a: tf.Tensor) => tf.sum(q.forward(obs, a)))(act);
    expect(Array.from(da.dataSync()).every((g) => g !== 0)).toBe(true);
    const copy = q.clone();
    tf.tidy(() => q.layers[0].weight.assign(tf.zerosLike(q.layers[0].weight)));
    expect(Array.from(copy.layers[0].weight.dataSync()).some((v) => v !== 0)).toBe(true);
    tf.dispose([obs, act, da, ...Object.values(grads)]);
    q.dispose();
    copy.dispose();
  });
});
