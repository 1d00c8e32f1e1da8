/**
 * Standard normal noise drawn from the seeded Rng, so sampling is reproducible on every backend.
 * The ziggurat method (Rng.fillNormalZiggurat): float32 noise at a few nanoseconds a draw, which
 * matters where an update samples hundreds of thousands of them.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '@mbrl-ts/rng';

export function standardNormal(shape: readonly number[], rng: Rng): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(rng.fillNormalZiggurat(new Float32Array(size)), [...shape], 'float32');
}
