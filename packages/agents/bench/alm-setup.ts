/** Shared by the ALM benchmarks: a paper-preset agent on a filled replay, FLOP counting, medians. */
import { Rng, tf } from '@mbrl-ts/nn';
import {
  addKernelLayer,
  productFlops,
  productMix,
  removeKernelLayer,
  type NativeBlas,
  type ProductShape,
} from '@mbrl-ts/kernels';
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

/** Kernels that are matrix products: tfjs's, and the native dense layer (x [M, K] w + b). */
export const PRODUCT_KERNELS: ReadonlySet<string> = new Set(['BatchMatMul', '_FusedMatMul', 'MbrlDense']);

/**
 * The matrix products `run` does (one ALM update, say), in order of first appearance: a layer
 * over each product kernel of the wasm backend records sizes and transposes while it runs.
 */
export function recordProducts(run: () => void): ProductShape[] {
  const seen = new Map<string, ProductShape>();
  const record = (product: Omit<ProductShape, 'calls'>) => {
    const key = Object.values(product).join(',');
    const entry = seen.get(key) ?? { ...product, calls: 0 };
    entry.calls += 1;
    seen.set(key, entry);
  };
  const tag = 'bench-record-products';
  const installed: string[] = [];
  for (const name of PRODUCT_KERNELS) {
    const ok = addKernelLayer(name, 'wasm', tag, 1000, (beneath) => (args) => {
      const inputs = args.inputs as Record<string, tf.TensorInfo>;
      if (name === 'MbrlDense') {
        const [m, k] = inputs.x.shape;
        record({ batch: 1, m, n: inputs.weight.shape[1], k, transposeA: false, transposeB: false });
      } else {
        const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
        const a = inputs.a.shape;
        const b = inputs.b.shape;
        const [ar, ac] = a.slice(-2);
        const [br, bc] = b.slice(-2);
        const lead = (shape: number[]) => shape.slice(0, -2).reduce((p, d) => p * d, 1);
        record({
          batch: Math.max(lead(a), lead(b)),
          m: transposeA ? ac : ar,
          n: transposeB ? br : bc,
          k: transposeA ? ar : ac,
          transposeA,
          transposeB,
        });
      }
      return beneath(args);
    });
    if (ok) installed.push(name);
  }
  try {
    run();
  } finally {
    for (const name of installed) removeKernelLayer(name, 'wasm', tag);
  }
  return [...seen.values()];
}

/**
 * The machine's own product speed now, on the addon's threads: median milliseconds of `products`
 * run back to back (no tfjs, warm caches), and the GFLOP/s of one 2048^3 product (what OpenBLAS
 * reaches on large operands). Medians of `reps` runs each, after one unmeasured run.
 */
export function productsAlone(
  blas: NativeBlas,
  products: readonly ProductShape[],
  reps = 5,
): { productsAloneMs: number; largeProductGflopPerSecond: number } {
  const large: ProductShape = {
    batch: 1,
    m: 2048,
    n: 2048,
    k: 2048,
    transposeA: false,
    transposeB: false,
    calls: 1,
  };
  const time = (run: () => number) => {
    run();
    return median(Array.from({ length: reps }, () => run()));
  };
  const mixMs = time(productMix(blas, products));
  const largeMs = time(productMix(blas, [large]));
  return {
    productsAloneMs: Number(mixMs.toFixed(1)),
    largeProductGflopPerSecond: Number((productFlops([large]) / 1e6 / largeMs).toFixed(1)),
  };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
