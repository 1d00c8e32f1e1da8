/** Standard normal noise drawn from the seeded Rng, so sampling is reproducible on every backend. */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '@mbrl-ts/rng';

export function standardNormal(shape: readonly number[], rng: Rng): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(rng.fillNormal(new Float32Array(size)), [...shape], 'float32');
}
