/** Layers applied in order; children are named by position ("0", "1", ...) like torch's nn.Sequential. */
import * as tf from '@tensorflow/tfjs';
import { Layer } from './module';

export class Sequential extends Layer {
  readonly layers: readonly Layer[];

  constructor(layers: readonly Layer[]) {
    super();
    this.layers = layers.map((layer, index) => this.addChild(String(index), layer));
  }

  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.layers.reduce((h, layer) => layer.forward(h), x));
  }

  override clone(): Sequential {
    return new Sequential(this.layers.map((layer) => layer.clone()));
  }
}
