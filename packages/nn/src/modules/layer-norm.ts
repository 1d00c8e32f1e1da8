/**
 * Layer normalisation over the last axis with a learned gain (`weight`, starts at 1) and
 * `bias` (starts at 0); variance is the biased one and eps = 1e-5, as torch.nn.LayerNorm.
 */
import * as tf from '@tensorflow/tfjs';
import { Layer, cloneVariable, variableFrom } from './module';

export class LayerNorm extends Layer {
  readonly weight: tf.Variable;
  readonly bias: tf.Variable;

  constructor(
    readonly features: number,
    readonly eps = 1e-5,
    values?: { weight: tf.Variable; bias: tf.Variable },
  ) {
    super();
    this.weight = this.addVariable('weight', values?.weight ?? variableFrom(() => tf.ones([features])));
    this.bias = this.addVariable('bias', values?.bias ?? variableFrom(() => tf.zeros([features])));
  }

  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const { mean, variance } = tf.moments(x, -1, true);
      const normalised = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, this.eps)));
      return tf.add(tf.mul(normalised, this.weight), this.bias);
    });
  }

  override clone(): LayerNorm {
    return new LayerNorm(this.features, this.eps, {
      weight: cloneVariable(this.weight),
      bias: cloneVariable(this.bias),
    });
  }
}
