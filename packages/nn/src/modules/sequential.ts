/**
 * Layers applied in order; children are named by position ("0", "1", ...) like torch's
 * nn.Sequential. A Linear followed by an ELU runs as one dense op (Linear.forward(x, 'elu')), and a
 * LayerNorm followed by a tanh as one layerNorm op (LayerNorm.forward(x, 'tanh')): the same maths,
 * one kernel each way where the backend has the native ones.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Activation } from './activation';
import { LayerNorm } from './layer-norm';
import { Linear } from './linear';
import { Layer } from './module';

export class Sequential extends Layer {
  readonly layers: readonly Layer[];

  constructor(layers: readonly Layer[]) {
    super();
    this.layers = layers.map((layer, index) => this.addChild(String(index), layer));
  }

  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      let h = x;
      for (let i = 0; i < this.layers.length; i++) {
        const layer = this.layers[i];
        const next = this.layers[i + 1];
        if (layer instanceof Linear && next instanceof Activation && next.kind === 'elu') {
          h = layer.forward(h, 'elu');
          i++;
        } else if (layer instanceof LayerNorm && next instanceof Activation && next.kind === 'tanh') {
          h = layer.forward(h, 'tanh');
          i++;
        } else h = layer.forward(h);
      }
      return h;
    });
  }

  override clone(): Sequential {
    return new Sequential(this.layers.map((layer) => layer.clone()));
  }
}
