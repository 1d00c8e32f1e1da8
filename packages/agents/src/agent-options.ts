/** What an observation-space agent needs to know about its task and run. */
import { Rng } from '@mbrl-ts/nn';
import type { ReplayBuffer } from '@mbrl-ts/replay';
import { ActionScaling } from './action-scaling';
import { deriveSeed } from './seeds';

export interface AgentOptions<C> {
  readonly observationSize: number;
  readonly actionSize: number;
  /** The env's action bounds (Box low / high). */
  readonly actionLow: ArrayLike<number>;
  readonly actionHigh: ArrayLike<number>;
  /** The buffer the training loop fills; the agent samples its batches from it. */
  readonly replay: ReplayBuffer;
  readonly config: C;
  /** The run seed; the agent derives its own Rng from it. */
  readonly seed: number;
}

/** Hidden widths from the schema's (layers, size) pair. */
export function hiddenSizes(layers: number, size: number): number[] {
  return Array.from({ length: layers }, () => size);
}

/** The Adam clip setting from the schema's convention (0 = no clipping). */
export function clipSetting(maxGradNorm: number): number | null {
  return maxGradNorm > 0 ? maxGradNorm : null;
}

/**
 * The agent's map between its unit actions and the env's box, checked against `actionSize`
 * (`agent` names the class in the error).
 */
export function actionScalingFor(agent: string, options: AgentOptions<unknown>): ActionScaling {
  const scaling = new ActionScaling(options.actionLow, options.actionHigh);
  if (scaling.size !== options.actionSize) {
    throw new RangeError(
      `${agent}: actionSize ${options.actionSize} but the action bounds have ${scaling.size} entries`,
    );
  }
  return scaling;
}

/**
 * The agent's two random streams from the run seed and its algorithm name: `init` for network
 * initialisation, `rng` for everything after (batches, noise; saved with the agent).
 */
export function agentRngs(runSeed: number, algo: string): { readonly init: Rng; readonly rng: Rng } {
  const root = new Rng(deriveSeed(runSeed, algo));
  const init = root.fork();
  return { init, rng: root.fork() };
}
