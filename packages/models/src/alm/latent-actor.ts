/**
 * ALM's policy pi_phi(a | z): latent -> 512 -> 512 -> tanh mean, ELU between layers, with a
 * truncated-normal exploration head (DrQ-v2 style, the authors' `Actor`): a sample is the mean
 * plus N(0, std^2) noise, optionally clipped (Table 3: 0.3 in the losses, none when acting),
 * clamped into [-1, 1] with a straight-through gradient. The std is given by the caller (Table 3:
 * linear 1.0 -> 0.1 over 100k steps).
 *
 * `learnedStd: true` (the ALM-ENT ablation, Table 5; the authors' `StochasticActor`) makes the
 * network also output a std, soft-clamped into [e^-5, e^2] (two softplus steps, as the encoder's
 * head; the upper end overshoots by at most e^-5), used instead of the schedule.
 */
import { mlp, Module, softClampStd, tf, TruncatedNormal, type Rng, type Sequential } from '@mbrl-ts/nn';

export interface LatentActorOptions {
  readonly latentSize: number;
  readonly actionSize: number;
  /** ALM Appendix D: 512 hidden units. */
  readonly hiddenSize?: number;
  /** ALM-ENT: the policy learns its std. Default false. */
  readonly learnedStd?: boolean;
  readonly rng: Rng;
}

const MIN_STD = Math.exp(-5);
const MAX_STD = Math.exp(2);

export class LatentActor extends Module {
  readonly net: Sequential;

  constructor(
    readonly latentSize: number,
    readonly actionSize: number,
    readonly learnedStd: boolean,
    net: Sequential,
  ) {
    super();
    this.net = this.addChild('net', net);
  }

  static create(options: LatentActorOptions): LatentActor {
    const hiddenSize = options.hiddenSize ?? 512;
    const learnedStd = options.learnedStd ?? false;
    const net = mlp({
      inputSize: options.latentSize,
      hiddenSizes: [hiddenSize, hiddenSize],
      outputSize: (learnedStd ? 2 : 1) * options.actionSize,
      activation: 'elu',
      rng: options.rng,
    });
    return new LatentActor(options.latentSize, options.actionSize, learnedStd, net);
  }

  /** The deterministic action tanh(mean) for latents [..., latent]: [..., act] in [-1, 1]. */
  forward(latent: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const out = this.net.forward(latent);
      if (!this.learnedStd) return tf.tanh(out);
      const [mean] = tf.split(out, 2, -1);
      return tf.tanh(mean);
    });
  }

  /**
   * pi(. | z) as a truncated normal around tanh(mean): the std is `std` (the schedule) or, with a
   * learned std, the network's own. Use inside tf.tidy.
   */
  distribution(latent: tf.Tensor, std: number): TruncatedNormal {
    const out = this.net.forward(latent);
    if (!this.learnedStd) return new TruncatedNormal(tf.tanh(out), std);
    const [mean, rawStd] = tf.split(out, 2, -1);
    return new TruncatedNormal(tf.tanh(mean), softClampStd(rawStd, MIN_STD, MAX_STD));
  }

  override clone(): LatentActor {
    return new LatentActor(this.latentSize, this.actionSize, this.learnedStd, this.net.clone());
  }
}
