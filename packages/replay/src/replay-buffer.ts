/**
 * The ring buffer of transitions (s, a, r, s', terminated, truncated) in preallocated Float32
 * typed arrays, one flat array per field, one row per slot.
 *
 * Filled slots are always [0, size): before the buffer is full the write head equals `size`;
 * after that the head points at the oldest transition, which the next `add` overwrites.
 *
 * Episode boundaries for the sequence sampler are kept in O(1) per transition: each slot stores
 * `episodeStep`, the number of transitions of the same episode added right before it (0 for the
 * first transition of an episode). K consecutive transitions starting at slot s lie in one
 * episode exactly when episodeStep[s + K - 1] - episodeStep[s] === K - 1, because the counter
 * restarts at 0 after every episode end (terminated, truncated, or endEpisode()).
 */
import type { Rng } from '@mbrl-ts/rng';
import { allocateSequenceBatch, allocateTransitionBatch } from './batches';
import { ReplayConfigError } from './errors';
import { sampleSequences } from './sample-sequences';
import { sampleTransitions } from './sample-transitions';
import { checkTransition } from './transition-input';
import type {
  ReplayConfig,
  ReplayCursor,
  ReplayStorage,
  ReplayView,
  SequenceBatch,
  Transition,
  TransitionBatch,
  Vector,
} from './types';

export type { ReplayCursor, ReplayStorage } from './types';

function checkDimension(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new ReplayConfigError(`${name} must be a positive integer, got ${value}.`);
  }
}

function allocate<T>(name: string, bytes: number, make: () => T): T {
  try {
    return make();
  } catch (cause) {
    throw new ReplayConfigError(
      `Could not allocate ${name} (${(bytes / 2 ** 20).toFixed(0)} MiB): ${(cause as Error).message}. ` +
        'Lower the capacity, or give Node more memory (NODE_OPTIONS=--max-old-space-size is not needed for typed arrays, free system RAM is).',
    );
  }
}

/** Copies an already checked vector into a row; typed arrays go through the native `set`. */
function copyInto(dst: Float32Array, offset: number, src: Vector): void {
  if (ArrayBuffer.isView(src)) {
    dst.set(src, offset);
    return;
  }
  for (let i = 0; i < src.length; i++) dst[offset + i] = src[i];
}

export class ReplayBuffer implements ReplayView {
  readonly capacity: number;
  readonly observationDim: number;
  readonly actionDim: number;

  private readonly columns: ReplayStorage;
  private head = 0;
  private filled = 0;
  private nextEpisodeStep = 0;
  private added = 0;

  constructor(config: ReplayConfig) {
    if (config === null || typeof config !== 'object') {
      throw new ReplayConfigError('ReplayBuffer needs a config { capacity, observationDim, actionDim }.');
    }
    const { capacity, observationDim, actionDim } = config;
    checkDimension('capacity', capacity);
    checkDimension('observationDim', observationDim);
    checkDimension('actionDim', actionDim);
    this.capacity = capacity;
    this.observationDim = observationDim;
    this.actionDim = actionDim;
    const obsLength = capacity * observationDim;
    this.columns = {
      observation: allocate('observation', obsLength * 4, () => new Float32Array(obsLength)),
      action: allocate('action', capacity * actionDim * 4, () => new Float32Array(capacity * actionDim)),
      reward: allocate('reward', capacity * 4, () => new Float32Array(capacity)),
      nextObservation: allocate('nextObservation', obsLength * 4, () => new Float32Array(obsLength)),
      terminated: allocate('terminated', capacity, () => new Uint8Array(capacity)),
      truncated: allocate('truncated', capacity, () => new Uint8Array(capacity)),
      episodeStep: allocate('episodeStep', capacity * 4, () => new Int32Array(capacity)),
    };
  }

  /** Number of stored transitions, at most `capacity`. */
  get size(): number {
    return this.filled;
  }

  get isFull(): boolean {
    return this.filled === this.capacity;
  }

  /** Slot the next `add` writes. */
  get writeHead(): number {
    return this.head;
  }

  /** Slot of the oldest stored transition. */
  get oldestSlot(): number {
    return this.isFull ? this.head : 0;
  }

  /** Transitions added since creation, including overwritten ones. */
  get totalAdded(): number {
    return this.added;
  }

  /**
   * Stores one transition at the write head, overwriting the oldest once full. Throws a
   * TransitionShapeError or NonFiniteValueError (and stores nothing) on bad input.
   */
  add(transition: Transition): void {
    checkTransition(transition, this.observationDim, this.actionDim);
    const slot = this.head;
    const c = this.columns;
    copyInto(c.observation, slot * this.observationDim, transition.observation);
    copyInto(c.action, slot * this.actionDim, transition.action);
    copyInto(c.nextObservation, slot * this.observationDim, transition.nextObservation);
    c.reward[slot] = transition.reward;
    const truncated = transition.truncated === true;
    c.terminated[slot] = transition.terminated ? 1 : 0;
    c.truncated[slot] = truncated ? 1 : 0;
    c.episodeStep[slot] = this.nextEpisodeStep;
    this.nextEpisodeStep = transition.terminated || truncated ? 0 : this.nextEpisodeStep + 1;
    this.head = slot + 1 === this.capacity ? 0 : slot + 1;
    if (this.filled < this.capacity) this.filled++;
    this.added++;
  }

  /**
   * Declares that the next transition starts a new episode although the last one was neither
   * terminated nor truncated (e.g. the loop reset the environment early). Sequences never join
   * the two.
   */
  endEpisode(): void {
    this.nextEpisodeStep = 0;
  }

  /**
   * Draws `batchSize` transitions uniformly (with replacement) using `rng`. Writes into `out`
   * when given (allocate it once with `allocateTransitionBatch`), else into a new batch.
   */
  sampleTransitions(batchSize: number, rng: Rng, out?: TransitionBatch): TransitionBatch {
    return sampleTransitions(this, batchSize, rng, out);
  }

  /**
   * Draws `batchSize` sequences of `horizon` consecutive transitions of one episode, uniformly
   * over all valid start slots, time-major. See SequenceBatch for the layout.
   */
  sampleSequences(horizon: number, batchSize: number, rng: Rng, out?: SequenceBatch): SequenceBatch {
    return sampleSequences(this, horizon, batchSize, rng, out);
  }

  allocateTransitionBatch(batchSize: number): TransitionBatch {
    return allocateTransitionBatch(batchSize, this.observationDim, this.actionDim);
  }

  allocateSequenceBatch(horizon: number, batchSize: number): SequenceBatch {
    return allocateSequenceBatch(horizon, batchSize, this.observationDim, this.actionDim);
  }

  /** The raw columns. Read-only by contract: writing them bypasses the episode bookkeeping. */
  get storage(): ReplayStorage {
    return this.columns;
  }

  get cursor(): ReplayCursor {
    return {
      head: this.head,
      size: this.filled,
      nextEpisodeStep: this.nextEpisodeStep,
      totalAdded: this.added,
    };
  }

  /**
   * Sets the cursor after the columns were filled from a snapshot. Used by the snapshot reader;
   * the cursor must be consistent (head === size before full, size === capacity after).
   */
  restoreCursor(cursor: ReplayCursor): void {
    const { head, size, nextEpisodeStep, totalAdded } = cursor;
    const ok =
      Number.isSafeInteger(size) &&
      size >= 0 &&
      size <= this.capacity &&
      Number.isSafeInteger(head) &&
      head >= 0 &&
      head < this.capacity &&
      (size === this.capacity || head === size) &&
      Number.isSafeInteger(nextEpisodeStep) &&
      nextEpisodeStep >= 0 &&
      Number.isSafeInteger(totalAdded) &&
      totalAdded >= size;
    if (!ok) {
      throw new ReplayConfigError(
        `Inconsistent replay cursor ${JSON.stringify(cursor)} for capacity ${this.capacity}: ` +
          'head must equal size until the buffer is full, and totalAdded must be at least size.',
      );
    }
    this.head = head;
    this.filled = size;
    this.nextEpisodeStep = nextEpisodeStep;
    this.added = totalAdded;
  }
}
