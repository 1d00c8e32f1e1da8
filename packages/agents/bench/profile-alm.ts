/**
 * Where one ALM update (paper preset) spends its time, kernel by kernel, and how many
 * floating-point operations its matrix products do. Runs a few updates under tf.profile on the
 * chosen backend and prints JSON: per-kernel milliseconds (sum over the update, median over the
 * profiled updates), call counts, and the products' FLOPs (2 M N K per product).
 *
 *   npm run profile:alm -w @mbrl-ts/agents                       # HalfCheetah sizes, wasm
 *   PROFILE_OBS=376 PROFILE_ACT=17 npm run profile:alm -w @mbrl-ts/agents
 *   MBRL_KERNELS=blas npm run profile:alm -w @mbrl-ts/agents     # with the native product
 */
import os from 'node:os';
import { initBackend, tf, type BackendName } from '@mbrl-ts/nn';
import { almUpdateFlops, makeAlmAgent, median } from './alm-setup';

const OBS = Number(process.env.PROFILE_OBS ?? 17);
const ACT = Number(process.env.PROFILE_ACT ?? 6);
const PROFILED = Number(process.env.PROFILE_UPDATES ?? 3);

const backend = await initBackend((process.env.BENCH_BACKEND as BackendName | undefined) ?? 'wasm');
const agent = makeAlmAgent(OBS, ACT);
for (let i = 0; i < 2; i++) agent.update(i);

const perKernel = new Map<string, { ms: number[]; calls: number }>();
const totals: number[] = [];
let flops = 0;
for (let u = 0; u < PROFILED; u++) {
  const start = performance.now();
  const info = await tf.profile(() => {
    agent.update(2 + u);
  });
  totals.push(performance.now() - start);
  const sums = new Map<string, number>();
  for (const kernel of info.kernels) {
    const ms = await kernel.kernelTimeMs;
    sums.set(kernel.name, (sums.get(kernel.name) ?? 0) + (typeof ms === 'number' ? ms : 0));
    const entry = perKernel.get(kernel.name) ?? { ms: [], calls: 0 };
    if (u === 0) entry.calls += 1;
    perKernel.set(kernel.name, entry);
  }
  for (const [name, ms] of sums) perKernel.get(name)?.ms.push(ms);
  if (u === 0) flops = almUpdateFlops(info.kernels);
}
const kernels = [...perKernel.entries()]
  .map(([name, { ms, calls }]) => ({ name, ms: Number(median(ms).toFixed(2)), calls }))
  .sort((a, b) => b.ms - a.ms);
const kernelMs = kernels.reduce((sum, k) => sum + k.ms, 0);
const productMs = kernels
  .filter((k) => k.name === 'BatchMatMul' || k.name === '_FusedMatMul')
  .reduce((sum, k) => sum + k.ms, 0);
console.log(
  JSON.stringify(
    {
      backend: backend.name,
      kernels: backend.kernels,
      blasThreads: backend.blas?.threads ?? null,
      observationSize: OBS,
      actionSize: ACT,
      loadAverage: os.loadavg()[0],
      profiledUpdates: PROFILED,
      updateMsUnderProfiler: Number(median(totals).toFixed(1)),
      kernelMs: Number(kernelMs.toFixed(1)),
      productMs: Number(productMs.toFixed(1)),
      productGflop: Number((flops / 1e9).toFixed(2)),
      productGflopPerS: Number((flops / 1e6 / productMs).toFixed(1)),
      kernelCalls: kernels.reduce((sum, k) => sum + k.calls, 0),
      top: kernels.slice(0, 25),
    },
    null,
    1,
  ),
);
agent.dispose();
