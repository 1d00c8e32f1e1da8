/**
 * The data shapes of @mbrl-ts/replay: what goes in (a Gymnasium-style transition) and what comes
 * out (flat Float32Array batches with their shapes written next to them).
 */

/** A vector as an environment or a policy hands it over. */
export type Vector = Float32Array | Float64Array | readonly number[];

/** Size of a replay buffer. Table 3 of the ALM paper: capacity 1e5, or 1e6 for Humanoid. */
export interface ReplayConfig {
  /** Number of transitions kept; the oldest is overwritten once the buffer is full. */
  readonly capacity: number;
  /** Length of one observation vector (HalfCheetah 17, Humanoid 376). */
  readonly observationDim: number;
  /** Length of one action vector (HalfCheetah 6, Humanoid 17). */
  readonly actionDim: number;
}

/**
 * One environment step (s_t, a_t, r_t, s_{t+1}) with Gymnasium's two episode-end flags.
 *
 * `terminated`: the MDP reached a terminal state; no value is bootstrapped from `nextObservation`.
 * `truncated`: the episode was cut (time limit); the value of `nextObservation` is still
 * bootstrapped, but the next transition added starts a new episode.
 */
export interface Transition {
  readonly observation: Vector;
  readonly action: Vector;
  readonly reward: number;
  readonly nextObservation: Vector;
  readonly terminated: boolean;
  /** Defaults to false. */
  readonly truncated?: boolean;
}

/**
 * A batch of B transitions drawn uniformly, row-major:
 * observation [B, obsDim], action [B, actDim], reward [B], nextObservation [B, obsDim],
 * terminated [B] (1 = terminal, 0 = not; a time-limit cut stores 0).
 */
export interface TransitionBatch {
  readonly batchSize: number;
  readonly observationDim: number;
  readonly actionDim: number;
  readonly observation: Float32Array;
  readonly action: Float32Array;
  readonly reward: Float32Array;
  readonly nextObservation: Float32Array;
  readonly terminated: Float32Array;
  /** The buffer slot of each row [B]; for debugging and tests. */
  readonly indices: Int32Array;
  /** Shapes of the flat arrays, for turning them into tensors. */
  readonly shapes: {
    readonly observation: readonly [number, number];
    readonly action: readonly [number, number];
    readonly reward: readonly [number];
    readonly nextObservation: readonly [number, number];
    readonly terminated: readonly [number];
  };
}

/**
 * A batch of B sequences of K consecutive transitions of one episode, time-major.
 *
 * observation [K+1, B, obsDim]: row k < K is s_{t+k}; row K is s_{t+K}, the next observation of the
 *   last transition. Rows 1..K come from the stored next observations, so observation[k+1] is
 *   exactly the s_{i+1} stored with (s_i, a_i) (Algorithm 1, line 6 of the ALM paper).
 * action [K, B, actDim]: a_t .. a_{t+K-1}.
 * reward [K, B]: r_t .. r_{t+K-1}.
 * terminated [K, B]: 1 where s_{t+k+1} is terminal. Only the last step k = K-1 can be 1, since a
 *   sequence never runs past an episode end.
 */
export interface SequenceBatch {
  readonly horizon: number;
  readonly batchSize: number;
  readonly observationDim: number;
  readonly actionDim: number;
  readonly observation: Float32Array;
  readonly action: Float32Array;
  readonly reward: Float32Array;
  readonly terminated: Float32Array;
  /** The buffer slot of each sequence's first transition [B]; for debugging and tests. */
  readonly starts: Int32Array;
  readonly shapes: {
    readonly observation: readonly [number, number, number];
    readonly action: readonly [number, number, number];
    readonly reward: readonly [number, number];
    readonly terminated: readonly [number, number];
  };
}

/** The stored columns, one row per slot. Exposed for the samplers and snapshots. */
export interface ReplayStorage {
  readonly observation: Float32Array; // [capacity, observationDim]
  readonly action: Float32Array; // [capacity, actionDim]
  readonly reward: Float32Array; // [capacity]
  readonly nextObservation: Float32Array; // [capacity, observationDim]
  readonly terminated: Uint8Array; // [capacity], 1 = terminal
  readonly truncated: Uint8Array; // [capacity], 1 = time-limit cut
  readonly episodeStep: Int32Array; // [capacity], see the file comment
}

/** Where writing continues; everything besides the columns that a snapshot must keep. */
export interface ReplayCursor {
  /** Slot the next `add` writes. */
  readonly head: number;
  /** Number of filled slots. */
  readonly size: number;
  /** episodeStep given to the next transition (0 when it starts an episode). */
  readonly nextEpisodeStep: number;
  /** Transitions added since creation (including overwritten ones). */
  readonly totalAdded: number;
}

/**
 * What the samplers read of a buffer: its sizes, how many rows are filled, and the columns. A
 * ReplayBuffer is one; the samplers take this view, so they depend on the data and not on the
 * class that writes it.
 */
export interface ReplayView {
  readonly capacity: number;
  readonly observationDim: number;
  readonly actionDim: number;
  /** Filled rows. */
  readonly size: number;
  /** The slot of the oldest stored transition (0 until the buffer wraps). */
  readonly oldestSlot: number;
  readonly storage: ReplayStorage;
}
