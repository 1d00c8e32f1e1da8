/**
 * An MLP from (observation, action) to one number per row: SAC-SVG's learned reward r(x, u) and
 * done logit d(x, u) (the authors' `rew` and `done` nets: [x, u] -> 512 -> 512 -> 1, ReLU).
 * The same shape serves both; what the number means is the loss's business.
 */
import { mlp, Module, tf, type Rng, type Sequential } from '@mbrl-ts/nn';

export interface StateActionHeadOptions {
  readonly observationSize: number;
  readonly actionSize: number;
  /** SAC-SVG config: rew_hidden_dim / done_hidden_dim 512. */
  readonly hiddenSize?: number;
  /** SAC-SVG config: rew_hidden_depth / done_hidden_depth 2. */
  readonly hiddenLayers?: number;
  readonly rng: Rng;
}

export class StateActionHead extends Module {
  readonly net: Sequential;

  constructor(
    readonly observationSize: number,
    readonly actionSize: number,
    net: Sequential,
  ) {
    super();
    this.net = this.addChild('net', net);
  }

  static create(options: StateActionHeadOptions): StateActionHead {
    const size = options.hiddenSize ?? 512;
    const net = mlp({
      inputSize: options.observationSize + options.actionSize,
      hiddenSizes: Array.from({ length: options.hiddenLayers ?? 2 }, () => size),
      outputSize: 1,
      activation: 'relu',
      rng: options.rng,
    });
    return new StateActionHead(options.observationSize, options.actionSize, net);
  }

  /** The head's value for observations [..., obs] and actions [..., act]: shape [...]. */
  forward(observation: tf.Tensor, action: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const out = this.net.forward(tf.concat([observation, action], -1));
      return tf.reshape(out, out.shape.slice(0, -1));
    });
  }

  override clone(): StateActionHead {
    return new StateActionHead(this.observationSize, this.actionSize, this.net.clone());
  }
}
