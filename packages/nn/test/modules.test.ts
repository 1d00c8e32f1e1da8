import * as tf from '@tensorflow/tfjs';
import { LayerNorm, Linear, Rng, mergeVariables, mlp, orthogonalMatrix } from '../src/index';
import { expectClose, useWasm, values } from './helpers';

/** Gram matrix M^T M (cols x cols) of a row-major rows x cols matrix, in float64. */
function gram(m: ArrayLike<number>, rows: number, cols: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < cols; i++) {
    for (let j = 0; j < cols; j++) {
      let s = 0;
      for (let r = 0; r < rows; r++) s += m[r * cols + i] * m[r * cols + j];
      out.push(s);
    }
  }
  return out;
}

function identity(n: number): number[] {
  return Array.from({ length: n * n }, (_, k) => (Math.floor(k / n) === k % n ? 1 : 0));
}

function transpose(m: ArrayLike<number>, rows: number, cols: number): number[] {
  const out: number[] = [];
  for (let c = 0; c < cols; c++) for (let r = 0; r < rows; r++) out.push(m[r * cols + c]);
  return out;
}

describe('modules', () => {
  beforeAll(useWasm);

  describe('orthogonal init', () => {
    it('gives orthonormal columns for a tall matrix (W^T W = I)', () => {
      expectClose(gram(orthogonalMatrix(12, 5, new Rng(1)), 12, 5), identity(5), 1e-5);
    });

    it('gives orthonormal rows for a wide matrix (W W^T = I)', () => {
      const w = orthogonalMatrix(4, 9, new Rng(2));
      expectClose(gram(transpose(w, 4, 9), 9, 4), identity(4), 1e-5);
    });

    it('scales by the gain and depends only on the seed', () => {
      const w = orthogonalMatrix(6, 6, new Rng(3), 2);
      expectClose(
        gram(w, 6, 6),
        identity(6).map((x) => 4 * x),
        1e-4,
      );
      expect(Array.from(orthogonalMatrix(6, 6, new Rng(3), 2))).toEqual(Array.from(w));
      expect(Array.from(orthogonalMatrix(6, 6, new Rng(4), 2))).not.toEqual(Array.from(w));
    });

    it('makes Linear weights orthogonal with zero bias', () => {
      const layer = new Linear(16, 8, { rng: new Rng(5) });
      expect(layer.weight.shape).toEqual([16, 8]);
      expectClose(gram(values(layer.weight), 16, 8), identity(8), 1e-5);
      expect(values(layer.bias)).toEqual(new Array(8).fill(0));
      layer.dispose();
    });
  });

  it('Linear computes x W + b over any leading dimensions', () => {
    const layer = new Linear(2, 2, { rng: new Rng(0) });
    layer.weight.assign(
      tf.tensor2d([
        [1, 2],
        [3, 4],
      ]),
    );
    layer.bias.assign(tf.tensor1d([0.5, -1]));
    const y = layer.forward(tf.tensor3d([[[1, 1]], [[2, -1]]]));
    expect(y.shape).toEqual([2, 1, 2]);
    expect(values(y)).toEqual([4.5, 5, -0.5, -1]);
    y.dispose();
    layer.dispose();
  });

  it('LayerNorm normalises the last axis with biased variance and eps 1e-5, then applies gain and bias', () => {
    const norm = new LayerNorm(4);
    norm.weight.assign(tf.tensor1d([1, 2, 1, 1]));
    norm.bias.assign(tf.tensor1d([0, 0, 0, 1]));
    const y = norm.forward(tf.tensor2d([[1, 2, 3, 4]]));
    // mean 2.5, biased variance 1.25
    const s = Math.sqrt(1.25 + 1e-5);
    expectClose(values(y), [-1.5 / s, (2 * -0.5) / s, 0.5 / s, 1.5 / s + 1], 1e-5);
    tf.dispose([y]);
    norm.dispose();
  });

  it('mlp with LayerNorm + tanh first has the paper critic shape and torch-style names', () => {
    const net = mlp({
      inputSize: 7,
      hiddenSizes: [16, 16],
      outputSize: 1,
      layerNormTanhFirst: true,
      rng: new Rng(9),
    });
    const named = net.variables('critic');
    expect([...named.keys()]).toEqual([
      'critic.0.weight',
      'critic.0.bias',
      'critic.1.weight',
      'critic.1.bias',
      'critic.3.weight',
      'critic.3.bias',
      'critic.5.weight',
      'critic.5.bias',
    ]);
    expect(named.get('critic.0.weight')?.shape).toEqual([7, 16]);
    expect(named.get('critic.5.weight')?.shape).toEqual([16, 1]);
    expect(net.layers.map((l) => l.constructor.name)).toEqual([
      'Linear',
      'LayerNorm',
      'Activation',
      'Linear',
      'Activation',
      'Linear',
    ]);
    expect(net.parameterCount()).toBe(7 * 16 + 16 + 2 * 16 + 16 * 16 + 16 + 16 + 1);
    const y = net.forward(tf.ones([3, 7]));
    expect(y.shape).toEqual([3, 1]);
    y.dispose();
    net.dispose();
  });

  it('mlp rejects bad sizes with a clear message', () => {
    expect(() => mlp({ inputSize: 0, hiddenSizes: [4], outputSize: 1, rng: new Rng(1) })).toThrow(
      /positive integers/,
    );
  });

  it('clone copies values into independent variables with the same names', () => {
    const online = mlp({
      inputSize: 3,
      hiddenSizes: [5],
      outputSize: 2,
      activation: 'relu',
      rng: new Rng(11),
    });
    const target = online.clone();
    expect([...target.variables().keys()]).toEqual([...online.variables().keys()]);
    for (const [name, v] of online.variables()) {
      const t = target.variables().get(name) as tf.Variable;
      expect(t).not.toBe(v);
      expect(values(t)).toEqual(values(v));
    }
    (online.variables().get('0.bias') as tf.Variable).assign(tf.ones([5]));
    expect(values(target.variables().get('0.bias') as tf.Variable)).toEqual([0, 0, 0, 0, 0]);
    online.dispose();
    target.dispose();
  });

  it('mergeVariables prefixes each module', () => {
    const encoder = mlp({ inputSize: 2, hiddenSizes: [], outputSize: 2, rng: new Rng(1) });
    const model = new LayerNorm(2);
    expect([...mergeVariables({ encoder, model }).keys()]).toEqual([
      'encoder.0.weight',
      'encoder.0.bias',
      'model.weight',
      'model.bias',
    ]);
    encoder.dispose();
    model.dispose();
  });
});
