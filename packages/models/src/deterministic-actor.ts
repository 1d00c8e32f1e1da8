/**
 * TD3's policy: an MLP from observation to action with a tanh output, so actions lie in
 * [-1, 1]^|A| (Fujimoto et al. 2018); exploration and target-smoothing noise are added outside.
 * The agent rescales actions to the env's bounds.
 */
import { Module, mlp, tf, type ActivationName, type Rng, type Sequential } from '@mbrl-ts/nn';

export interface DeterministicActorOptions {
  readonly observationSize: number;
  readonly actionSize: number;
  /** Default [256, 256] (TD3 paper). */
  readonly hiddenSizes?: readonly number[];
  /** Default 'relu' (TD3 paper). */
  readonly activation?: ActivationName;
  readonly rng: Rng;
}

export class DeterministicActor extends Module {
  readonly net: Sequential;

  constructor(
    readonly observationSize: number,
    readonly actionSize: number,
    net: Sequential,
  ) {
    super();
    this.net = this.addChild('net', net);
  }

  static create(options: DeterministicActorOptions): DeterministicActor {
    const net = mlp({
      inputSize: options.observationSize,
      hiddenSizes: options.hiddenSizes ?? [256, 256],
      outputSize: options.actionSize,
      activation: options.activation ?? 'relu',
      outputActivation: 'tanh',
      rng: options.rng,
    });
    return new DeterministicActor(options.observationSize, options.actionSize, net);
  }

  /** pi(s) for observations [B, obs]: actions [B, A] in [-1, 1]. */
  forward(observation: tf.Tensor): tf.Tensor {
    return this.net.forward(observation);
  }

  override clone(): DeterministicActor {
    return new DeterministicActor(this.observationSize, this.actionSize, this.net.clone());
  }
}
