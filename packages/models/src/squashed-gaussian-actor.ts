/**
 * SAC's policy: a diagonal Gaussian over pre-squash actions u whose sample is squashed by tanh into
 * (-1, 1)^|A| (Haarnoja et al. 2018, Appendix C "Enforcing action bounds"). The network maps an
 * observation to 2|A| numbers, the mean and log std of u; log std is clipped to [-20, 2].
 *
 * With a = tanh(u) the change of variables gives
 *   log pi(a|s) = log N(u; mean, std) - sum_i log(1 - tanh(u_i)^2),
 * and log(1 - tanh(u)^2) = 2 (log 2 - u - softplus(-2u)) is used because it stays finite where
 * tanh(u) rounds to +-1 (no epsilon needed).
 *
 * Actions live in [-1, 1]; the agent rescales them to the env's bounds.
 */
import { DiagGaussian, Module, mlp, tf, type ActivationName, type Rng, type Sequential } from '@mbrl-ts/nn';

export const LOG_STD_MIN = -20;
export const LOG_STD_MAX = 2;
const LOG_TWO = Math.log(2);

export interface SquashedGaussianActorOptions {
  readonly observationSize: number;
  readonly actionSize: number;
  /** Default [256, 256] (SAC paper). */
  readonly hiddenSizes?: readonly number[];
  /** Default 'relu' (SAC paper). */
  readonly activation?: ActivationName;
  /**
   * Squash the raw log std smoothly into [min, max] with tanh (min + (max - min)(tanh(raw) + 1)/2),
   * as the SAC-SVG authors' actor does with [-5, 2]. Default: clip to [LOG_STD_MIN, LOG_STD_MAX].
   */
  readonly logStdTanhBounds?: readonly [number, number];
  readonly rng: Rng;
}

/** A reparameterised sample: the squashed action [B, A] and its log-density [B]. */
export interface SquashedSample {
  readonly action: tf.Tensor;
  readonly logProb: tf.Tensor;
}

/** log(1 - tanh(u)^2), element-wise, in a form that is finite for every u. */
export function logOneMinusTanhSquared(u: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mul(2, tf.sub(tf.sub(LOG_TWO, u), tf.softplus(tf.mul(-2, u)))));
}

export class SquashedGaussianActor extends Module {
  readonly net: Sequential;

  constructor(
    readonly observationSize: number,
    readonly actionSize: number,
    net: Sequential,
    readonly logStdTanhBounds?: readonly [number, number],
  ) {
    super();
    this.net = this.addChild('net', net);
    if (logStdTanhBounds !== undefined && !(logStdTanhBounds[0] < logStdTanhBounds[1])) {
      throw new RangeError(
        `SquashedGaussianActor: logStdTanhBounds must be [min, max] with min < max, got [${logStdTanhBounds.join(', ')}]`,
      );
    }
  }

  static create(options: SquashedGaussianActorOptions): SquashedGaussianActor {
    const net = mlp({
      inputSize: options.observationSize,
      hiddenSizes: options.hiddenSizes ?? [256, 256],
      outputSize: 2 * options.actionSize,
      activation: options.activation ?? 'relu',
      rng: options.rng,
    });
    return new SquashedGaussianActor(
      options.observationSize,
      options.actionSize,
      net,
      options.logStdTanhBounds,
    );
  }

  /** The Gaussian over pre-squash actions u for observations [B, obs]. Use inside tf.tidy. */
  distribution(observation: tf.Tensor): DiagGaussian {
    const [mean, rawLogStd] = tf.split(this.net.forward(observation), 2, -1);
    const bounds = this.logStdTanhBounds;
    const logStd =
      bounds === undefined
        ? tf.clipByValue(rawLogStd, LOG_STD_MIN, LOG_STD_MAX)
        : tf.add(bounds[0], tf.mul(0.5 * (bounds[1] - bounds[0]), tf.add(tf.tanh(rawLogStd), 1)));
    const std = tf.exp(logStd);
    return new DiagGaussian(mean, std);
  }

  /** a = tanh(mean + std * eps), eps ~ N(0, I) from `rng`, with log pi(a|s); gradients reach the net. */
  sample(observation: tf.Tensor, rng: Rng): SquashedSample {
    return tf.tidy(() => {
      const gaussian = this.distribution(observation);
      const u = gaussian.rsample(rng);
      const logProb = tf.sub(gaussian.logProb(u), tf.sum(logOneMinusTanhSquared(u), -1));
      return { action: tf.tanh(u), logProb };
    });
  }

  /** The deterministic action tanh(mean) used for evaluation: [B, A]. */
  mode(observation: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.tanh(this.distribution(observation).mean));
  }

  /**
   * The action in [-1, 1] for one observation, as an environment step needs it: tanh(mean) when
   * `deterministic` (evaluation), else a sample drawn with `rng`. Leaves no tensor behind.
   */
  act(observation: ArrayLike<number>, rng: Rng, deterministic: boolean): Float32Array {
    const action = tf.tidy(() => {
      const batch = tf.tensor2d(Float32Array.from(observation), [1, this.observationSize]);
      return deterministic ? this.mode(batch) : this.sample(batch, rng).action;
    });
    const values = action.dataSync() as Float32Array;
    action.dispose();
    return values;
  }

  override clone(): SquashedGaussianActor {
    return new SquashedGaussianActor(
      this.observationSize,
      this.actionSize,
      this.net.clone(),
      this.logStdTanhBounds,
    );
  }
}
