/**
 * MnM's learned dynamics q_theta(s' | s, a) in observation space: [s, a] -> hidden -> hidden -> a
 * diagonal Gaussian over the next observation, ELU between layers. The network predicts the change
 * of the observation, so the mean is s + delta (the usual parameterisation of observation-space
 * models, e.g. MBPO's); the std is soft-clamped into [minStd, maxStd] with nn's `softClampStd`.
 *
 * Its `distribution(observation, action)` has the shape of ALM's latent model, so ALM's rollout and
 * policy objective run on it unchanged with the observation as the "latent" (ALM Appendix F: MnM is
 * ALM with an identity encoder).
 */
import { DiagGaussian, mlp, Module, softClampStd, tf, type Rng, type Sequential } from '@mbrl-ts/nn';

export interface DynamicsModelOptions {
  readonly observationSize: number;
  readonly actionSize: number;
  /** Hidden units of each of the two hidden layers. Default 1024 (ALM Appendix D's model width). */
  readonly hiddenSize?: number;
  /** Smallest std of a predicted coordinate. Default 0.01. */
  readonly minStd?: number;
  /** Largest std of a predicted coordinate. Default 1. */
  readonly maxStd?: number;
  readonly rng: Rng;
}

export class DynamicsModel extends Module {
  readonly net: Sequential;

  constructor(
    readonly observationSize: number,
    readonly actionSize: number,
    readonly minStd: number,
    readonly maxStd: number,
    net: Sequential,
  ) {
    super();
    if (!(minStd > 0) || !(maxStd > minStd)) {
      throw new RangeError(`DynamicsModel: need 0 < minStd < maxStd, got minStd ${minStd}, maxStd ${maxStd}`);
    }
    this.net = this.addChild('net', net);
  }

  static create(options: DynamicsModelOptions): DynamicsModel {
    const hiddenSize = options.hiddenSize ?? 1024;
    const net = mlp({
      inputSize: options.observationSize + options.actionSize,
      hiddenSizes: [hiddenSize, hiddenSize],
      outputSize: 2 * options.observationSize,
      activation: 'elu',
      rng: options.rng,
    });
    return new DynamicsModel(
      options.observationSize,
      options.actionSize,
      options.minStd ?? 0.01,
      options.maxStd ?? 1,
      net,
    );
  }

  /** q(s' | s, a) for observations [..., obs] and actions [..., act]. Use inside tf.tidy. */
  distribution(observation: tf.Tensor, action: tf.Tensor): DiagGaussian {
    const [delta, rawStd] = tf.split(this.net.forward(tf.concat([observation, action], -1)), 2, -1);
    return new DiagGaussian(tf.add(observation, delta), softClampStd(rawStd, this.minStd, this.maxStd));
  }

  override clone(): DynamicsModel {
    return new DynamicsModel(
      this.observationSize,
      this.actionSize,
      this.minStd,
      this.maxStd,
      this.net.clone(),
    );
  }
}
