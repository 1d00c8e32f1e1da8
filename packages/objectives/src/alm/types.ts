/**
 * The structural shapes of ALM's networks as its objectives use them, so the @mbrl-ts/models
 * classes (or a tiny hand-built network in a test) fit. Latents are [..., latent], actions
 * [..., act] in [-1, 1]; leading axes may be [B] or time-major [K, B].
 */
import type { DiagGaussian, Rng, tf } from '@mbrl-ts/nn';

/** e(z | s): the encoder (or the target encoder). */
export interface LatentEncoder {
  distribution(observation: tf.Tensor): DiagGaussian;
}

/** m(z' | z, a): the latent-space model. */
export interface LatentDynamics {
  distribution(latent: tf.Tensor, action: tf.Tensor): DiagGaussian;
}

/** r(z, a): shape [...]. */
export interface LatentReward {
  forward(latent: tf.Tensor, action: tf.Tensor): tf.Tensor;
}

/** C(z', a, z): logits [..., 2] (index 1 = real) and the log-odds logit_1 - logit_0 [...]. */
export interface LatentClassifier {
  logits(latent: tf.Tensor, action: tf.Tensor, nextLatent: tf.Tensor): tf.Tensor;
  reward(latent: tf.Tensor, action: tf.Tensor, nextLatent: tf.Tensor): tf.Tensor;
}

/** A policy distribution over actions: samples (noise optionally clipped) and log-densities. */
export interface ActionDistribution {
  sample(rng: Rng, clip?: number): tf.Tensor;
  logProb(action: tf.Tensor): tf.Tensor;
}

/** pi(a | z) with the exploration std of the schedule (or its own, ALM-ENT). */
export interface LatentPolicy {
  distribution(latent: tf.Tensor, std: number): ActionDistribution;
}

/** How the policy's noise is drawn inside the losses (Table 3: clip 0.3; std from the schedule). */
export interface PolicyNoise {
  /** Current exploration std (linear 1.0 -> 0.1 over 100k steps). */
  readonly std: number;
  /** Noise clip in the losses. Table 3: 0.3. */
  readonly clip: number;
  readonly rng: Rng;
}
