/**
 * ALM's latent-space model m_phi(z' | z, a): [z, a] -> 1024 -> 1024 -> a diagonal Gaussian over
 * the next latent, ELU between layers, the same bounded Gaussian head as the encoder (ALM
 * Appendix D: "all with 512 hidden units except the model which has 1024"; the authors'
 * `ModelPrior`).
 */
import { boundedGaussian, mlp, Module, tf, type DiagGaussian, type Rng, type Sequential } from '@mbrl-ts/nn';

export interface LatentModelOptions {
  readonly latentSize: number;
  readonly actionSize: number;
  /** ALM Appendix D: 1024 hidden units. */
  readonly hiddenSize?: number;
  readonly rng: Rng;
}

export class LatentModel extends Module {
  readonly net: Sequential;

  constructor(
    readonly latentSize: number,
    readonly actionSize: number,
    net: Sequential,
  ) {
    super();
    this.net = this.addChild('net', net);
  }

  static create(options: LatentModelOptions): LatentModel {
    const hiddenSize = options.hiddenSize ?? 1024;
    const net = mlp({
      inputSize: options.latentSize + options.actionSize,
      hiddenSizes: [hiddenSize, hiddenSize],
      outputSize: 2 * options.latentSize,
      activation: 'elu',
      rng: options.rng,
    });
    return new LatentModel(options.latentSize, options.actionSize, net);
  }

  /** m(z' | z, a) for latents [..., latent] and actions [..., act]. Use inside tf.tidy. */
  distribution(latent: tf.Tensor, action: tf.Tensor): DiagGaussian {
    return boundedGaussian(this.net.forward(tf.concat([latent, action], -1)));
  }

  override clone(): LatentModel {
    return new LatentModel(this.latentSize, this.actionSize, this.net.clone());
  }
}
