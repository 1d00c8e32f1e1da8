/**
 * ALM updates with bf16 products against fp32 from the same seed and state: the mixed-precision
 * recipe moves one update's losses and parameters by a bounded amount, and nothing but the
 * products changes precision (the same updates with bf16-exact operands would be bit-identical,
 * which the addon's own tests check kernel by kernel; here: every metric stays finite and close,
 * and the parameters end far closer to fp32's than the updates moved them). Uses oneDNN's bf16 kernels
 * where this CPU has them, else the bf16-rounded products (the same numbers on the f32 kernels).
 * Skipped without the native kernels.
 */
import { initBackend, loadBlas, uninstallBlasKernels, type Precision } from '@mbrl-ts/kernels';
import type { UpdateMetrics } from '@mbrl-ts/harness';
import { smallAlm } from './alm-helpers';
import { filledReplay, snapshot } from './helpers';

const blas = loadBlas().blas;
const withAddon = blas === null ? it.skip : it;
if (blas === null) console.warn('alm-precision.test: SKIPPED, the native kernels are not built');
const bf16: Precision = blas?.bf16Available() ? 'bf16' : 'bf16-rounded';

const sized = { batchSize: 64, hiddenSize: 64, modelHiddenSize: 128, latentSize: 8, horizon: 3 };
const UPDATES = 3;

async function run(precision: Precision) {
  const backend = await initBackend('wasm', { kernels: 'blas', precision, logger: () => {} });
  const agent = smallAlm(filledReplay(), 4, sized);
  const before = snapshot(agent.parameters());
  const metrics: UpdateMetrics[] = [];
  for (let i = 0; i < UPDATES; i++) metrics.push(agent.update(20_000 + i));
  const after = snapshot(agent.parameters());
  agent.dispose();
  return { backend, metrics, before, after };
}

describe(`ALM update in ${bf16} against fp32`, () => {
  let fp32: Awaited<ReturnType<typeof run>>;
  let low: Awaited<ReturnType<typeof run>>;

  beforeAll(async () => {
    if (blas === null) return;
    fp32 = await run('fp32');
    low = await run(bf16);
  });

  afterAll(async () => {
    uninstallBlasKernels();
    await initBackend('wasm', { logger: () => {} });
  });

  withAddon('ran each in the precision asked for', () => {
    expect(fp32.backend.precision).toBe('fp32');
    expect(low.backend.precision).toBe(bf16);
    expect(low.backend.blas?.precision).toBe(bf16);
  });

  withAddon('keeps every loss and metric within 2% (or 0.02 absolute) of fp32', () => {
    let moved = false;
    for (let u = 0; u < UPDATES; u++) {
      const a = fp32.metrics[u];
      const b = low.metrics[u];
      expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
      for (const [name, value] of Object.entries(a)) {
        expect(Number.isFinite(b[name])).toBe(true);
        if (b[name] !== value) moved = true;
        if (!(Math.abs(b[name] - value) <= 0.02 * Math.max(1, Math.abs(value)))) {
          throw new Error(`update ${u}: ${name} is ${b[name]} in ${bf16}, ${value} in fp32`);
        }
      }
    }
    expect(moved).toBe(true); // the products really ran on rounded operands
  });

  withAddon(
    "starts from the same parameters and ends a small fraction of the updates' movement apart",
    () => {
      // Norms over every parameter: Adam's first steps move each weight by about the learning rate
      // whatever its gradient's size, so weights with near-zero gradients may step either way in
      // either run; what bf16 must not do is move the network somewhere else as a whole.
      let moved = 0; // |fp32 after - start|^2
      let apart = 0; // |bf16 after - fp32 after|^2
      for (const [name, start] of fp32.before) {
        expect(Buffer.from(low.before.get(name)!.buffer).equals(Buffer.from(start.buffer))).toBe(true);
        const a = fp32.after.get(name)!;
        const b = low.after.get(name)!;
        for (let i = 0; i < a.length; i++) {
          moved += (a[i] - start[i]) ** 2;
          apart += (b[i] - a[i]) ** 2;
        }
      }
      console.log(
        `alm-precision.test: ${bf16} ends ${Math.sqrt(apart / moved).toFixed(4)} of fp32's movement apart`,
      );
      expect(moved).toBeGreaterThan(0);
      expect(apart).toBeGreaterThan(0);
      expect(Math.sqrt(apart / moved)).toBeLessThan(0.1);
    },
  );
});
