/**
 * What every agent's checkpoint does the same way. save() writes the agent's files (its named
 * parameters and optimizers) and state.json (algorithm, sizes, update counter, Rng state, the
 * algorithm's own numbers); load() checks algorithm and sizes, restores the files in place, then the
 * counter and the Rng; dispose() frees what the files name. An agent names its files and, when it
 * has any, the numbers that live outside its variables.
 */
import type { Agent, ActContext, UpdateMetrics } from '@mbrl-ts/contract';
import { Rng } from '@mbrl-ts/nn';
import {
  agentState,
  loadAgentFiles,
  saveAgentFiles,
  type AgentFiles,
  type AgentIdentity,
} from './agent-files';

export abstract class CheckpointedAgent implements Agent {
  abstract readonly algo: string;
  /** Gradient updates done so far (the algorithm says what one is: TD3 counts critic steps). */
  updates = 0;
  protected abstract readonly observationSize: number;
  protected abstract readonly actionSize: number;
  /** The agent's one Rng (replay draws, exploration, sampled latents); saved and restored. */
  protected abstract rng: Rng;

  abstract act(obs: Float64Array, context: ActContext): Float32Array;
  abstract update(step: number): UpdateMetrics;

  /** The parameters and optimizer states save() writes and load() restores in place. */
  protected abstract files(): Omit<AgentFiles, 'state'>;

  /** Numbers for state.json beside the counter and the Rng; asked for before the files are written. */
  protected stateExtras(): Record<string, number> {
    return {};
  }

  /** The end of load(), with state.json's extras: restore what does not live in a variable. */
  protected afterLoad(_extra: Readonly<Record<string, number>>): void {}

  async save(dir: string): Promise<void> {
    const extra = this.stateExtras();
    await saveAgentFiles(dir, {
      ...this.files(),
      state: agentState(this.identity(), this.updates, this.rng, extra),
    });
  }

  async load(dir: string): Promise<void> {
    const state = await loadAgentFiles(dir, this.identity(), this.files());
    this.updates = state.updates;
    this.rng = Rng.fromState(state.rng);
    this.afterLoad(state.extra);
  }

  /** Free every tensor the agent holds: its parameters and its optimizers' states. */
  dispose(): void {
    const { parameters, optimizers } = this.files();
    for (const variable of parameters.values()) variable.dispose();
    for (const { optimizer } of Object.values(optimizers)) optimizer.dispose();
  }

  private identity(): AgentIdentity {
    return { algo: this.algo, observationSize: this.observationSize, actionSize: this.actionSize };
  }
}
