/**
 * Diagonal Gaussian over the last axis (torch's Independent(Normal(mean, std), 1)): densities,
 * entropies and KL divergences are summed over the last axis, one value per leading index.
 *
 * The distribution only references `mean` and `std`; create and use it inside tf.tidy so they
 * and every result are disposed together.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '@mbrl-ts/rng';
import { standardNormal } from './noise';

const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

export class DiagGaussian {
  constructor(
    readonly mean: tf.Tensor,
    readonly std: tf.Tensor,
  ) {
    if (mean.shape.join(',') !== std.shape.join(',')) {
      throw new RangeError(`DiagGaussian: mean shape [${mean.shape}] differs from std shape [${std.shape}]`);
    }
  }

  /** Reparameterised sample mean + std * eps, eps ~ N(0, I) from `rng`; gradients reach mean and std. */
  rsample(rng: Rng): tf.Tensor {
    return tf.tidy(() => tf.add(this.mean, tf.mul(this.std, standardNormal(this.mean.shape, rng))));
  }

  /** The most likely value (the mean). */
  mode(): tf.Tensor {
    return this.mean;
  }

  /** log N(x; mean, diag(std^2)), summed over the last axis. */
  logProb(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const z = tf.div(tf.sub(x, this.mean), this.std);
      const perDim = tf.neg(tf.add(tf.add(tf.mul(0.5, tf.square(z)), tf.log(this.std)), HALF_LOG_TWO_PI));
      return tf.sum(perDim, -1);
    });
  }

  /** Differential entropy, summed over the last axis: sum(0.5 + 0.5 log(2 pi) + log std). */
  entropy(): tf.Tensor {
    return tf.tidy(() => tf.sum(tf.add(tf.log(this.std), 0.5 + HALF_LOG_TWO_PI), -1));
  }

  /**
   * Closed-form KL(this || other), summed over the last axis:
   * log(s_q / s_p) + (s_p^2 + (m_p - m_q)^2) / (2 s_q^2) - 1/2.
   */
  klDivergence(other: DiagGaussian): tf.Tensor {
    return tf.tidy(() => {
      const varianceRatio = tf.square(tf.div(this.std, other.std));
      const meanTerm = tf.square(tf.div(tf.sub(this.mean, other.mean), other.std));
      const perDim = tf.mul(0.5, tf.sub(tf.sub(tf.add(varianceRatio, meanTerm), 1), tf.log(varianceRatio)));
      return tf.sum(perDim, -1);
    });
  }
}
