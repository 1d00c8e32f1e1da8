/**
 * The benchmarks refuse bad settings with one line on stderr and exit code 2, before any work.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function runBench(script: string, env: Record<string, string>) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join('bench', script)], {
    cwd: root,
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
    ['speed.ts', { BENCH_REPEATS: 'abc' }, "bench: BENCH_REPEATS must be an integer >= 1, got 'abc'"],
    [
      'speed.ts',
      { BENCH_OPTIONS: 'wasm,blas-3' },
      "bench: BENCH_OPTIONS takes a comma-separated list of wasm, blas-1, blas-2; 'blas-3' is not one",
    ],
    ['profile-alm.ts', { PROFILE_UPDATES: '0' }, "bench: PROFILE_UPDATES must be an integer >= 1, got '0'"],
    [
      'index.ts',
      { BENCH_ONLY: 'sacc' },
      "bench: BENCH_ONLY must be one of baselines, alm, svg, mnm, got 'sacc'",
    ],
  ])(
    '%s with %j exits 2 with one line',
    (script, env, line) => {
      expect(runBench(script, env)).toEqual({ status: 2, lines: [line] });
    },
    60_000,
  );
});
