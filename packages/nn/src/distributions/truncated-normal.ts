/**
 * The exploration head of the paper's deterministic actor (DrQ-v2 style): a sample is the
 * deterministic mean action plus N(0, std^2) noise clipped to +-clip, then clamped into the action
 * bounds (shrunk by eps) with a straight-through gradient: the forward value is clamped, the
 * backward pass treats the clamp as the identity so the actor still learns at the bounds.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '@mbrl-ts/rng';
import { DiagGaussian } from './diag-gaussian';
import { standardNormal } from './noise';

export interface TruncatedNormalOptions {
  /** Lower action bound. Default -1. */
  low?: number;
  /** Upper action bound. Default 1. */
  high?: number;
  /** Samples stay in [low + eps, high - eps]. Default 1e-6. */
  eps?: number;
}

/** Clamp into [low, high] in the forward pass; pass the gradient through unchanged. */
export function straightThroughClamp(x: tf.Tensor, low: number, high: number): tf.Tensor {
  const clamp = tf.customGrad((input: tf.Tensor | tf.GradSaveFunc) => ({
    value: tf.clipByValue(input as tf.Tensor, low, high),
    gradFunc: (dy: tf.Tensor) => dy,
  }));
  return clamp(x);
}

export class TruncatedNormal {
  readonly low: number;
  readonly high: number;
  readonly eps: number;

  constructor(
    readonly mean: tf.Tensor,
    readonly std: tf.Tensor | number,
    options: TruncatedNormalOptions = {},
  ) {
    this.low = options.low ?? -1;
    this.high = options.high ?? 1;
    this.eps = options.eps ?? 1e-6;
  }

  /** mean + clip(std * noise, -clip, +clip), straight-through clamped to the bounds; noise from `rng`. */
  sample(rng: Rng, clip?: number): tf.Tensor {
    return tf.tidy(() => {
      let noise = tf.mul(this.std, standardNormal(this.mean.shape, rng));
      if (clip !== undefined) noise = tf.clipByValue(noise, -clip, clip);
      return straightThroughClamp(tf.add(this.mean, noise), this.low + this.eps, this.high - this.eps);
    });
  }

  /** The deterministic action (the mean), clamped into the bounds. */
  mode(): tf.Tensor {
    return tf.tidy(() => tf.clipByValue(this.mean, this.low + this.eps, this.high - this.eps));
  }

  /** Log-density of the untruncated Gaussian, summed over the last axis (as the reference code uses it). */
  logProb(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => new DiagGaussian(this.mean, tf.broadcastTo(this.std, this.mean.shape)).logProb(x));
  }
}
