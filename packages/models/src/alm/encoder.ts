/**
 * ALM's encoder e_phi(z | s): observation -> 512 -> 512 -> a diagonal Gaussian over the latent
 * (50 dimensions), ELU between layers (ALM Appendix D; the authors' `Encoder`). The Gaussian head
 * is nn's `boundedGaussian`: mean 30 tanh(m / 30), std soft-clamped into [0.1, 10].
 *
 * The same class serves as the target encoder e_phi_target (a `clone()` moved by Polyak averaging).
 */
import { boundedGaussian, mlp, Module, tf, type DiagGaussian, type Rng, type Sequential } from '@mbrl-ts/nn';

export interface EncoderOptions {
  readonly observationSize: number;
  /** ALM Table 3: latent dimension 50. */
  readonly latentSize?: number;
  /** ALM Appendix D: 512 hidden units. */
  readonly hiddenSize?: number;
  readonly rng: Rng;
}

export class Encoder extends Module {
  readonly net: Sequential;

  constructor(
    readonly observationSize: number,
    readonly latentSize: number,
    net: Sequential,
  ) {
    super();
    this.net = this.addChild('net', net);
  }

  static create(options: EncoderOptions): Encoder {
    const latentSize = options.latentSize ?? 50;
    const hiddenSize = options.hiddenSize ?? 512;
    const net = mlp({
      inputSize: options.observationSize,
      hiddenSizes: [hiddenSize, hiddenSize],
      outputSize: 2 * latentSize,
      activation: 'elu',
      rng: options.rng,
    });
    return new Encoder(options.observationSize, latentSize, net);
  }

  /** e(z | s) for observations [..., obs]: a Gaussian over [..., latent]. Use inside tf.tidy. */
  distribution(observation: tf.Tensor): DiagGaussian {
    return boundedGaussian(this.net.forward(observation));
  }

  override clone(): Encoder {
    return new Encoder(this.observationSize, this.latentSize, this.net.clone());
  }
}
