/** The structural shapes the SVG objectives consume (the @mbrl-ts/models classes fit them). */
import type { tf } from '@mbrl-ts/nn';

/** A recurrent observation-space model: x_{t+1} from x_t, u_t and its recurrent state. */
export interface RecurrentDynamics {
  initialState(batchSize: number): tf.Tensor[];
  step(
    observation: tf.Tensor,
    action: tf.Tensor,
    state: readonly tf.Tensor[],
  ): { nextObservation: tf.Tensor; state: tf.Tensor[] };
  unroll(firstObservation: tf.Tensor, actions: tf.Tensor, feedBack?: (x: tf.Tensor) => tf.Tensor): tf.Tensor;
}

/** A learned function of (observation, action), one number per row: reward or done logit. */
export interface StateActionFunction {
  forward(observation: tf.Tensor, action: tf.Tensor): tf.Tensor;
}

/** A state-value function V(s), one number per row. */
export interface StateValueFunction {
  forward(observation: tf.Tensor): tf.Tensor;
}
