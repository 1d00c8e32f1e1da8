/** What an app tells the shared CLI about each algorithm it offers. */
import type { Env } from '@mbrl-ts/envs';
import type { ReplayBuffer } from '@mbrl-ts/replay';
import type { Agent } from './agent';
import type { ConfigOf, Schema } from './config';

export interface AgentContext<S extends Schema> {
  readonly env: Env;
  readonly replay: ReplayBuffer;
  /** The algorithm's own settings (resolved, validated). */
  readonly config: ConfigOf<S>;
  /** The run's seed; the agent derives its Rng from it. */
  readonly seed: number;
}

export interface AlgorithmSpec<S extends Schema = Schema> {
  /** As typed after --algo. */
  readonly name: string;
  readonly summary: string;
  /** Hyperparameters with their sources (paper tables); settable by --config and --set key=value. */
  readonly schema: S;
  /** Named partial configurations, e.g. { quick: {...} }; 'paper' is the schema's defaults. */
  readonly presets?: Readonly<Record<string, Partial<ConfigOf<S>>>>;
  /**
   * Schema keys this algorithm also offers as their own `train` flags, with commander's flag
   * syntax, e.g. { horizon: '--horizon <H>' }: the same as --set horizon=H, applied after --set.
   */
  readonly flags?: Readonly<Partial<Record<keyof S & string, string>>>;
  /** Replay capacity for a task (the ALM paper: 1e5, 1e6 for Humanoid). */
  replayCapacity(envId: string, config: ConfigOf<S>): number;
  create(context: AgentContext<S>): Promise<Agent> | Agent;
}

/** Build a spec with its schema's types checked (an identity that keeps inference). */
export function defineAlgorithm<S extends Schema>(spec: AlgorithmSpec<S>): AlgorithmSpec<S> {
  return spec;
}
