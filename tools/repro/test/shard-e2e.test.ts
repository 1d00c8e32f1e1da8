/**
 * Fixed grids through the real bins, without a scheduler. `--shard i/n`: two shards run at once
 * over the same grid folder (Pendulum-v1 x sac x 3 seeds x 120 steps, small networks) cover every
 * cell exactly once (each run's run.json has one start; shard 0 runs cells 0 and 2, shard 1 cell
 * 1), `status` reads done for all, and a shard run again skips. `cell`: a cell that fails for a
 * reason that is not a signal is tried again until it has failed --max-failures times (under
 * --slurm it asks its job script for a requeue, exit 75), then it is reported failed and not
 * started any more.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'mbrl-repro.js');
const SMALL = [
  'warmupSteps=100',
  'evalEvery=60',
  'evalEpisodes=1',
  'checkpointEvery=100',
  'batchSize=32',
  'hiddenSize=32',
];

function repro(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += String(d)));
  child.stderr.on('data', (d) => (stderr += String(d)));
  return new Promise((done) => child.on('close', (code) => done({ code, stdout, stderr })));
}

const grid = (out: string, extra: string[]) => [
  ...['table1', '--envs', 'Pendulum-v1', '--algos', 'sac', '--seeds', '3', '--steps', '120', '--out', out],
  ...SMALL.flatMap((kv) => ['--set', kv]),
  ...extra,
];

it('two shards over one grid folder run every cell exactly once', async () => {
  const out = mkdtempSync(join(tmpdir(), 'repro-shards-'));
  const [zero, one] = await Promise.all([
    repro(grid(out, ['--shard', '0/2', '--parallel', '1'])),
    repro(grid(out, ['--shard', '1/2', '--parallel', '1'])),
  ]);
  expect([zero.stderr, one.stderr]).toEqual(['', '']);
  expect([zero.code, one.code]).toEqual([0, 0]);
  expect(zero.stdout).toContain('table1: shard 0/2: cell(s) 0, 2 of 3');
  expect(one.stdout).toContain('table1: shard 1/2: cell(s) 1 of 3');
  expect(zero.stdout).toContain('[cell 0] Pendulum-v1/sac/seed0: done in');
  expect(zero.stdout).toContain('[cell 2] Pendulum-v1/sac/seed2: done in');
  expect(one.stdout).toContain('[cell 1] Pendulum-v1/sac/seed1: done in');
  for (const seed of [0, 1, 2]) {
    const starts = JSON.parse(
      readFileSync(join(out, 'Pendulum-v1', 'sac', `seed${seed}`, 'run.json'), 'utf8'),
    ).starts;
    expect(starts.map((s: { step: number }) => s.step)).toEqual([0]);
  }
  const status = await repro(['status', '--grid', out]);
  expect(status.code).toBe(0);
  expect(status.stdout).toMatch(
    /\[1\] Pendulum-v1\/sac\/seed1: done; checkpoint 120\/120 steps; last evaluation -?\d+\.\d at step 120; log /,
  );
  expect(status.stdout).toContain('status: 3 cells: 3 done');
  const again = await repro(grid(out, ['--shard', '0/2']));
  expect(again.code).toBe(0);
  expect(again.stdout).toContain('table1: 2 runs: 2 skipped');
}, 180_000);

it('a failing cell is tried again at most --max-failures times', async () => {
  const out = mkdtempSync(join(tmpdir(), 'repro-cell-failures-'));
  const written = await repro(grid(out, ['--slurm', '--dry-run', '--max-failures', '2']));
  expect(written.code).toBe(0);
  // cell 0: a checkpointed run whose config.json is broken: every resume fails (exit 2)
  const broken = join(out, 'Pendulum-v1', 'sac', 'seed0');
  mkdirSync(join(broken, 'checkpoints', 'checkpoint-100'), { recursive: true });
  writeFileSync(join(broken, 'checkpoints', 'checkpoint-100', 'COMPLETE.json'), '{"step":100}');
  writeFileSync(join(broken, 'config.json'), '{ broken');
  const cell = () => repro(['cell', '--grid', join(out, 'grid.json'), '--index', '0', '--slurm']);
  const state = () => JSON.parse(readFileSync(join(broken, 'cell.json'), 'utf8'));

  const first = await cell();
  expect(first.stdout).toContain('[cell 0] Pendulum-v1/sac/seed0: failure 1 of at most 2; it is tried again');
  expect(first.code).toBe(75);
  expect(state()).toMatchObject({ phase: 'failed', attempts: 1, failures: 1 });
  expect(state().lastFailure).toMatch(/^exit code 2: .*config\.json is not valid JSON/);

  const second = await cell();
  expect(second.stdout).toMatch(/failed 2 time\(s\); not tried again \(exit code 2: /);
  expect(second.code).toBe(1);
  expect(state()).toMatchObject({ phase: 'failed', attempts: 2, failures: 2 });

  const third = await cell();
  expect(third.stdout).toMatch(/FAILED 2 times \(the limit is 2\), not started again/);
  expect(third.code).toBe(1);
  expect(state()).toMatchObject({ attempts: 2, failures: 2 });
  const status = await repro(['status', '--grid', out]);
  expect(status.stdout).toMatch(
    /\[0\] Pendulum-v1\/sac\/seed0: failed; checkpoint 100\/120 steps; .*2 failure\(s\), last: exit code 2/,
  );
  expect(status.stdout).toContain('status: 3 cells: 1 failed, 2 pending');

  // an index the grid does not have is bad input
  const outside = await repro(['cell', '--grid', out, '--index', '3']);
  expect(outside.code).toBe(2);
  expect(outside.stderr.trim()).toMatch(
    /^mbrl-repro: error: --index 3 is out of range: .*grid\.json has 3 cells \(0 \.\. 2\)$/,
  );
}, 180_000);
