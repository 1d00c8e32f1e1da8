/**
 * ALM's classifier C_theta(z', a, z): two logits telling a real next latent (sampled from the
 * target encoder on s_{t+1}, label 1) from an imagined one (sampled from the model, label 0)
 * (Eq. 9; the authors' `Discriminator`, input order [z, a, z']). Its log-odds
 *
 *   log C / (1 - C) = logit_1 - logit_0
 *
 * estimate log e(z'|s') - log m(z'|z, a), the intrinsic reward of Eq. 8.
 *
 * Default network: Linear 512 -> LayerNorm -> tanh -> Linear 512 -> ELU -> 2. `linear: true` is
 * the Figure 16 ablation: one Linear layer from [z, a, z'] to the two logits.
 */
import { mlp, Module, tf, type Rng, type Sequential } from '@mbrl-ts/nn';

export interface ClassifierOptions {
  readonly latentSize: number;
  readonly actionSize: number;
  /** ALM Appendix D: 512 hidden units. */
  readonly hiddenSize?: number;
  /** Figure 16: a linear classifier (no hidden layers). Default false. */
  readonly linear?: boolean;
  readonly rng: Rng;
}

export class Classifier extends Module {
  readonly net: Sequential;

  constructor(
    readonly latentSize: number,
    readonly actionSize: number,
    net: Sequential,
  ) {
    super();
    this.net = this.addChild('net', net);
  }

  static create(options: ClassifierOptions): Classifier {
    const hiddenSize = options.hiddenSize ?? 512;
    const net = mlp({
      inputSize: 2 * options.latentSize + options.actionSize,
      hiddenSizes: options.linear ? [] : [hiddenSize, hiddenSize],
      outputSize: 2,
      layerNormTanhFirst: true,
      activation: 'elu',
      rng: options.rng,
    });
    return new Classifier(options.latentSize, options.actionSize, net);
  }

  /** Logits [..., 2] (index 1: "real") for z [..., latent], a [..., act], z' [..., latent]. */
  logits(latent: tf.Tensor, action: tf.Tensor, nextLatent: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.net.forward(tf.concat([latent, action, nextLatent], -1)));
  }

  /** The log-odds log C / (1 - C) = logit_1 - logit_0: shape [...]. */
  reward(latent: tf.Tensor, action: tf.Tensor, nextLatent: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const [fake, real] = tf.split(this.logits(latent, action, nextLatent), 2, -1);
      const diff = tf.sub(real, fake);
      return tf.reshape(diff, diff.shape.slice(0, -1));
    });
  }

  override clone(): Classifier {
    return new Classifier(this.latentSize, this.actionSize, this.net.clone());
  }
}
