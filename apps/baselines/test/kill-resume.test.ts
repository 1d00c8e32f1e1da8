/**
 * A training run killed with SIGKILL after its first checkpoint, then resumed with --resume,
 * finishes with the same total step count, a replay buffer holding every transition up to the
 * checkpoint unchanged, and no error, and ends bitwise where an uninterrupted run with the same
 * seed ends. Spawns the real bin as child processes.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadReplaySnapshot } from '@mbrl-ts/replay';

const bin = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'mbrl-baselines.js');
const TOTAL = 1500;

const children: Array<ReturnType<typeof spawn>> = [];
afterAll(() => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

function start(args: string[]) {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += String(d)));
  child.stderr.on('data', (d) => (stderr += String(d)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, exited, output: () => ({ stdout, stderr }) };
}

function completeCheckpoints(runDir: string): number[] {
  const root = join(runDir, 'checkpoints');
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((name) => /^checkpoint-\d+$/.test(name) && existsSync(join(root, name, 'COMPLETE.json')))
    .map((name) => Number(name.slice('checkpoint-'.length)))
    .sort((a, b) => a - b);
}

it('resumes a SIGKILLed run to the same total steps with the replay intact', async () => {
  const work = mkdtempSync(join(tmpdir(), 'baselines-kill-'));
  const runDir = join(work, 'run');
  const settings = [
    'warmupSteps=100',
    'checkpointEvery=100',
    'evalEvery=500',
    'evalEpisodes=1',
    'batchSize=16',
    'hiddenSize=16',
  ];
  const trainArgs = (out: string) => [
    ...['train', '--algo', 'sac', '--env', 'Pendulum-v1', '--steps', String(TOTAL), '--seed', '3'],
    ...['--backend', 'wasm', '--plain', '--out', out, ...settings.flatMap((kv) => ['--set', kv])],
  ];
  // an uninterrupted run with the same settings, for comparison
  const referenceDir = join(work, 'reference');
  const reference = start(trainArgs(referenceDir));
  const first = start(trainArgs(runDir));
  // kill -9 as soon as the first checkpoint is complete
  const deadline = Date.now() + 90_000;
  while (completeCheckpoints(runDir).length === 0) {
    if (Date.now() > deadline) throw new Error(`no checkpoint appeared: ${JSON.stringify(first.output())}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  first.child.kill('SIGKILL');
  const killed = await first.exited;
  expect(killed.signal).toBe('SIGKILL');

  // the checkpoint the resume will start from, kept aside (the resumed run prunes old ones)
  const resumeStep = completeCheckpoints(runDir).at(-1) as number;
  expect(resumeStep).toBeLessThan(TOTAL);
  const saved = join(work, 'saved');
  cpSync(join(runDir, 'checkpoints', `checkpoint-${resumeStep}`), saved, { recursive: true });

  const second = start(['train', '--resume', runDir, '--plain', '--backend', 'wasm']);
  const resumed = await second.exited;
  const { stdout, stderr } = second.output();
  expect({ code: resumed.code, stderr: stderr.split('\n').filter((l) => /error/i.test(l)) }).toEqual({
    code: 0,
    stderr: [],
  });
  expect(stdout).toContain(`resumed from`);
  expect(stdout).toContain(`finished ${TOTAL} steps`);
  expect(completeCheckpoints(runDir).at(-1)).toBe(TOTAL);
  expect((await reference.exited).code).toBe(0);

  // exact resume: the same networks, optimizer states and evaluations as the run never stopped
  const final = (dir: string, file: string) =>
    readFileSync(join(dir, 'checkpoints', `checkpoint-${TOTAL}`, 'agent', file));
  for (const file of [
    'parameters.bin',
    'actor_adam.bin',
    'critic_adam.bin',
    'alpha_adam.bin',
    'state.json',
  ]) {
    expect(final(runDir, file).equals(final(referenceDir, file))).toBe(true);
  }
  const returns = (dir: string) =>
    readFileSync(join(dir, 'evaluations.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(',').slice(0, 3).join(','));
  expect(returns(runDir)).toEqual(returns(referenceDir));
  expect(returns(runDir)).toHaveLength(TOTAL / 500);

  const before = await loadReplaySnapshot(join(saved, 'replay'));
  const after = await loadReplaySnapshot(join(runDir, 'checkpoints', `checkpoint-${TOTAL}`, 'replay'));
  expect(before.size).toBe(resumeStep);
  expect(after.size).toBe(TOTAL);
  expect(after.cursor.totalAdded).toBe(TOTAL);
  const rows = (column: Float32Array | Uint8Array, width: number) =>
    Array.from(column.subarray(0, resumeStep * width));
  const a = before.storage;
  const b = after.storage;
  expect(rows(b.observation, 3)).toEqual(rows(a.observation, 3));
  expect(rows(b.action, 1)).toEqual(rows(a.action, 1));
  expect(rows(b.reward, 1)).toEqual(rows(a.reward, 1));
  expect(rows(b.nextObservation, 3)).toEqual(rows(a.nextObservation, 3));
  expect(rows(b.terminated, 1)).toEqual(rows(a.terminated, 1));
  expect(rows(b.truncated, 1)).toEqual(rows(a.truncated, 1));
  // episodes of 200 steps: every 200th transition is a time-limit truncation, none terminates
  expect(Array.from(b.truncated.subarray(0, TOTAL)).filter((x) => x === 1)).toHaveLength(
    Math.floor(TOTAL / 200),
  );
}, 240_000);
