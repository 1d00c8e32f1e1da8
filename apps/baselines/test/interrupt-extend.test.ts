/**
 * SIGINT mid-training is seen at the next step (not at the next checkpoint): the run writes a
 * checkpoint where it stopped and exits 130. The run can then be resumed with a larger --steps,
 * keeping its replay capacity, and finishes; config.json records the new length. A run whose
 * replay was capped at its length grows the replay when a resume extends it, and ends bitwise
 * where a run started at the longer length ends.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'mbrl-baselines.js');

function run(args: string[], poll?: (child: ReturnType<typeof spawn>) => void) {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += String(d)));
  child.stderr.on('data', (d) => (stderr += String(d)));
  const timer = poll ? setInterval(() => poll(child), 100) : undefined;
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('exit', (code) => {
      clearInterval(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}

it('stops promptly on SIGINT with a checkpoint, then resumes to a longer run', async () => {
  const out = join(mkdtempSync(join(tmpdir(), 'baselines-int-')), 'run');
  const settings = [
    'warmupSteps=50',
    'checkpointEvery=100000',
    'evalEvery=100000',
    'logEvery=50',
    'batchSize=16',
    'hiddenSize=16',
  ];
  const common = ['--backend', 'wasm', '--plain', ...settings.flatMap((kv) => ['--set', kv])];
  let signalled = false;
  const first = await run(
    [
      'train',
      '--algo',
      'td3',
      '--env',
      'Pendulum-v1',
      '--steps',
      '100000',
      '--seed',
      '1',
      '--out',
      out,
      ...common,
    ],
    (child) => {
      // Once learning has started (metrics are being logged), interrupt.
      const metrics = join(out, 'metrics.jsonl');
      if (!signalled && existsSync(metrics) && readFileSync(metrics, 'utf8').includes('critic_loss')) {
        signalled = true;
        child.kill('SIGINT');
      }
    },
  );
  expect(first.code).toBe(130);
  expect(first.stdout).toMatch(/SIGINT: checkpoint written at step \d+/);
  const stoppedAt = Number(/checkpoint written at step (\d+)/.exec(first.stdout)![1]);
  expect(stoppedAt).toBeLessThan(100_000);
  expect(readdirSync(join(out, 'checkpoints'))).toContain(`checkpoint-${stoppedAt}`);

  const target = stoppedAt + 100;
  const second = await run([
    'train',
    '--resume',
    out,
    '--steps',
    String(target),
    '--backend',
    'wasm',
    '--plain',
  ]);
  expect(second.stderr).not.toMatch(/error/);
  expect(second.code).toBe(0);
  expect(second.stdout).toContain(`finished ${target} steps`);
  const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
  expect(config.trainer.totalSteps).toBe(target);
  expect(config.replayCapacity).toBe(100_000);
}, 240_000);

it('grows a replay capped at the run length when a resume extends the run', async () => {
  const work = mkdtempSync(join(tmpdir(), 'baselines-grow-'));
  const settings = [
    'warmupSteps=50',
    'checkpointEvery=100',
    'evalEvery=100000',
    'batchSize=16',
    'hiddenSize=16',
  ];
  const trainArgs = (out: string, steps: number) => [
    ...['train', '--algo', 'td3', '--env', 'Pendulum-v1', '--steps', String(steps), '--seed', '2'],
    ...['--out', out, '--backend', 'wasm', '--plain', ...settings.flatMap((kv) => ['--set', kv])],
  ];
  const short = join(work, 'short');
  const long = join(work, 'long');
  const [first, reference] = await Promise.all([run(trainArgs(short, 300)), run(trainArgs(long, 500))]);
  expect([first.code, reference.code]).toEqual([0, 0]);
  const config = (dir: string) => JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
  expect(config(short).replayCapacity).toBe(300);
  expect(config(long).replayCapacity).toBe(500);

  const extended = await run(['train', '--resume', short, '--steps', '500', '--backend', 'wasm', '--plain']);
  expect({ code: extended.code, stderr: extended.stderr }).toEqual({ code: 0, stderr: '' });
  expect(extended.stdout).toContain('replay capacity grows from 300 to 500 transitions for the longer run');
  expect(config(short).replayCapacity).toBe(500);
  expect(config(short).resumes).toEqual([
    { step: 300, changed: { totalSteps: { from: 300, to: 500 }, replayCapacity: { from: 300, to: 500 } } },
  ]);

  // the extended run is the longer run: same networks, optimiser states and replay, bit for bit
  const final = (dir: string) => join(dir, 'checkpoints', 'checkpoint-500');
  for (const part of ['agent', 'replay']) {
    const files = readdirSync(join(final(long), part)).sort();
    expect(readdirSync(join(final(short), part)).sort()).toEqual(files);
    for (const file of files.filter((f) => f !== 'manifest.json')) {
      const same = readFileSync(join(final(short), part, file)).equals(
        readFileSync(join(final(long), part, file)),
      );
      expect({ file, same }).toEqual({ file, same: true });
    }
  }
  const manifest = (dir: string) =>
    JSON.parse(readFileSync(join(final(dir), 'replay', 'manifest.json'), 'utf8'));
  expect(manifest(short).capacity).toBe(500);
  expect(manifest(short).cursor).toEqual(manifest(long).cursor);
}, 240_000);
