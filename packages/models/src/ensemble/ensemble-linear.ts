/**
 * N fully connected layers of the same shape, one per ensemble member, run as one batched product:
 *
 *   y[n] = x[n] W[n] + b[n],   W: [N, in, out],  b: [N, 1, out],  x: [N, B, in] -> y: [N, B, out]
 *
 * One tf.matMul on [N, B, in] x [N, in, out] is one BatchMatMul kernel for the whole ensemble
 * (the native product library runs it as one strided batch of N products), instead of N separate
 * layers and N kernel calls each way. Each member's weight starts orthogonal as a Linear's does
 * (torch.nn.init.orthogonal_ on torch's [out, in] layout, drawn from the seeded Rng member by
 * member), its bias at zero.
 *
 * Members can be picked (`forwardMembers`): the weights of the chosen members are gathered first,
 * so a target computed on M of N members multiplies M members, not N.
 */
import { Module, cloneVariable, orthogonalMatrix, tf, variableFrom, type Rng } from '@mbrl-ts/nn';

export interface EnsembleLinearInit {
  readonly rng: Rng;
  /** Scale of each member's orthogonal weight. Default 1. */
  readonly gain?: number;
}

export class EnsembleLinear extends Module {
  readonly weight: tf.Variable;
  readonly bias: tf.Variable;

  constructor(
    readonly members: number,
    readonly inFeatures: number,
    readonly outFeatures: number,
    init: EnsembleLinearInit | { weight: tf.Variable; bias: tf.Variable },
  ) {
    super();
    for (const [what, size] of [
      ['members', members],
      ['inFeatures', inFeatures],
      ['outFeatures', outFeatures],
    ] as const) {
      if (!Number.isInteger(size) || size <= 0)
        throw new RangeError(`EnsembleLinear: ${what} must be a positive integer, got ${size}`);
    }
    if ('rng' in init) {
      const values = new Float32Array(members * inFeatures * outFeatures);
      for (let n = 0; n < members; n++) {
        const torchLayout = orthogonalMatrix(outFeatures, inFeatures, init.rng, init.gain ?? 1);
        const base = n * inFeatures * outFeatures;
        for (let o = 0; o < outFeatures; o++) {
          for (let i = 0; i < inFeatures; i++)
            values[base + i * outFeatures + o] = torchLayout[o * inFeatures + i];
        }
      }
      this.weight = this.addVariable(
        'weight',
        variableFrom(() => tf.tensor3d(values, [members, inFeatures, outFeatures])),
      );
      this.bias = this.addVariable(
        'bias',
        variableFrom(() => tf.zeros([members, 1, outFeatures])),
      );
    } else {
      const { weight, bias } = init;
      const expectW = [members, inFeatures, outFeatures];
      const expectB = [members, 1, outFeatures];
      if (weight.shape.join() !== expectW.join() || bias.shape.join() !== expectB.join()) {
        throw new RangeError(
          `EnsembleLinear: weight must be [${expectW}] and bias [${expectB}], got [${weight.shape}] and [${bias.shape}]`,
        );
      }
      this.weight = this.addVariable('weight', weight);
      this.bias = this.addVariable('bias', bias);
    }
  }

  /** x [N, B, in] -> [N, B, out], every member on its own slice of x. */
  forward(x: tf.Tensor): tf.Tensor3D {
    this.checkInput(x, this.members);
    return ensembleAffine(x as tf.Tensor3D, this.weight as tf.Tensor3D, this.bias as tf.Tensor3D);
  }

  /**
   * The members at `indices` only: x [K, B, in] -> [K, B, out], row k of x through member
   * indices[k]. The picked weights are copied out as slices (heap-to-heap copies on wasm; tfjs's
   * gather is about 25x slower here), then multiplied in one batched product.
   */
  forwardMembers(x: tf.Tensor, indices: readonly number[]): tf.Tensor3D {
    this.checkIndices(indices);
    this.checkInput(x, indices.length);
    return tf.tidy(() => {
      const pick = (v: tf.Variable) =>
        tf.concat(
          indices.map((i) => tf.slice(v, [i, 0, 0], [1, -1, -1])),
          0,
        ) as tf.Tensor3D;
      return ensembleAffine(x as tf.Tensor3D, pick(this.weight), pick(this.bias));
    });
  }

  override clone(): EnsembleLinear {
    return new EnsembleLinear(this.members, this.inFeatures, this.outFeatures, {
      weight: cloneVariable(this.weight),
      bias: cloneVariable(this.bias),
    });
  }

  private checkInput(x: tf.Tensor, members: number): void {
    if (x.rank !== 3 || x.shape[0] !== members || x.shape[2] !== this.inFeatures) {
      throw new RangeError(
        `EnsembleLinear: expected input [${members}, B, ${this.inFeatures}], got [${x.shape}]`,
      );
    }
  }

  private checkIndices(indices: readonly number[]): void {
    if (indices.length === 0 || indices.some((i) => !Number.isInteger(i) || i < 0 || i >= this.members)) {
      throw new RangeError(
        `EnsembleLinear: member indices must be integers in [0, ${this.members}), got [${indices.join(', ')}]`,
      );
    }
  }
}

/**
 * x [N, B, in] W [N, in, out] + b [N, 1, out] as one differentiable op whose gradients are batched
 * products too: dx = dy W^T, dW = x^T dy, db = 1^T dy (a [N, 1, B] row of ones times dy, instead
 * of tfjs's reduction of the broadcast add over the batch axis, which is slower at these sizes).
 */
const ensembleAffine = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [x, weight, bias] = args as [tf.Tensor3D, tf.Tensor3D, tf.Tensor3D];
  (args[3] as tf.GradSaveFunc)([x, weight]);
  const value = tf.add(tf.matMul(x, weight), bias);
  return {
    value,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [savedX, savedWeight] = saved as [tf.Tensor3D, tf.Tensor3D];
      const [n, b] = savedX.shape;
      const ones = tf.ones([n, 1, b]) as tf.Tensor3D;
      return [
        tf.matMul(dy as tf.Tensor3D, savedWeight, false, true),
        tf.matMul(savedX, dy as tf.Tensor3D, true, false),
        tf.matMul(ones, dy as tf.Tensor3D),
      ];
    },
  };
}) as (x: tf.Tensor3D, weight: tf.Tensor3D, bias: tf.Tensor3D) => tf.Tensor3D;
