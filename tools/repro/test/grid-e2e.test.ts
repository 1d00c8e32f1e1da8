/**
 * A tiny real grid end to end through the real bins: Pendulum-v1 x {sac, td3} x 2 seeds x 300
 * steps with small networks. One run directory is planted with a broken checkpointed run: it
 * fails (reported with its exit code and last error line) while the others finish, and the runner
 * exits 1. Then: `report` on the partial grid, a rerun that skips the finished runs, a --steps the
 * runs were not created for (reported, not started), `report` on the whole grid. A second test
 * sends SIGINT to the runner mid-run: the child checkpoints and the runner exits 130; the next
 * invocation resumes it to the end.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'mbrl-repro.js');
const SMALL = [
  'warmupSteps=100',
  'evalEvery=100',
  'evalEpisodes=1',
  'checkpointEvery=150',
  'batchSize=32',
  'hiddenSize=32',
];

const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

function start(args: string[]) {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += String(d)));
  child.stderr!.on('data', (d) => (stderr += String(d)));
  const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

async function repro(args: string[]) {
  const run = start(args);
  const code = await run.exited;
  return { code, ...run.output() };
}

function lastEvaluationStep(runDir: string): number {
  const lines = readFileSync(join(runDir, 'evaluations.csv'), 'utf8').trim().split('\n');
  return Number(lines.at(-1)!.split(',')[0]);
}

function table1Args(out: string, extra: string[]): string[] {
  return [
    'table1',
    '--envs',
    'Pendulum-v1',
    '--out',
    out,
    '--parallel',
    '2',
    ...SMALL.flatMap((kv) => ['--set', kv]),
    ...extra,
  ];
}

it('runs a grid, reports a failing run without stopping the others, skips, resumes, reports', async () => {
  const out = mkdtempSync(join(tmpdir(), 'repro-grid-'));
  // td3 seed 1: a run with a complete checkpoint but a broken config.json: its resume must fail
  const broken = join(out, 'Pendulum-v1', 'td3', 'seed1');
  mkdirSync(join(broken, 'checkpoints', 'checkpoint-100'), { recursive: true });
  writeFileSync(join(broken, 'checkpoints', 'checkpoint-100', 'COMPLETE.json'), '{"step":100}');
  writeFileSync(join(broken, 'config.json'), '{ broken');

  const first = await repro(table1Args(out, ['--algos', 'sac,td3', '--seeds', '2', '--steps', '300']));
  expect(first.stdout).toContain('4 runs of 300 steps, 2 at a time');
  expect(first.stdout).toMatch(
    /\[4\/4\] Pendulum-v1\/td3\/seed1: FAILED \(exit code 2\): mbrl-baselines: error: .*config\.json is not valid JSON/,
  );
  expect(first.stdout).toContain('table1: 4 runs: 3 succeeded, 1 failed');
  expect(first.code).toBe(1);
  for (const [algo, seed] of [
    ['sac', 0],
    ['sac', 1],
    ['td3', 0],
  ] as const) {
    const dir = join(out, 'Pendulum-v1', algo, `seed${seed}`);
    expect(lastEvaluationStep(dir)).toBe(300);
    expect(readFileSync(join(dir, 'train.log'), 'utf8')).toContain('finished 300 steps');
  }
  expect(readFileSync(join(broken, 'train.log'), 'utf8')).toContain('is not valid JSON');

  // a report on the partial grid: td3 has one seed (the broken directory moved away)
  rmSync(broken, { recursive: true });
  const partial = await repro(['report', '--runs', out]);
  expect(partial.code).toBe(0);
  const md = readFileSync(join(out, 'report', 'table1.md'), 'utf8');
  expect(md).toMatch(/\| TD3 \| -?\d+(\.\d+)? \(1 seed, 300\) ⚠ \|/);
  expect(md).toContain('- Pendulum-v1 / TD3: 1 of 2 seeds');

  // the finished runs are skipped, the missing one runs
  const second = await repro(table1Args(out, ['--algos', 'sac,td3', '--seeds', '2', '--steps', '300']));
  expect(second.code).toBe(0);
  expect(second.stdout).toContain('table1: 4 runs: 3 skipped, 1 succeeded');

  // more steps than the runs were created for: reported, not started (the harness cannot extend a run)
  const third = await repro(table1Args(out, ['--algos', 'sac', '--seeds', '1', '--steps', '450']));
  expect(third.code).toBe(1);
  expect(third.stdout).toContain(
    'Pendulum-v1/sac/seed0: FAILED (not started): the run was created for 300 steps and the harness resumes a run only to the steps it was created for; use --steps 300, or another --out for 450 steps',
  );

  const report = await repro(['report', '--runs', out, '--out', join(out, 'final')]);
  expect(report.code).toBe(0);
  const summary = JSON.parse(readFileSync(join(out, 'final', 'summary.json'), 'utf8'));
  expect(summary.asked).toEqual({ steps: 450, seeds: 1, source: 'grid.json' });
  const cells = summary.table1.map((c: { algo: string; n: number; stepsMax: number; flags: string[] }) => [
    c.algo,
    c.n,
    c.stepsMax,
    c.flags.length,
  ]);
  expect(cells).toEqual([
    ['td3', 2, 300, 1],
    ['sac', 2, 300, 1],
  ]);
  expect(existsSync(join(out, 'final', 'figures', 'curves-Pendulum-v1.png'))).toBe(true);
  expect(existsSync(join(out, 'final', 'figures', 'wall-clock.svg'))).toBe(true);
}, 240_000);

it('SIGINT to the runner makes the children checkpoint; the next invocation resumes', async () => {
  const out = mkdtempSync(join(tmpdir(), 'repro-sigint-'));
  const args = table1Args(out, ['--algos', 'sac', '--seeds', '1', '--steps', '600']);
  const run = start(args);
  const log = join(out, 'Pendulum-v1', 'sac', 'seed0', 'train.log');
  const deadline = Date.now() + 90_000;
  while (!(existsSync(log) && readFileSync(log, 'utf8').includes('steps/s'))) {
    if (Date.now() > deadline) throw new Error(`the run did not start: ${JSON.stringify(run.output())}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  run.child.kill('SIGINT');
  expect(await run.exited).toBe(130);
  expect(run.output().stdout).toContain('SIGINT: asking 1 running run(s) to checkpoint and stop');
  expect(run.output().stdout).toContain('table1: 1 runs: 1 interrupted');
  expect(readFileSync(log, 'utf8')).toMatch(/SIGINT: checkpoint written at step \d+/);
  const checkpoints = readdirSync(join(out, 'Pendulum-v1', 'sac', 'seed0', 'checkpoints')).filter((n) =>
    /^checkpoint-\d+$/.test(n),
  );
  expect(checkpoints.length).toBeGreaterThan(0);

  const plan = await repro([...args, '--dry-run']);
  expect(plan.code).toBe(0);
  expect(plan.stdout).toMatch(/Pendulum-v1\/sac\/seed0: resume \(step \d+\)/);
  const again = await repro(args);
  expect(again.code).toBe(0);
  expect(again.stdout).toMatch(/Pendulum-v1\/sac\/seed0: resuming from step \d+/);
  expect(readFileSync(log, 'utf8')).toMatch(/resumed from .*checkpoint-\d+ at step \d+/);
  expect(lastEvaluationStep(join(out, 'Pendulum-v1', 'sac', 'seed0'))).toBe(600);
}, 120_000);
