/**
 * The speed report of the repository (`npm run bench` at the root): one JSON object with
 *
 *  - ALM update milliseconds, paper preset (Table 3: batch 512, K 3, latent 50, hidden 512,
 *    model hidden 1024), at HalfCheetah (17 / 6) and Humanoid (376 / 17) sizes, for each kernel
 *    option of the wasm backend: tfjs's wasm kernels, and the native kernels with their products on
 *    oneDNN in f32, oneDNN in bf16 (where this CPU has its bf16 kernels) and OpenBLAS (the
 *    reference), each on 1 and 2 threads, as far as the addon has them built in. Each option runs
 *    in its own process (the kernel choice and the addon's threads are process-wide); an option
 *    this machine cannot run is reported with the reason. Medians over the timed updates, with CPU time, after
 *    a warm-up (below);
 *  - the update's FLOPs (its matrix products, recorded from one update) and the achieved GFLOP/s
 *    of each option; for the native options, the machine's product speed right after: the same
 *    products back to back without tfjs (`productsAloneMs`), and the update's FLOPs at the rate of
 *    a 2048^3 product (`productFloorMs`, `largeProductGflopPerSecond`);
 *  - the machine: one 512^3 product through the addon on 1 and on 2 threads (`sgemm512Ms`), the
 *    product GUIDE.md quotes for numpy's OpenBLAS on the machine the speed target was set on
 *    (1.7 ms on 1 thread, 1.05 ms on 2), so a run here can be set against that machine;
 *  - environment steps per second (HalfCheetah-v4, random actions, one thread);
 *  - replay sampling milliseconds (512 K-step sequences and 512 transitions, both task sizes).
 *
 *   npm run bench                                   # at the root; ~2-3 minutes on 2 cores
 *   BENCH_ALM_UPDATES=10 npm run bench
 *   BENCH_OPTIONS=wasm,onednn-2 npm run bench       # a subset of the kernel options
 *   BENCH_SIZES=halfCheetah npm run bench           # a subset of the task sizes
 *   BENCH_WARMUP_UPDATES=2 npm run bench            # time from the third update (not steady state)
 *   BENCH_REPEATS=5 BENCH_OPTIONS=onednn-2,openblas-2 npm run bench   # five processes each, with medians
 */
import { fork } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import {
  initBackend,
  loadBlas,
  productFlops,
  productMix,
  productSettings,
  withProducts,
  type NativeBlas,
  type Precision,
  type ProductLibrary,
} from '@mbrl-ts/kernels';
import { makeEnv } from '@mbrl-ts/envs';
import { Rng } from '@mbrl-ts/rng';
import { filledReplay, makeAlmAgent, median, productsAlone, recordProducts } from './alm-setup';
import { envInteger, envSubset } from '@mbrl-ts/bench-settings';

const UPDATES = envInteger('BENCH_ALM_UPDATES', 5, 1);
/**
 * Updates before timing: V8 is still optimizing functions for the first dozens of updates (about
 * four compilations an update after 6 updates, one after 60; its compiler threads take both cores'
 * time meanwhile), and a training run does thousands. Warm-up ends after WARMUP_UPDATES updates or
 * WARMUP_SECONDS, whichever comes first (the tfjs-kernel option takes ~2 s an update).
 */
const WARMUP_UPDATES = envInteger('BENCH_WARMUP_UPDATES', 30, 0);
const WARMUP_SECONDS = 15;
const SIZES = { halfCheetah: [17, 6], humanoid: [376, 17] } as const;
/** Processes per kernel option, one after another (BENCH_REPEATS; default 1). */
const REPEATS = envInteger('BENCH_REPEATS', 1, 1);

interface KernelOption {
  name: string;
  env: Record<string, string>;
}

/** A native option: products on `library` in `precision` on `threads` of the addon's pool. */
const native = (library: ProductLibrary, precision: Precision, threads: number): KernelOption => ({
  name: `${library}${precision === 'fp32' ? '' : `-${precision}`}-${threads}`,
  env: {
    MBRL_KERNELS: 'blas',
    MBRL_PRODUCTS: library,
    BENCH_PRECISION: precision,
    MBRL_BLAS_THREADS: String(threads),
  },
});

const OPTIONS: KernelOption[] = [
  { name: 'wasm', env: { MBRL_KERNELS: 'wasm' } },
  native('onednn', 'fp32', 1),
  native('onednn', 'fp32', 2),
  native('onednn', 'bf16', 1),
  native('onednn', 'bf16', 2),
  native('openblas', 'fp32', 1),
  native('openblas', 'fp32', 2),
];

/** Whether the addon can run an option here, or why not (reported in place of its timings). */
function unavailable(option: KernelOption, blas: NativeBlas | null): string | null {
  if (option.env.MBRL_KERNELS === 'wasm') return null;
  if (blas === null) return 'the native kernels are not built';
  const library = option.env.MBRL_PRODUCTS as ProductLibrary;
  if (!blas.libraries().split(',').includes(library)) return `the addon is built without ${library}`;
  if (option.env.BENCH_PRECISION === 'bf16' && !blas.bf16Available()) {
    return `oneDNN has no bf16 kernels for this CPU (${blas.config()})`;
  }
  return null;
}

interface AlmTiming {
  msPerUpdate: number;
  cpuMsPerUpdate: number;
  gflopPerUpdate: number;
  gflopPerSecond: number;
  updates: number;
  warmupUpdates: number;
  /** Native options: the update's own products run back to back through the addon (no tfjs). */
  productsAloneMs?: number;
  /** Native options: the update's FLOPs at the rate of a 2048^3 product on the same threads. */
  productFloorMs?: number;
  largeProductGflopPerSecond?: number;
}

/** In a child process: time ALM at both sizes with the kernels its environment selects. */
async function childMain(): Promise<void> {
  const precision = (process.env.BENCH_PRECISION ?? 'fp32') as Precision;
  const backend = await initBackend('wasm', { logger: () => {}, precision });
  const result: Record<string, AlmTiming | string | number | null> = {
    kernels: backend.kernels ?? 'none',
    blasThreads: backend.blas?.threads ?? null,
    products: backend.blas === null ? 'wasm' : `${backend.blas.config}, ${backend.blas.precision}`,
  };
  const sizes = envSubset('BENCH_SIZES', Object.keys(SIZES));
  for (const [task, [obs, act]] of Object.entries(SIZES)) {
    if (sizes !== undefined && !sizes.includes(task)) continue;
    const agent = makeAlmAgent(obs, act);
    const warmupEnd = performance.now() + 1000 * WARMUP_SECONDS;
    let step = 0;
    while (step < WARMUP_UPDATES && (step < 2 || performance.now() < warmupEnd)) agent.update(step++);
    const warmup = step;
    const products = recordProducts(() => agent.update(step++));
    const flops = productFlops(products);
    const wall: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < UPDATES; i++) {
      const cpuStart = process.cpuUsage();
      const start = performance.now();
      agent.update(step++);
      wall.push(performance.now() - start);
      const used = process.cpuUsage(cpuStart);
      cpu.push((used.user + used.system) / 1000);
    }
    agent.dispose();
    const ms = median(wall);
    const timing: AlmTiming = {
      msPerUpdate: Number(ms.toFixed(1)),
      cpuMsPerUpdate: Number(median(cpu).toFixed(1)),
      gflopPerUpdate: Number((flops / 1e9).toFixed(2)),
      gflopPerSecond: Number((flops / 1e6 / ms).toFixed(1)),
      updates: UPDATES,
      warmupUpdates: warmup,
    };
    // Right after the updates, the machine's product speed on the same threads: how much of the
    // update is its products at that speed, and what a product as large as 2048^3 reaches.
    const native = backend.kernels === 'blas' ? loadBlas().blas : null;
    if (native !== null) {
      const alone = productsAlone(native, products);
      timing.productsAloneMs = alone.productsAloneMs;
      timing.largeProductGflopPerSecond = alone.largeProductGflopPerSecond;
      timing.productFloorMs = Number((flops / 1e6 / alone.largeProductGflopPerSecond).toFixed(1));
    }
    result[task] = timing;
  }
  process.send?.(result);
}

type ChildResult = Record<string, AlmTiming | string | number | null>;

/** Per task size, the median over repeated runs of each timing field (ms, GFLOP/s, ...). */
function repeatMedians(runs: readonly ChildResult[]): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const task of Object.keys(SIZES)) {
    const timings = runs
      .map((run) => run[task])
      .filter((t): t is AlmTiming => typeof t === 'object' && t !== null);
    if (timings.length === 0) continue;
    const fields = Object.keys(timings[0]) as Array<keyof AlmTiming>;
    out[task] = Object.fromEntries(
      fields.map((field) => [field, Number(median(timings.map((t) => Number(t[field]))).toFixed(1))]),
    );
  }
  return out;
}

function runChild(option: KernelOption): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ['--child'], {
      env: { ...process.env, ...option.env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let message: unknown;
    child.on('message', (m) => (message = m));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 && message !== undefined
        ? resolve(message)
        : reject(new Error(`${option.name}: exit ${code}`)),
    );
  });
}

/** Random-action steps per second of HalfCheetah-v4 (resets included), one thread. */
async function envStepsPerSecond(seconds = 2): Promise<number> {
  const env = await makeEnv('HalfCheetah-v4');
  const rng = new Rng(0);
  const pool = Array.from({ length: 1024 }, () => env.actionSpace.sample(rng));
  env.reset({ seed: 0 });
  let steps = 0;
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) {
    for (let t = 0; t < 1000; t++, steps++) {
      const s = env.step(pool[steps & 1023]);
      if (s.terminated || s.truncated) env.reset();
    }
  }
  const elapsed = performance.now() - start;
  env.close();
  return Math.round((steps / elapsed) * 1000);
}

/** Median milliseconds of one 512^3 product on 1 and on 2 of the addon's threads (10 per timing). */
function sgemm512Ms(blas: NativeBlas): Record<string, number> {
  const before = blas.threads();
  const run = productMix(blas, [
    { batch: 1, m: 512, n: 512, k: 512, transposeA: false, transposeB: false, calls: 10 },
  ]);
  const out: Record<string, number> = {};
  for (const threads of [1, 2]) {
    blas.setThreads(threads);
    run();
    out[`threads${threads}`] = Number((median(Array.from({ length: 7 }, run)) / 10).toFixed(3));
  }
  blas.setThreads(before);
  return out;
}

/**
 * The machine's product speed in this run: one 512^3 product per product library (and, where this
 * CPU has them, oneDNN's bf16 kernels), with the implementation oneDNN picked.
 */
function machineProducts(blas: NativeBlas): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { library, precision } of productSettings(blas)) {
    out[`${library}-${precision}`] = withProducts(blas, library, precision, () => ({
      sgemm512Ms: sgemm512Ms(blas),
      config: blas.config(),
      ...(library === 'onednn' ? { implementation: blas.implementation() } : {}),
    }));
  }
  return out;
}

/** Median milliseconds of the update's two replay draws at the paper's batch and K. */
function replaySamplingMs(obs: number, act: number): { sequencesMs: number; transitionsMs: number } {
  const replay = filledReplay(obs, act);
  const rng = new Rng(3);
  const time = (f: () => void) => {
    for (let i = 0; i < 5; i++) f();
    const times: number[] = [];
    for (let i = 0; i < 50; i++) {
      const start = performance.now();
      f();
      times.push(performance.now() - start);
    }
    return Number(median(times).toFixed(3));
  };
  return {
    sequencesMs: time(() => replay.sampleSequences(3, 512, rng)),
    transitionsMs: time(() => replay.sampleTransitions(512, rng)),
  };
}

async function main(): Promise<void> {
  const load = loadBlas();
  const wanted = envSubset(
    'BENCH_OPTIONS',
    OPTIONS.map((o) => o.name),
  );
  const options = OPTIONS.filter((o) => wanted === undefined || wanted.includes(o.name));
  const loadBefore = os.loadavg()[0];
  const alm: Record<string, unknown> = {};
  for (const option of options) {
    const reason = unavailable(option, load.blas);
    if (reason !== null) {
      alm[option.name] = { unavailable: reason };
      continue;
    }
    if (REPEATS === 1) {
      alm[option.name] = await runChild(option);
      continue;
    }
    // Several processes one after another: the spread says how much the machine drifted.
    const runs: ChildResult[] = [];
    for (let r = 0; r < REPEATS; r++) runs.push((await runChild(option)) as ChildResult);
    alm[option.name] = { repeats: REPEATS, medians: repeatMedians(runs), runs };
  }
  const report = {
    benchmark: 'mbrl-ts speed: ALM update (paper preset) per kernel option, env steps, replay sampling',
    node: process.version,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    loadAverage: { before: loadBefore, after: os.loadavg()[0] },
    nativeKernels:
      load.blas === null
        ? `not in use: ${load.reason}`
        : { libraries: load.blas.libraries(), bf16: load.blas.bf16Available() },
    machine: load.blas === null ? null : machineProducts(load.blas),
    alm: {
      preset: 'paper (Table 3: batch 512, K 3, latent 50, hidden 512, model hidden 1024)',
      sizes: { halfCheetah: SIZES.halfCheetah, humanoid: SIZES.humanoid },
      ...alm,
    },
    envStepsPerSecond: { 'HalfCheetah-v4': await envStepsPerSecond() },
    replaySamplingMs: {
      halfCheetah: replaySamplingMs(...SIZES.halfCheetah),
      humanoid: replaySamplingMs(...SIZES.humanoid),
    },
  };
  console.log(JSON.stringify(report, null, 2));
}

if (process.argv.includes('--child')) await childMain();
else await main();
