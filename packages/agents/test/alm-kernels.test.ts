/**
 * The fast kernels change no semantics: ALM updates computed with tfjs's own wasm kernels (no
 * kernel layer at all, tfjs's own gradients: the straightforward path) and with the optimised set
 * (copy-free Identity and Cast, heap-to-heap slices, ones-free reduction gradients, the
 * transposed-product fix and, when the addon is built, the native BLAS products and element-wise
 * kernels, with the products on each library the addon is built with: oneDNN, OpenBLAS) from the
 * same seed and state give the same losses and parameters within float tolerance. Runs on every
 * machine; with the addon it also covers the native kernels.
 */
import {
  initBackend,
  loadBlas,
  uninstallBlasKernels,
  uninstallReductionGradients,
  uninstallWasmIdentity,
  uninstallWasmMatMulFix,
  uninstallWasmSlices,
  type BackendInfo,
  type ProductsRequest,
} from '@mbrl-ts/kernels';
import type { UpdateMetrics } from '@mbrl-ts/harness';
import { smallAlm } from './alm-helpers';
import { filledReplay, snapshot } from './helpers';

/** Big enough that the products take BLAS's blocked paths; small enough for a test. */
const sized = { batchSize: 64, hiddenSize: 64, modelHiddenSize: 128, latentSize: 8, horizon: 3 };
const UPDATES = 3;

function run(): { metrics: UpdateMetrics[]; parameters: Map<string, Float32Array> } {
  const agent = smallAlm(filledReplay(), 4, sized);
  const metrics: UpdateMetrics[] = [];
  for (let i = 0; i < UPDATES; i++) metrics.push(agent.update(20_000 + i));
  const parameters = snapshot(agent.parameters());
  agent.dispose();
  return { metrics, parameters };
}

/** Each product library built into the addon, or just `auto` (the wasm fixes) without it. */
const libraries: ProductsRequest[] = (loadBlas().blas?.libraries().split(',') as ProductsRequest[]) ?? [
  'auto',
];

describe.each(libraries)('ALM update with the optimised kernels (products: %s)', (products) => {
  let optimisedBackend: BackendInfo;
  let plain: ReturnType<typeof run>;
  let optimised: ReturnType<typeof run>;

  beforeAll(async () => {
    await initBackend('wasm', { kernels: 'wasm', logger: () => {} });
    uninstallWasmMatMulFix();
    uninstallWasmIdentity();
    uninstallWasmSlices();
    uninstallReductionGradients();
    plain = run();
    optimisedBackend = await initBackend('wasm', { kernels: 'auto', products, logger: () => {} });
    optimised = run();
  });

  afterAll(async () => {
    uninstallBlasKernels();
    await initBackend('wasm', { logger: () => {} });
  });

  it('used the native kernels exactly when the addon is built', () => {
    const built = loadBlas().blas !== null;
    if (!built) console.warn('alm-kernels.test: native BLAS not built; comparing the wasm kernel fixes only');
    expect(optimisedBackend.kernels).toBe(built ? 'blas' : 'wasm');
    if (built) expect(optimisedBackend.blas?.library).toBe(products);
    expect(optimisedBackend.transposedMatMulFix).toBe(true);
  });

  it('gives the same losses and metrics at every update', () => {
    for (let u = 0; u < UPDATES; u++) {
      const a = plain.metrics[u];
      const b = optimised.metrics[u];
      expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
      for (const [name, value] of Object.entries(a)) {
        const tolerance = 1e-4 * Math.max(1, Math.abs(value));
        if (!(Math.abs(b[name] - value) <= tolerance)) {
          throw new Error(`update ${u}: ${name} is ${b[name]} with the optimised kernels, ${value} without`);
        }
      }
    }
  });

  it('leaves the same parameters (online and target networks)', () => {
    expect([...optimised.parameters.keys()]).toEqual([...plain.parameters.keys()]);
    let largest = 0;
    for (const [name, before] of plain.parameters) {
      const after = optimised.parameters.get(name) as Float32Array;
      for (let i = 0; i < before.length; i++) largest = Math.max(largest, Math.abs(after[i] - before[i]));
    }
    expect(largest).toBeLessThan(1e-5);
    // With the addon the two runs really took different arithmetic (BLAS sums in another order).
    if (loadBlas().blas !== null) expect(largest).toBeGreaterThan(0);
  });
});
