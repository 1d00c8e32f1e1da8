/**
 * ALM's reward model r_theta(z, a): [z, a] -> Linear 512 -> LayerNorm -> tanh -> Linear 512 -> ELU
 * -> one unit (ALM Appendix D: layer normalisation on the value function and rewards; the
 * authors' `RewardPrior`). Trained on real transitions only (Eq. 11).
 */
import { mlp, Module, tf, type Rng, type Sequential } from '@mbrl-ts/nn';

export interface RewardModelOptions {
  readonly latentSize: number;
  readonly actionSize: number;
  /** ALM Appendix D: 512 hidden units. */
  readonly hiddenSize?: number;
  readonly rng: Rng;
}

export class RewardModel extends Module {
  readonly net: Sequential;

  constructor(
    readonly latentSize: number,
    readonly actionSize: number,
    net: Sequential,
  ) {
    super();
    this.net = this.addChild('net', net);
  }

  static create(options: RewardModelOptions): RewardModel {
    const hiddenSize = options.hiddenSize ?? 512;
    const net = mlp({
      inputSize: options.latentSize + options.actionSize,
      hiddenSizes: [hiddenSize, hiddenSize],
      outputSize: 1,
      layerNormTanhFirst: true,
      activation: 'elu',
      rng: options.rng,
    });
    return new RewardModel(options.latentSize, options.actionSize, net);
  }

  /** r(z, a) for latents [..., latent] and actions [..., act]: shape [...]. */
  forward(latent: tf.Tensor, action: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const out = this.net.forward(tf.concat([latent, action], -1));
      return tf.reshape(out, out.shape.slice(0, -1));
    });
  }

  override clone(): RewardModel {
    return new RewardModel(this.latentSize, this.actionSize, this.net.clone());
  }
}
