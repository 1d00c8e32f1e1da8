/**
 * What every agent does the same way.
 *
 * Construction: the algorithm's name (written once, passed to the constructor), the sizes, the
 * map between unit actions and the env's box, the replay buffer, and the two seeded streams
 * derived from the run seed and the name (`init` for the networks, `rng` for everything after).
 *
 * Checkpoints: save() writes the agent's files (its named parameters and optimizers) and
 * state.json (algorithm, sizes, update counter, Rng state, the algorithm's own numbers); load()
 * checks algorithm and sizes, restores the files in place, then the counter and the Rng;
 * dispose() frees what the files name. An agent names its files and, when it has any, the
 * numbers that live outside its variables.
 */
import type { Agent, ActContext, UpdateMetrics } from '@mbrl-ts/contract';
import { Rng } from '@mbrl-ts/nn';
import type { ReplayBuffer } from '@mbrl-ts/replay';
import type { ActionScaling } from './action-scaling';
import { actionScalingFor, agentRngs, type AgentOptions } from './agent-options';
import {
  agentState,
  loadAgentFiles,
  saveAgentFiles,
  type AgentFiles,
  type AgentIdentity,
} from './agent-files';

export abstract class CheckpointedAgent implements Agent {
  /** The algorithm's name as the CLI spells it; state.json records it and the seeds derive from it. */
  readonly algo: string;
  /** Gradient updates done so far (the algorithm says what one is: TD3 counts critic steps). */
  updates = 0;
  protected readonly observationSize: number;
  protected readonly actionSize: number;
  /** Unit actions [-1, 1] <-> the env's box. */
  protected readonly scaling: ActionScaling;
  /** The buffer the training loop fills; the agent samples its batches from it. */
  protected readonly replay: ReplayBuffer;
  /** The agent's one Rng (replay draws, exploration, sampled latents); saved and restored. */
  protected rng: Rng;
  /** The stream the networks' initial weights draw from (the constructor's; not saved). */
  protected readonly init: Rng;

  constructor(algo: string, options: AgentOptions<unknown>) {
    this.algo = algo;
    this.observationSize = options.observationSize;
    this.actionSize = options.actionSize;
    this.scaling = actionScalingFor(new.target.name, options);
    this.replay = options.replay;
    const { init, rng } = agentRngs(options.seed, algo);
    this.init = init;
    this.rng = rng;
  }

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
