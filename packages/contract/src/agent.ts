/**
 * The contract every algorithm follows so that one loop can train them all.
 *
 * An agent is built around the replay buffer the harness fills (it samples its own batches from
 * it, with its own seeded Rng), acts on single observations, and saves everything it owns
 * (networks, target networks, optimizer states, its Rng, its counters) to a directory.
 */
export interface ActContext {
  /** Environment steps taken so far in the run (schedules such as exploration noise use it). */
  readonly step: number;
  /** True for evaluation: the policy's mode, no exploration noise. */
  readonly deterministic: boolean;
}

/** Scalar diagnostics of one update, e.g. { critic_loss, actor_loss, alpha }. */
export type UpdateMetrics = Record<string, number>;

export interface Agent {
  /** Algorithm name as the CLI spells it ('sac', 'td3', 'alm', ...). */
  readonly algo: string;
  /**
   * Transitions the replay buffer must hold before `update` can sample (e.g. the batch size).
   * The loop checks it against the warm-up before the run starts.
   */
  readonly minReplaySize?: number;
  /** An action within the env's action bounds for one observation. */
  act(obs: Float64Array, context: ActContext): Float32Array;
  /** One gradient update from replay; returns scalar metrics. */
  update(step: number): UpdateMetrics;
  save(dir: string): Promise<void>;
  load(dir: string): Promise<void>;
  /** Free every tensor the agent holds. */
  dispose(): void;
}
