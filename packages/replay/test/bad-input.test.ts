import { Rng } from '@mbrl-ts/rng';
import {
  InsufficientDataError,
  NonFiniteValueError,
  ReplayArgumentError,
  ReplayError,
  TransitionShapeError,
  type Transition,
} from '../src';
import { addEpisodes, makeBuffer, transition } from './fixtures';

const good = transition(0, 0, 0, null);

describe('bad input', () => {
  it.each<[string, Partial<Record<keyof Transition, unknown>>, new (m: string) => ReplayError, RegExp]>([
    [
      'short observation',
      { observation: [1, 2] },
      TransitionShapeError,
      /observation has length 2, but this buffer was created with observationDim = 3/,
    ],
    [
      'long nextObservation',
      { nextObservation: new Float32Array(4) },
      TransitionShapeError,
      /nextObservation has length 4.*observationDim = 3/,
    ],
    [
      'wrong action length',
      { action: [1, 2, 3] },
      TransitionShapeError,
      /action has length 3, but this buffer was created with actionDim = 2/,
    ],
    [
      'missing action',
      { action: undefined },
      TransitionShapeError,
      /action must be a Float32Array, Float64Array or number\[\] of length 2/,
    ],
    ['NaN reward', { reward: Number.NaN }, NonFiniteValueError, /reward is NaN, not a finite number/],
    ['infinite reward', { reward: Number.POSITIVE_INFINITY }, NonFiniteValueError, /reward is Infinity/],
    ['string reward', { reward: '1' }, NonFiniteValueError, /reward is string/],
    [
      'NaN in observation',
      { observation: [0, Number.NaN, 0] },
      NonFiniteValueError,
      /observation\[1\] is NaN.*reset the episode/,
    ],
    [
      '-Infinity in nextObservation',
      { nextObservation: new Float64Array([0, 0, -Infinity]) },
      NonFiniteValueError,
      /nextObservation\[2\] is -Infinity/,
    ],
    [
      'NaN in action',
      { action: new Float32Array([Number.NaN, 0]) },
      NonFiniteValueError,
      /action\[0\] is NaN/,
    ],
    [
      'non-boolean terminated',
      { terminated: 0 },
      TransitionShapeError,
      /terminated must be a boolean, got number/,
    ],
    [
      'non-boolean truncated',
      { truncated: 'yes' },
      TransitionShapeError,
      /truncated must be a boolean or left out/,
    ],
  ])('rejects %s with a typed error and stores nothing', (_name, change, ErrorClass, message) => {
    const buffer = makeBuffer(4);
    const bad = { ...good, ...change } as Transition;
    expect(() => buffer.add(bad)).toThrow(ErrorClass);
    expect(() => buffer.add(bad)).toThrow(message);
    expect(buffer.size).toBe(0);
    expect(buffer.writeHead).toBe(0);
    expect(buffer.storage.observation.every((x) => x === 0)).toBe(true);
  });

  it('keeps the episode bookkeeping unchanged after a rejected step', () => {
    const buffer = makeBuffer(4);
    buffer.add(transition(0, 0, 0, null));
    expect(() => buffer.add({ ...transition(1, 0, 1, null), reward: Number.NaN })).toThrow(
      NonFiniteValueError,
    );
    buffer.add(transition(1, 0, 1, null));
    expect(Array.from(buffer.storage.episodeStep.subarray(0, 2))).toEqual([0, 1]);
  });

  it('refuses to sample from an empty buffer and says to collect warm-up steps', () => {
    const buffer = makeBuffer(4);
    expect(() => buffer.sampleTransitions(1, new Rng(1))).toThrow(InsufficientDataError);
    expect(() => buffer.sampleTransitions(1, new Rng(1))).toThrow(
      /empty replay buffer\. Add transitions first/,
    );
    expect(() => buffer.sampleSequences(1, 1, new Rng(1))).toThrow(
      /Cannot sample sequences from an empty replay buffer/,
    );
  });

  it('refuses batches larger than what is stored', () => {
    const buffer = makeBuffer(10);
    addEpisodes(buffer, [{ length: 5, end: 'open' }]);
    expect(() => buffer.sampleTransitions(6, new Rng(1))).toThrow(InsufficientDataError);
    expect(() => buffer.sampleTransitions(6, new Rng(1))).toThrow(
      /Asked for 6 transitions but the buffer holds only 5 transitions\. Collect at least 6 steps/,
    );
    expect(() => buffer.sampleSequences(2, 6, new Rng(1))).toThrow(
      /Asked for 6 sequences but the buffer holds only 5/,
    );
  });

  it.each([0, -1, 2.5, Number.NaN])('rejects batch size %p and horizon %p', (n) => {
    const buffer = makeBuffer(10);
    addEpisodes(buffer, [{ length: 5, end: 'open' }]);
    expect(() => buffer.sampleTransitions(n, new Rng(1))).toThrow(ReplayArgumentError);
    expect(() => buffer.sampleSequences(2, n, new Rng(1))).toThrow(/batchSize must be a positive integer/);
    expect(() => buffer.sampleSequences(n, 2, new Rng(1))).toThrow(
      /horizon \(sequence length K\) must be a positive integer/,
    );
  });

  it('rejects an output batch of the wrong size and says how to get a right one', () => {
    const buffer = makeBuffer(10);
    addEpisodes(buffer, [{ length: 8, end: 'open' }]);
    const out = buffer.allocateTransitionBatch(4);
    expect(() => buffer.sampleTransitions(5, new Rng(1), out)).toThrow(ReplayArgumentError);
    expect(() => buffer.sampleTransitions(5, new Rng(1), out)).toThrow(
      /has batchSize 4.*needs 5.*allocate\*Batch/,
    );
    const seq = buffer.allocateSequenceBatch(2, 4);
    expect(() => buffer.sampleSequences(3, 4, new Rng(1), seq)).toThrow(/has horizon 2, batchSize 4/);
  });
});
