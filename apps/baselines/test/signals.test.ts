/**
 * Signals reach the trainer and end in a checkpoint: SIGHUP (a closed terminal) to the bin, and
 * SIGTERM / SIGINT to the `npm run baselines` wrapper, which the root scripts `exec` so npm's
 * signal forwarding reaches node itself. The trainer is found through the pid in its run lock; it
 * must write its checkpoint, exit, and leave no process behind.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const appRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = join(appRoot, '..', '..');
const bin = join(appRoot, 'bin', 'mbrl-baselines.js');
const work = mkdtempSync(join(tmpdir(), 'baselines-signals-'));
const settings = [
  'warmupSteps=20',
  'batchSize=8',
  'hiddenSize=8',
  'checkpointEvery=100000',
  'evalEvery=100000',
  'logEvery=10',
];
const trainArgs = (out: string) => [
  ...['train', '--algo', 'td3', '--env', 'Pendulum-v1', '--steps', '100000', '--seed', '1'],
  ...['--backend', 'wasm', '--plain', '--out', out, ...settings.flatMap((kv) => ['--set', kv])],
];

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const spawned: number[] = [];
afterAll(() => {
  for (const pid of spawned) if (alive(pid)) process.kill(pid, 'SIGKILL');
});

/** Start `command`, wait until the trainer has logged metrics, send `signal` to the started process. */
async function interrupt(command: string, args: string[], out: string, signal: NodeJS.Signals) {
  const child = spawn(command, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  spawned.push(child.pid as number);
  let output = '';
  child.stdout.on('data', (d) => (output += String(d)));
  child.stderr.on('data', (d) => (output += String(d)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, sig) => resolve({ code, signal: sig })),
  );
  const deadline = Date.now() + 90_000;
  const metrics = join(out, 'metrics.jsonl');
  while (!(existsSync(metrics) && readFileSync(metrics, 'utf8').includes('critic_loss'))) {
    if (Date.now() > deadline) throw new Error(`the run never started: ${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const trainer = JSON.parse(readFileSync(join(out, 'run.lock'), 'utf8')).pid as number;
  spawned.push(trainer);
  child.kill(signal);
  const result = await exited;
  for (let i = 0; i < 100 && alive(trainer); i++) await new Promise((r) => setTimeout(r, 100));
  return { ...result, output, trainerAlive: alive(trainer), trainer };
}

it('SIGHUP to the bin writes a checkpoint and exits 130', async () => {
  const out = join(work, 'hup');
  const result = await interrupt(process.execPath, [bin, ...trainArgs(out)], out, 'SIGHUP');
  expect(result.code).toBe(130);
  const step = Number(/SIGHUP: checkpoint written at step (\d+)/.exec(result.output)?.[1]);
  expect(existsSync(join(out, 'checkpoints', `checkpoint-${step}`, 'COMPLETE.json'))).toBe(true);
  expect(existsSync(join(out, 'run.lock'))).toBe(false);
}, 120_000);

it.each(['SIGTERM'] as const)(
  '%s to the npm run wrapper reaches the trainer: checkpoint, exit, no orphan',
  async (signal) => {
    const out = join(work, `npm-${signal}`);
    const result = await interrupt('npm', ['run', '-s', 'baselines', '--', ...trainArgs(out)], out, signal);
    expect(result.trainerAlive).toBe(false);
    const step = Number(new RegExp(`${signal}: checkpoint written at step (\\d+)`).exec(result.output)?.[1]);
    expect(step).toBeGreaterThan(20);
    expect(existsSync(join(out, 'checkpoints', `checkpoint-${step}`, 'COMPLETE.json'))).toBe(true);
    expect(existsSync(join(out, 'run.lock'))).toBe(false);
  },
  120_000,
);
