/**
 * Run folders that survive each other and bad places: output places checked before any work, the
 * run lock (a live holder refused, a stale one taken over, two resumes at once), starts that fail
 * leaving nothing behind, a folder without checkpoints resumed from step 0, and resume refusing
 * every setting it may not change without touching config.json. Mostly in-process; the lock's
 * concurrency cases spawn the real bin.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from './run-cli';

const bin = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'mbrl-baselines.js');

function expectOneLine(outcome: { code: number; stderr: string }, pattern: RegExp, code = 2): void {
  const lines = outcome.stderr.trimEnd().split('\n');
  expect({ code: outcome.code, lines: lines.length }).toEqual({ code, lines: 1 });
  expect(lines[0]).toMatch(/^mbrl-baselines: error: /);
  expect(lines[0]).toMatch(pattern);
}

const work = mkdtempSync(join(tmpdir(), 'baselines-safety-'));
const tiny = [
  'warmupSteps=10',
  'batchSize=8',
  'hiddenSize=8',
  'checkpointEvery=20',
  'evalEvery=40',
  'evalEpisodes=1',
];
const trainArgs = (out: string, steps = 40) => [
  ...['train', '--algo', 'sac', '--env', 'Pendulum-v1', '--steps', String(steps), '--seed', '2'],
  ...['--backend', 'wasm', '--plain', '--out', out, ...tiny.flatMap((kv) => ['--set', kv])],
];

describe('output places are checked before any work starts', () => {
  const file = join(work, 'a-file');
  writeFileSync(file, 'x');
  it.each([
    ['an empty --out', '', /--out is empty; name a directory for the run/],
    ['a file', file, /--out .*a-file is a file, not a directory/],
    ['a path below a file', join(file, 'run'), /--out .*a-file\/run is below .*a-file, which is a file/],
    [
      'a path in /proc',
      '/proc/x',
      /--out \/proc\/x is on the kernel's proc file system, which cannot hold a run/,
    ],
    ['a path in /sys', '/sys/kernel/x', /--out \/sys\/kernel\/x is on the kernel's sys(fs)? file system/],
  ])('%s', async (_name, out, pattern) => {
    expectOneLine(await run(...trainArgs(out)), pattern);
  });

  const readOnly = join(work, 'read-only');
  mkdirSync(readOnly);
  chmodSync(readOnly, 0o555);
  const rootIgnoresModes = process.getuid?.() === 0;
  if (rootIgnoresModes)
    console.log('run-safety: running as root, which may write a mode-555 directory; that case is skipped');
  (rootIgnoresModes ? it.skip : it)('a directory without write permission', async () => {
    expectOneLine(await run(...trainArgs(join(readOnly, 'run'))), /read-only is not writable \(EACCES\)/);
  });
});

describe('failed starts leave a usable place', () => {
  it('a backend that is not installed: exit 2 and no run folder', async () => {
    const out = join(work, 'no-backend', 'run');
    const outcome = await run(...trainArgs(out).map((a) => (a === 'wasm' ? 'tensorflow' : a)));
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toMatch(/tensorflow/);
    expect(existsSync(join(work, 'no-backend'))).toBe(false);
  });

  it('a warm-up too short for the batch: exit 2, nothing left, and the same --out then works', async () => {
    const out = join(work, 'short-warmup');
    const bad = trainArgs(out).map((a) => (a === 'warmupSteps=10' ? 'warmupSteps=2' : a));
    expectOneLine(await run(...bad), /warmupSteps 2 is too short for sac/);
    expect(existsSync(out)).toBe(false);
    expect((await run(...trainArgs(out, 20))).code).toBe(0);
  }, 60_000);

  it('a folder that stopped before its first checkpoint resumes from step 0 with its recorded config', async () => {
    const out = join(work, 'no-checkpoint');
    expect((await run(...trainArgs(out, 20))).code).toBe(0);
    const reference = readFileSync(join(out, 'checkpoints', 'checkpoint-20', 'agent', 'parameters.bin'));
    rmSync(join(out, 'checkpoints'), { recursive: true });
    writeFileSync(join(out, 'metrics.jsonl'), '{"step":10,"critic_loss":1}\n{"step":20,"cri');
    const again = await run('train', '--resume', out, '--plain');
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/has no checkpoint yet: starting it again from step 0/);
    expect(again.stdout).toContain('finished 20 steps');
    const after = readFileSync(join(out, 'checkpoints', 'checkpoint-20', 'agent', 'parameters.bin'));
    expect(after.equals(reference)).toBe(true);
    expect(readFileSync(join(out, 'metrics.jsonl'), 'utf8')).not.toContain('"step":10,"critic_loss":1}');
  }, 60_000);
});

describe('resume changes only what it may, and records it', () => {
  let runDir: string;
  beforeAll(async () => {
    runDir = join(work, 'resumable');
    expect((await run(...trainArgs(runDir, 40))).code).toBe(0);
  }, 60_000);

  it.each([
    [['--seed', '3'], /--seed cannot change a run being resumed/],
    [['--preset', 'quick'], /--preset cannot change a run being resumed/],
    [['--config', '/dev/null'], /--config cannot change a run being resumed/],
    [['--out', '/tmp/x'], /--out cannot change a run being resumed/],
    [
      ['--set', 'batchSize=16'],
      /--set batchSize cannot change a run being resumed \(a resume may change evalEvery, evalEpisodes, logEvery, checkpointEvery and --steps, --backend\)/,
    ],
    [['--set', 'learningRat=1'], /--set learningRat cannot change a run being resumed/],
    [['--set', '__proto__=1'], /--set __proto__ cannot change a run being resumed/],
    [['--set', 'evalEvery=1e3'], /--set evalEvery: "evalEvery" must be an integer in decimal digits/],
    [
      ['--steps', '30'],
      /the run is at step 40 \(checkpoint .*checkpoint-40\); --steps must be above it, got 30/,
    ],
  ])(
    '%j is refused and config.json is untouched',
    async (extra, pattern) => {
      const before = readFileSync(join(runDir, 'config.json'), 'utf8');
      expectOneLine(await run('train', '--resume', runDir, '--plain', ...extra), pattern);
      expect(readFileSync(join(runDir, 'config.json'), 'utf8')).toBe(before);
      expect(existsSync(join(runDir, 'run.lock'))).toBe(false);
    },
    60_000,
  );

  it('fixed settings given again with their recorded values are no change', async () => {
    const dir = join(work, 'resumable-same');
    cpSync(runDir, dir, { recursive: true });
    const before = readFileSync(join(dir, 'config.json'), 'utf8');
    const resumed = await run(
      ...['train', '--resume', dir, '--plain', '--seed', '2', '--preset', 'paper'],
      ...['--set', 'batchSize=8', '--set', 'warmupSteps=10', '--algo', 'sac', '--env', 'Pendulum-v1'],
    );
    expect(resumed).toMatchObject({ code: 0, stderr: '' });
    expect(readFileSync(join(dir, 'config.json'), 'utf8')).toBe(before);
  }, 60_000);

  it('a longer run with another evaluation cadence and backend is recorded with its step', async () => {
    const dir = join(work, 'resumable-copy');
    cpSync(runDir, dir, { recursive: true });
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    expect(config).toMatchObject({ backend: 'wasm', backendUsed: 'wasm' });
    const resumed = await run(
      'train',
      '--resume',
      dir,
      '--steps',
      '60',
      '--set',
      'evalEvery=30',
      '--backend',
      'cpu',
      '--plain',
    );
    expect(resumed.code).toBe(0);
    const after = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    expect(after.trainer).toMatchObject({ totalSteps: 60, evalEvery: 30 });
    // the replay was capped at the old length (40); the longer run's is 60
    expect(after).toMatchObject({ backend: 'cpu', backendUsed: 'cpu', replayCapacity: 60 });
    expect(after.resumes).toEqual([
      {
        step: 40,
        changed: {
          totalSteps: { from: 40, to: 60 },
          evalEvery: { from: 40, to: 30 },
          backend: { from: 'wasm', to: 'cpu' },
          replayCapacity: { from: 40, to: 60 },
        },
      },
    ]);
    const evalSteps = readFileSync(join(dir, 'evaluations.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => Number(l.split(',')[0]));
    expect(evalSteps).toEqual([40, 60]);
  }, 60_000);
});

describe('the run lock', () => {
  let runDir: string;
  beforeAll(async () => {
    runDir = join(work, 'locked');
    expect((await run(...trainArgs(runDir, 20))).code).toBe(0);
  }, 60_000);

  it('a lock held by a live process refuses train --resume and train --out, naming the holder', async () => {
    const holder = spawn('sleep', ['30']);
    try {
      const lock = { pid: holder.pid, host: hostname(), startedAt: '2026-01-01T00:00:00.000Z' };
      writeFileSync(join(runDir, 'run.lock'), JSON.stringify(lock));
      const pattern = new RegExp(
        `is in use by process ${holder.pid} on ${hostname()} \\(since 2026-01-01T00:00:00.000Z\\)`,
      );
      expectOneLine(await run('train', '--resume', runDir, '--steps', '30', '--plain'), pattern);
      const fresh = join(work, 'locked-fresh');
      mkdirSync(fresh);
      writeFileSync(join(fresh, 'run.lock'), JSON.stringify(lock));
      expectOneLine(await run(...trainArgs(fresh)), pattern);
      expect(existsSync(join(fresh, 'config.json'))).toBe(false);
      expect(JSON.parse(readFileSync(join(runDir, 'run.lock'), 'utf8'))).toEqual(lock);
    } finally {
      holder.kill('SIGKILL');
      rmSync(join(runDir, 'run.lock'), { force: true });
    }
  }, 60_000);

  it('a stale lock of a dead process on this host is taken over with a warning', async () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    writeFileSync(
      join(runDir, 'run.lock'),
      JSON.stringify({ pid: Number(String(dead.stdout)), host: hostname(), startedAt: 'then' }),
    );
    const resumed = await run('train', '--resume', runDir, '--steps', '30', '--plain');
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toMatch(
      /^mbrl-baselines: warning: taking over the lock of .*locked from process \d+ .*which is no longer running\n$/,
    );
    expect(existsSync(join(runDir, 'run.lock'))).toBe(false);
  }, 60_000);

  it('two resumes at once: the second is refused while the first runs, and the first finishes', async () => {
    const dir = join(work, 'twice');
    cpSync(runDir, dir, { recursive: true });
    const first = spawn(process.execPath, [bin, 'train', '--resume', dir, '--steps', '200', '--plain'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let firstOut = '';
    first.stdout.on('data', (d) => (firstOut += String(d)));
    first.stderr.on('data', (d) => (firstOut += String(d)));
    const exited = new Promise<number | null>((resolve) => first.on('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 60_000;
      while (!existsSync(join(dir, 'run.lock'))) {
        if (Date.now() > deadline) throw new Error(`the first resume never took the lock: ${firstOut}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      expectOneLine(
        await run('train', '--resume', dir, '--steps', '200', '--plain'),
        new RegExp(`is in use by process ${first.pid} on `),
      );
      expect(await exited).toBe(0);
      expect(firstOut).toContain('finished 200 steps');
    } finally {
      first.kill('SIGKILL');
    }
  }, 120_000);
});
