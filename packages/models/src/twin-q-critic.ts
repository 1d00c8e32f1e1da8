/**
 * Twin Q critics Q1(s, a), Q2(s, a): two independent MLPs on the concatenation [s, a], each ending
 * in one unit. SAC and TD3 both train two critics and bootstrap from the smaller target value to
 * counter overestimation (clipped double Q-learning, Fujimoto et al. 2018).
 *
 * Variables are named `q1.<layer>.weight` / `q2.<layer>.bias`, so a loss can select them and a
 * target copy (`clone()`) matches them name by name.
 */
import { Module, mlp, tf, type ActivationName, type Rng, type Sequential } from '@mbrl-ts/nn';

export interface TwinQCriticOptions {
  readonly observationSize: number;
  readonly actionSize: number;
  /** Hidden widths of each Q network. Default [256, 256] (SAC and TD3 papers). */
  readonly hiddenSizes?: readonly number[];
  /** Hidden nonlinearity. Default 'relu' (SAC and TD3 papers). */
  readonly activation?: ActivationName;
  /**
   * LayerNorm + tanh after the first Linear instead of the activation (ALM Appendix D: layer
   * normalisation on the value function). Default false (SAC, TD3).
   */
  readonly layerNormTanhFirst?: boolean;
  /** Draws the initial weights. */
  readonly rng: Rng;
}

export class TwinQCritic extends Module {
  readonly q1: Sequential;
  readonly q2: Sequential;

  constructor(
    readonly observationSize: number,
    readonly actionSize: number,
    nets: { q1: Sequential; q2: Sequential },
  ) {
    super();
    this.q1 = this.addChild('q1', nets.q1);
    this.q2 = this.addChild('q2', nets.q2);
  }

  static create(options: TwinQCriticOptions): TwinQCritic {
    const make = () =>
      mlp({
        inputSize: options.observationSize + options.actionSize,
        hiddenSizes: options.hiddenSizes ?? [256, 256],
        outputSize: 1,
        activation: options.activation ?? 'relu',
        layerNormTanhFirst: options.layerNormTanhFirst ?? false,
        rng: options.rng,
      });
    const q1 = make();
    const q2 = make();
    return new TwinQCritic(options.observationSize, options.actionSize, { q1, q2 });
  }

  /** Both critics' values for observations [B, obs] and actions [B, act]: two tensors of shape [B]. */
  forward(observation: tf.Tensor, action: tf.Tensor): [tf.Tensor, tf.Tensor] {
    return tf.tidy(() => {
      const input = tf.concat([observation, action], -1);
      return [this.squeeze(this.q1.forward(input)), this.squeeze(this.q2.forward(input))];
    }) as [tf.Tensor, tf.Tensor];
  }

  /** Q1 only (TD3's actor loss differentiates through the first critic alone): shape [B]. */
  forwardQ1(observation: tf.Tensor, action: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.squeeze(this.q1.forward(tf.concat([observation, action], -1))));
  }

  /** min(Q1, Q2), the clipped double-Q value: shape [B]. */
  minimum(observation: tf.Tensor, action: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const [q1, q2] = this.forward(observation, action);
      return tf.minimum(q1, q2);
    });
  }

  override clone(): TwinQCritic {
    return new TwinQCritic(this.observationSize, this.actionSize, {
      q1: this.q1.clone(),
      q2: this.q2.clone(),
    });
  }

  private squeeze(q: tf.Tensor): tf.Tensor {
    return tf.reshape(q, q.shape.slice(0, -1));
  }
}
