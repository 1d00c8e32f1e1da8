/** Parameter-free element-wise nonlinearities as layers, so a Sequential reads like the paper's nets. */
import * as tf from '@tensorflow/tfjs-core';
import { Layer } from './module';

export type ActivationName = 'elu' | 'relu' | 'tanh';

export class Activation extends Layer {
  constructor(readonly kind: ActivationName) {
    super();
  }

  forward(x: tf.Tensor): tf.Tensor {
    switch (this.kind) {
      case 'elu':
        return tf.elu(x);
      case 'relu':
        return tf.relu(x);
      case 'tanh':
        return tf.tanh(x);
    }
  }

  override clone(): Activation {
    return new Activation(this.kind);
  }
}
