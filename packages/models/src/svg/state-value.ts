/**
 * A state-value network V(s): observation -> hidden ReLU layers -> one unit. SVG(1) (Heess et
 * al. 2015) learns V rather than Q: its policy gradient goes through the model's next state,
 * r(s, a) + gamma V(f(s, a)), so the value only needs the state.
 */
import { mlp, Module, tf, type Rng, type Sequential } from '@mbrl-ts/nn';

export interface StateValueOptions {
  readonly observationSize: number;
  /** Default [256, 256]. */
  readonly hiddenSizes?: readonly number[];
  readonly rng: Rng;
}

export class StateValue extends Module {
  readonly net: Sequential;

  constructor(
    readonly observationSize: number,
    net: Sequential,
  ) {
    super();
    this.net = this.addChild('net', net);
  }

  static create(options: StateValueOptions): StateValue {
    const net = mlp({
      inputSize: options.observationSize,
      hiddenSizes: options.hiddenSizes ?? [256, 256],
      outputSize: 1,
      activation: 'relu',
      rng: options.rng,
    });
    return new StateValue(options.observationSize, net);
  }

  /** V(s) for observations [..., obs]: shape [...]. */
  forward(observation: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const out = this.net.forward(observation);
      return tf.reshape(out, out.shape.slice(0, -1));
    });
  }

  override clone(): StateValue {
    return new StateValue(this.observationSize, this.net.clone());
  }
}
