/**
 * ALM Eq. 9, the classifier's cross-entropy, on real transitions: for (z_t, a_t), half of the
 * batch (rows chosen at random, without replacement) shows the real next latent
 * z_{t+1} ~ e_target(. | s_{t+1}) with label 1, the other half the imagined one
 * z^_{t+1} ~ m(. | z_t, a_t) with label 0 (the authors' `_intrinsic_reward_loss`):
 *
 *   loss = mean_B - log softmax(C(z_t, a_t, z'))[label]
 *
 * Trains the classifier only (Table 4); every input is a constant.
 */
import { tf, type Rng } from '@mbrl-ts/nn';
import type { ObjectiveResult } from '../types';
import type { LatentClassifier } from './types';

/** A [B] mask with floor(B / 2) zeros (imagined rows) at random positions and ones elsewhere. */
export function halfRealMask(batchSize: number, rng: Rng): Float32Array {
  const order = Int32Array.from({ length: batchSize }, (_, i) => i);
  const fake = Math.floor(batchSize / 2);
  for (let i = 0; i < fake; i++) {
    const j = i + rng.int(batchSize - i);
    const swap = order[i];
    order[i] = order[j];
    order[j] = swap;
  }
  const mask = new Float32Array(batchSize).fill(1);
  for (let i = 0; i < fake; i++) mask[order[i]] = 0;
  return mask;
}

export interface AlmClassifierInputs {
  readonly classifier: LatentClassifier;
  /** z_t: [B, latent]. */
  readonly latent: tf.Tensor;
  /** a_t: [B, act]. */
  readonly action: tf.Tensor;
  /** z_{t+1} from the target encoder on s_{t+1}: [B, latent]. */
  readonly realNext: tf.Tensor;
  /** z^_{t+1} from the model: [B, latent]. */
  readonly imaginedNext: tf.Tensor;
  /** [B]: 1 shows the real next latent (label 1), 0 the imagined one (label 0). */
  readonly realMask: tf.Tensor;
}

export function almClassifierLoss(inputs: AlmClassifierInputs): ObjectiveResult {
  const { classifier, latent, action, realNext, imaginedNext, realMask } = inputs;
  const mask = tf.expandDims(realMask, -1);
  const shown = tf.add(tf.mul(mask, realNext), tf.mul(tf.sub(1, mask), imaginedNext));
  const logProbs = tf.logSoftmax(classifier.logits(latent, action, shown)); // [B, 2]
  const [logFake, logReal] = tf.unstack(logProbs, -1);
  const picked = tf.add(tf.mul(realMask, logReal), tf.mul(tf.sub(1, realMask), logFake));
  const loss = tf.neg(tf.mean(picked)) as tf.Scalar;
  const correct = tf.equal(tf.cast(tf.greater(logReal, logFake), 'float32'), realMask);
  return {
    loss,
    metrics: {
      classifier_loss: loss,
      classifier_accuracy: tf.mean(tf.cast(correct, 'float32')) as tf.Scalar,
    },
  };
}
