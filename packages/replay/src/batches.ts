/**
 * Allocation and checking of the reusable output batches. A training loop allocates one batch per
 * shape once and passes it to every `sample*` call, so sampling allocates nothing.
 */
import { ReplayArgumentError } from './errors';
import type { SequenceBatch, TransitionBatch } from './types';

function checkCount(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new ReplayArgumentError(`${name} must be a positive integer, got ${value}.`);
  }
}

/** A zeroed TransitionBatch for `batchSize` rows. */
export function allocateTransitionBatch(
  batchSize: number,
  observationDim: number,
  actionDim: number,
): TransitionBatch {
  checkCount('batchSize', batchSize);
  return {
    batchSize,
    observationDim,
    actionDim,
    observation: new Float32Array(batchSize * observationDim),
    action: new Float32Array(batchSize * actionDim),
    reward: new Float32Array(batchSize),
    nextObservation: new Float32Array(batchSize * observationDim),
    terminated: new Float32Array(batchSize),
    indices: new Int32Array(batchSize),
    shapes: {
      observation: [batchSize, observationDim],
      action: [batchSize, actionDim],
      reward: [batchSize],
      nextObservation: [batchSize, observationDim],
      terminated: [batchSize],
    },
  };
}

/** A zeroed SequenceBatch for `batchSize` sequences of `horizon` transitions. */
export function allocateSequenceBatch(
  horizon: number,
  batchSize: number,
  observationDim: number,
  actionDim: number,
): SequenceBatch {
  checkCount('horizon', horizon);
  checkCount('batchSize', batchSize);
  return {
    horizon,
    batchSize,
    observationDim,
    actionDim,
    observation: new Float32Array((horizon + 1) * batchSize * observationDim),
    action: new Float32Array(horizon * batchSize * actionDim),
    reward: new Float32Array(horizon * batchSize),
    terminated: new Float32Array(horizon * batchSize),
    starts: new Int32Array(batchSize),
    shapes: {
      observation: [horizon + 1, batchSize, observationDim],
      action: [horizon, batchSize, actionDim],
      reward: [horizon, batchSize],
      terminated: [horizon, batchSize],
    },
  };
}

function mismatch(what: string, got: string, want: string): never {
  throw new ReplayArgumentError(
    `The output batch passed to ${what} has ${got}, but this call needs ${want}. ` +
      'Allocate it with the same sizes (buffer.allocate*Batch) or leave it out to get a fresh one.',
  );
}

/** Throws unless `out` was allocated for exactly these sizes. */
export function checkTransitionBatch(
  out: TransitionBatch,
  batchSize: number,
  observationDim: number,
  actionDim: number,
): void {
  if (out.batchSize !== batchSize || out.observationDim !== observationDim || out.actionDim !== actionDim) {
    mismatch(
      'sampleTransitions',
      `batchSize ${out.batchSize}, observationDim ${out.observationDim}, actionDim ${out.actionDim}`,
      `${batchSize}, ${observationDim}, ${actionDim}`,
    );
  }
}

/** Throws unless `out` was allocated for exactly these sizes. */
export function checkSequenceBatch(
  out: SequenceBatch,
  horizon: number,
  batchSize: number,
  observationDim: number,
  actionDim: number,
): void {
  if (
    out.horizon !== horizon ||
    out.batchSize !== batchSize ||
    out.observationDim !== observationDim ||
    out.actionDim !== actionDim
  ) {
    mismatch(
      'sampleSequences',
      `horizon ${out.horizon}, batchSize ${out.batchSize}, observationDim ${out.observationDim}, actionDim ${out.actionDim}`,
      `${horizon}, ${batchSize}, ${observationDim}, ${actionDim}`,
    );
  }
}
