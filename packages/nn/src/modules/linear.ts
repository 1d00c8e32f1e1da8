/**
 * Fully connected layer y = x W + b.
 *
 * `weight` has shape [inFeatures, outFeatures] (the tfjs layout; torch stores the transpose).
 * It starts orthogonal as torch.nn.init.orthogonal_ would make torch's [out, in] weight, drawn
 * from the seeded Rng; `bias` starts at zero, as in the paper authors' weight_init.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '@mbrl-ts/rng';
import { dense, type DenseActivation } from '../ops/dense';
import { Layer, cloneVariable, variableFrom } from './module';
import { orthogonalMatrix } from './orthogonal';

export interface LinearInit {
  rng: Rng;
  /** Scale of the orthogonal weight. Default 1. */
  gain?: number;
}

export class Linear extends Layer {
  readonly weight: tf.Variable;
  readonly bias: tf.Variable;

  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    init: LinearInit | { weight: tf.Variable; bias: tf.Variable },
  ) {
    super();
    if ('rng' in init) {
      // torch's weight is [out, in]; ours is its transpose, which is equally orthogonal.
      const torchLayout = orthogonalMatrix(outFeatures, inFeatures, init.rng, init.gain ?? 1);
      const ours = new Float32Array(inFeatures * outFeatures);
      for (let o = 0; o < outFeatures; o++) {
        for (let i = 0; i < inFeatures; i++) ours[i * outFeatures + o] = torchLayout[o * inFeatures + i];
      }
      this.weight = this.addVariable(
        'weight',
        variableFrom(() => tf.tensor2d(ours, [inFeatures, outFeatures])),
      );
      this.bias = this.addVariable(
        'bias',
        variableFrom(() => tf.zeros([outFeatures])),
      );
    } else {
      this.weight = this.addVariable('weight', init.weight);
      this.bias = this.addVariable('bias', init.bias);
    }
  }

  /**
   * x: [..., inFeatures] -> [..., outFeatures], followed by `activation` ('elu': the Linear and ELU
   * of a hidden layer as one dense op; see ../ops/dense).
   */
  forward(x: tf.Tensor, activation: DenseActivation = 'linear'): tf.Tensor {
    return tf.tidy(() => {
      // A batch of vectors multiplies as it is; other ranks go through [rows, inFeatures].
      if (x.rank === 2) return dense(x, this.weight, this.bias, activation);
      const leading = x.shape.slice(0, -1);
      const y = dense(x.reshape([-1, this.inFeatures]), this.weight, this.bias, activation);
      return y.reshape([...leading, this.outFeatures]);
    });
  }

  override clone(): Linear {
    return new Linear(this.inFeatures, this.outFeatures, {
      weight: cloneVariable(this.weight),
      bias: cloneVariable(this.bias),
    });
  }
}
