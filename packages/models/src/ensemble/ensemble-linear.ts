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
    return tf.tidy(() => tf.add(tf.matMul(x as tf.Tensor3D, this.weight as tf.Tensor3D), this.bias));
  }

  /**
   * The members at `indices` only: x [K, B, in] -> [K, B, out], row k of x through member
   * indices[k] (one gather of the weights, then one batched product).
   */
  forwardMembers(x: tf.Tensor, indices: readonly number[]): tf.Tensor3D {
    this.checkIndices(indices);
    this.checkInput(x, indices.length);
    return tf.tidy(() => {
      const picked = tf.tensor1d(Int32Array.from(indices), 'int32');
      const weight = tf.gather(this.weight, picked) as tf.Tensor3D;
      const bias = tf.gather(this.bias, picked);
      return tf.add(tf.matMul(x as tf.Tensor3D, weight), bias);
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
