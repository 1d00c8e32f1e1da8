/**
 * Checks one incoming transition before anything is written, so that a bad step never leaves a
 * half-written slot behind and the error names the field, the index and the fix.
 */
import { NonFiniteValueError, TransitionShapeError } from './errors';
import type { Transition, Vector } from './types';

function describe(value: number): string {
  return Number.isNaN(value) ? 'NaN' : String(value);
}

function checkVector(name: string, value: Vector | undefined, expectedLength: number, dimName: string): void {
  const isVector = Array.isArray(value) || value instanceof Float32Array || value instanceof Float64Array;
  if (!isVector) {
    throw new TransitionShapeError(
      `${name} must be a Float32Array, Float64Array or number[] of length ${expectedLength}, got ${value === null ? 'null' : typeof value}.`,
    );
  }
  const vector = value as Vector;
  if (vector.length !== expectedLength) {
    throw new TransitionShapeError(
      `${name} has length ${vector.length}, but this buffer was created with ${dimName} = ${expectedLength}. ` +
        `Store the environment's full ${name} vector, or create the buffer with the environment's ${dimName}.`,
    );
  }
  for (let i = 0; i < expectedLength; i++) {
    const x = vector[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      throw new NonFiniteValueError(
        `${name}[${i}] is ${typeof x === 'number' ? describe(x) : typeof x}, not a finite number. ` +
          `The step is not stored; check the environment (unstable simulation) or the policy output, and reset the episode.`,
      );
    }
  }
}

/** Throws a TransitionShapeError or NonFiniteValueError if `t` cannot be stored as it is. */
export function checkTransition(t: Transition, observationDim: number, actionDim: number): void {
  if (t === null || typeof t !== 'object') {
    throw new TransitionShapeError(
      'add() needs a transition object { observation, action, reward, nextObservation, terminated, truncated? }.',
    );
  }
  checkVector('observation', t.observation, observationDim, 'observationDim');
  checkVector('action', t.action, actionDim, 'actionDim');
  checkVector('nextObservation', t.nextObservation, observationDim, 'observationDim');
  if (typeof t.reward !== 'number' || !Number.isFinite(t.reward)) {
    throw new NonFiniteValueError(
      `reward is ${typeof t.reward === 'number' ? describe(t.reward) : typeof t.reward}, not a finite number. ` +
        'The step is not stored; check the reward computation of the environment or wrapper.',
    );
  }
  if (typeof t.terminated !== 'boolean') {
    throw new TransitionShapeError(`terminated must be a boolean, got ${typeof t.terminated}.`);
  }
  if (t.truncated !== undefined && typeof t.truncated !== 'boolean') {
    throw new TransitionShapeError(`truncated must be a boolean or left out, got ${typeof t.truncated}.`);
  }
}
