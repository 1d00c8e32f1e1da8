/** Shared by the ALM benchmarks: a paper-preset agent on a filled replay, FLOP counting, medians. */
import { Rng } from '@mbrl-ts/nn';
import { defaultsOf } from '@mbrl-ts/harness';
import { ReplayBuffer } from '@mbrl-ts/replay';
import { AlmAgent, almSchema } from '../src';

/** A replay of 10k random transitions (episodes of 1000 steps), seeded. */
export function filledReplay(observationDim: number, actionDim: number): ReplayBuffer {
  const replay = new ReplayBuffer({ capacity: 10_000, observationDim, actionDim });
  const rng = new Rng(1);
  for (let i = 0; i < 10_000; i++) {
    replay.add({
      observation: rng.fillNormal(new Float64Array(observationDim)),
      action: rng.fillUniform(new Float32Array(actionDim), -1, 1),
      reward: rng.normal(),
      nextObservation: rng.fillNormal(new Float64Array(observationDim)),
      terminated: false,
      truncated: (i + 1) % 1000 === 0,
    });
  }
  return replay;
}

/** An agent's options at one task's sizes (actions in [-1, 1]), seed 0, on `replay` (default: a filled one). */
export function benchAgentOptions(
  observationSize: number,
  actionSize: number,
  replay: ReplayBuffer = filledReplay(observationSize, actionSize),
) {
  return {
    observationSize,
    actionSize,
    actionLow: new Array<number>(actionSize).fill(-1),
    actionHigh: new Array<number>(actionSize).fill(1),
    replay,
    seed: 0,
  };
}

/** ALM with the paper preset (Table 3) at one task's sizes, seed 0. */
export function makeAlmAgent(observationSize: number, actionSize: number): AlmAgent {
  return new AlmAgent({ ...benchAgentOptions(observationSize, actionSize), config: defaultsOf(almSchema) });
}

interface ProfiledKernel {
  name: string;
  inputShapes: number[][];
  outputShapes: number[][];
}

/** Kernels that are matrix products: tfjs's, and the native dense layer (x [M, K] w + b). */
export const PRODUCT_KERNELS: ReadonlySet<string> = new Set(['BatchMatMul', '_FusedMatMul', 'MbrlDense']);

/**
 * Floating-point operations of the matrix products among profiled kernels: 2 M N K per product
 * (times the batch), with K read from the first operand (its last two dims are M and K in some
 * order). Element-wise kernels are left out: they are a few percent of the count.
 */
export function almUpdateFlops(kernels: readonly ProfiledKernel[]): number {
  let flops = 0;
  for (const kernel of kernels) {
    if (!PRODUCT_KERNELS.has(kernel.name)) continue;
    const a = kernel.inputShapes[0];
    const out = kernel.outputShapes[0];
    const m = out[out.length - 2];
    const n = out[out.length - 1];
    const k = a[a.length - 2] === m ? a[a.length - 1] : a[a.length - 2];
    const batch = out.slice(0, -2).reduce((p, d) => p * d, 1);
    flops += 2 * batch * m * n * k;
  }
  return flops;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
