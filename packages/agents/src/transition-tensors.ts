/** A sampled replay batch as tensors for the objectives, actions mapped to [-1, 1]. */
import { tf } from '@mbrl-ts/nn';
import type { TransitionTensors } from '@mbrl-ts/objectives';
import type { TransitionBatch } from '@mbrl-ts/replay';
import type { ActionScaling } from './action-scaling';

export function transitionTensors(batch: TransitionBatch, scaling: ActionScaling): TransitionTensors {
  const unitActions = scaling.toUnitInPlace(Float32Array.from(batch.action));
  return {
    observation: tf.tensor2d(batch.observation, [batch.batchSize, batch.observationDim]),
    action: tf.tensor2d(unitActions, [batch.batchSize, batch.actionDim]),
    reward: tf.tensor1d(batch.reward),
    nextObservation: tf.tensor2d(batch.nextObservation, [batch.batchSize, batch.observationDim]),
    terminated: tf.tensor1d(batch.terminated),
  };
}

export function disposeTransitionTensors(tensors: TransitionTensors): void {
  tf.dispose([
    tensors.observation,
    tensors.action,
    tensors.reward,
    tensors.nextObservation,
    tensors.terminated,
  ]);
}
