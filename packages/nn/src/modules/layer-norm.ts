/**
 * Layer normalisation over the last axis with a learned gain (`weight`, starts at 1) and
 * `bias` (starts at 0); variance is the biased one and eps = 1e-5, as torch.nn.LayerNorm.
 * Computed by the layerNorm op (hand-written gradient; native kernels when registered).
 */
import * as tf from '@tensorflow/tfjs-core';
import { layerNorm, type LayerNormActivation } from '../ops/layer-norm';
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

  /** The normalised x, followed by `activation` ('tanh': this layer and a Tanh as one op). */
  forward(x: tf.Tensor, activation: LayerNormActivation = 'linear'): tf.Tensor {
    return layerNorm(x, this.weight, this.bias, this.eps, activation);
  }

  override clone(): LayerNorm {
    return new LayerNorm(this.features, this.eps, {
      weight: cloneVariable(this.weight),
      bias: cloneVariable(this.bias),
    });
  }
}
