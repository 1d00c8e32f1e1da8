/**
 * The identity in the forward pass with no gradient in the backward pass (torch's `.detach()`,
 * jax's `stop_gradient`): tfjs has no such op, so a custom gradient returns zeros.
 */
import { tf } from '@mbrl-ts/nn';

const detach = tf.customGrad((x: tf.Tensor | tf.GradSaveFunc) => ({
  value: tf.clone(x as tf.Tensor),
  gradFunc: (dy: tf.Tensor | tf.Tensor[]) => tf.zerosLike(dy as tf.Tensor),
}));

export function stopGradient(x: tf.Tensor): tf.Tensor {
  return detach(x);
}
