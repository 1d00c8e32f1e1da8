/**
 * Every package's benchmarks refuse bad settings (tools/bench/settings.ts) with one line on stderr
 * and exit code 2, before any work.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packages = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Runs `bench/<script>` of `pkg` (a folder of packages/) as its npm script would. */
function runBench(pkg: string, script: string, env: Record<string, string>) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join('bench', script)], {
    cwd: join(packages, pkg),
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return {
    status: result.status,
    lines: result.stderr.split('\n').filter((line) => line.startsWith('bench:')),
  };
}

describe('bench settings', () => {
  it.each([
    [
      'agents',
      'speed.ts',
      { BENCH_REPEATS: 'abc' },
      "bench: BENCH_REPEATS must be an integer >= 1, got 'abc'",
    ],
    [
      'agents',
      'speed.ts',
      { BENCH_OPTIONS: 'wasm,blas-3' },
      "bench: BENCH_OPTIONS takes a comma-separated list of wasm, onednn-1, onednn-2, onednn-bf16-1, onednn-bf16-2, openblas-1, openblas-2; 'blas-3' is not one",
    ],
    [
      'agents',
      'profile-alm.ts',
      { PROFILE_UPDATES: '0' },
      "bench: PROFILE_UPDATES must be an integer >= 1, got '0'",
    ],
    [
      'agents',
      'index.ts',
      { BENCH_ONLY: 'sacc' },
      "bench: BENCH_ONLY must be one of baselines, alm, svg, mnm, got 'sacc'",
    ],
    [
      'agents',
      'index.ts',
      { BENCH_BACKEND: 'gpu' },
      "bench: BENCH_BACKEND must be one of tensorflow-gpu, tensorflow, wasm, cpu, got 'gpu'",
    ],
    [
      'kernels',
      'products.ts',
      { BENCH_THREADS: '1,two' },
      "bench: BENCH_THREADS takes comma-separated integers >= 1, got '1,two'",
    ],
    ['kernels', 'products.ts', { BENCH_REPS: '0' }, "bench: BENCH_REPS must be an integer >= 1, got '0'"],
    ['kernels', 'index.ts', { BENCH_REPS: '2.5' }, "bench: BENCH_REPS must be an integer >= 1, got '2.5'"],
    ['kernels', 'fused.ts', { BENCH_REPS: 'x' }, "bench: BENCH_REPS must be an integer >= 1, got 'x'"],
    ['kernels', 'layer-norm.ts', { BENCH_REPS: '-1' }, "bench: BENCH_REPS must be an integer >= 1, got '-1'"],
    ['envs', 'index.ts', { BENCH_SECONDS: '0' }, "bench: BENCH_SECONDS must be an integer >= 1, got '0'"],
  ])(
    '%s bench/%s with %j exits 2 with one line',
    (pkg, script, env, line) => {
      expect(runBench(pkg, script, env)).toEqual({ status: 2, lines: [line] });
    },
    60_000,
  );
});
