/**
 * Where one ALM update (paper preset) spends its time, kernel by kernel, and how many
 * floating-point operations its matrix products do. Runs a few updates under tf.profile on the
 * chosen backend and prints JSON: per-kernel milliseconds (sum over the update, median over the
 * profiled updates), call counts, and the products' FLOPs (2 M N K per product). Then a few more
 * updates with a timing layer over every kernel seen (wasm only): this process's CPU time per
 * kernel type (`cpuMs`; steadier than wall time on a shared machine), the update's CPU time, and
 * what is left outside the kernels (tfjs's engine and tape, the agent's own code, sampling).
 *
 *   npm run profile:alm -w @mbrl-ts/agents                       # HalfCheetah sizes, wasm
 *   PROFILE_OBS=376 PROFILE_ACT=17 npm run profile:alm -w @mbrl-ts/agents
 *   MBRL_KERNELS=blas npm run profile:alm -w @mbrl-ts/agents     # with the native product
 */
import os from 'node:os';
import { tf } from '@mbrl-ts/nn';
import {
  addKernelLayer,
  BACKEND_NAMES,
  initBackend,
  productFlops,
  removeKernelLayer,
} from '@mbrl-ts/kernels';
import { PRODUCT_KERNELS, makeAlmAgent, median, recordProducts } from './alm-setup';
import { envChoice, envInteger } from '../../../tools/bench/settings';

const OBS = envInteger('PROFILE_OBS', 17, 1);
const ACT = envInteger('PROFILE_ACT', 6, 1);
const PROFILED = envInteger('PROFILE_UPDATES', 3, 1);
/** Updates before profiling (V8 is still optimizing functions for the first dozens; see speed.ts). */
const WARMUP = envInteger('PROFILE_WARMUP', 30, 0);

const backend = await initBackend(envChoice('BENCH_BACKEND', BACKEND_NAMES) ?? 'wasm');
const agent = makeAlmAgent(OBS, ACT);
for (let i = 0; i < WARMUP; i++) agent.update(i);
// The products' FLOPs, recorded from one more update (2 M N K each).
const flops = productFlops(recordProducts(() => agent.update(WARMUP)));

const perKernel = new Map<string, { ms: number[]; calls: number }>();
const totals: number[] = [];
for (let u = 0; u < PROFILED; u++) {
  const start = performance.now();
  const info = await tf.profile(() => {
    agent.update(WARMUP + 1 + u);
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
}
/** CPU milliseconds per kernel type over PROFILED more updates (medians), and per update. */
const cpuPerKernel = new Map<string, number[]>();
const updateCpu: number[] = [];
if (backend.name === 'wasm') {
  const names = [...perKernel.keys()].filter((name) => tf.getKernel(name, 'wasm') !== undefined);
  const sums = new Map<string, number>();
  for (const name of names) {
    addKernelLayer(name, 'wasm', 'profile-cpu', 99, (beneath) => (args) => {
      const start = process.cpuUsage();
      const out = beneath(args);
      const used = process.cpuUsage(start);
      sums.set(name, (sums.get(name) ?? 0) + (used.user + used.system) / 1000);
      return out;
    });
  }
  for (let u = 0; u < PROFILED; u++) {
    sums.clear();
    const start = process.cpuUsage();
    agent.update(WARMUP + 1 + PROFILED + u);
    const used = process.cpuUsage(start);
    updateCpu.push((used.user + used.system) / 1000);
    for (const name of names)
      cpuPerKernel.set(name, [...(cpuPerKernel.get(name) ?? []), sums.get(name) ?? 0]);
  }
  for (const name of names) removeKernelLayer(name, 'wasm', 'profile-cpu');
}
const cpuOf = (name: string): number | null => {
  const list = cpuPerKernel.get(name);
  return list === undefined ? null : Number(median(list).toFixed(1));
};
const kernelCpuMs = [...cpuPerKernel.keys()].reduce((sum, name) => sum + (cpuOf(name) ?? 0), 0);
const kernels = [...perKernel.entries()]
  .map(([name, { ms, calls }]) => ({ name, ms: Number(median(ms).toFixed(2)), cpuMs: cpuOf(name), calls }))
  .sort((a, b) => b.ms - a.ms);
const kernelMs = kernels.reduce((sum, k) => sum + k.ms, 0);
const productMs = kernels.filter((k) => PRODUCT_KERNELS.has(k.name)).reduce((sum, k) => sum + k.ms, 0);
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
      updateCpuMs: updateCpu.length > 0 ? Number(median(updateCpu).toFixed(1)) : null,
      kernelCpuMs: updateCpu.length > 0 ? Number(kernelCpuMs.toFixed(1)) : null,
      top: kernels.slice(0, 25),
    },
    null,
    1,
  ),
);
agent.dispose();
