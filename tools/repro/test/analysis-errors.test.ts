/**
 * `bias` and `rollout` on directories that are not what they need: one stderr line naming the
 * directory and the problem, exit code 2, nothing written.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runRepro } from '../src/cli';
import { runConfig, tempGrid } from './synthetic';

async function repro(args: string[]): Promise<{ code: number; stderr: string; stdout: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += String(d)));
  stderr.on('data', (d) => (err += String(d)));
  const code = await runRepro(args, { stdout, stderr });
  return { code, stderr: err, stdout: out };
}

/** A run directory with a config.json (no checkpoint). */
function runDir(config: unknown): string {
  const dir = join(tempGrid('repro-analysis-'), 'run');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'config.json'), typeof config === 'string' ? config : JSON.stringify(config));
  return dir;
}

it.each([
  ['bias', 'a directory that does not exist', () => '/nonexistent/run', 'does not exist'],
  [
    'bias',
    'a directory without config.json (e.g. a grid)',
    () => tempGrid('repro-analysis-'),
    'has no config.json, so it is not a harness run directory',
  ],
  ['bias', 'a broken config.json', () => runDir('{ not json'), 'config.json is not valid JSON'],
  [
    'bias',
    'a config.json of something else',
    () => runDir({ name: 'x' }),
    'config.json is not an mbrl-ts run configuration',
  ],
  [
    'bias',
    'a run of an algorithm this build does not have',
    () => runDir({ ...runConfig('Pendulum-v1', 'dreamer', 0), agent: {} }),
    'is a run of "dreamer", which this build cannot load',
  ],
  [
    'rollout',
    'a SAC run',
    () => runDir(runConfig('Pendulum-v1', 'sac', 0)),
    'is a sac run; rollout needs a run of alm',
  ],
  [
    'bias',
    'a run without a checkpoint',
    () => runDir(runConfig('Pendulum-v1', 'alm', 0)),
    'has no complete checkpoint yet',
  ],
  [
    'rollout',
    'an ALM run without a checkpoint',
    () => runDir(runConfig('Pendulum-v1', 'alm', 0)),
    'has no complete checkpoint yet',
  ],
  [
    'bias',
    'a checkpoint step the run does not have',
    () => {
      const dir = runDir(runConfig('Pendulum-v1', 'alm', 0));
      mkdirSync(join(dir, 'checkpoints', 'checkpoint-100'), { recursive: true });
      writeFileSync(join(dir, 'checkpoints', 'checkpoint-100', 'COMPLETE.json'), '{"step":100}');
      return dir;
    },
    'has no complete checkpoint at step 50 (it has 100)',
    ['--checkpoint', '50'],
  ],
])(
  '%s on %s: exit 2 and one line naming the problem',
  async (command, _what, makeDir, message, extra: string[] = []) => {
    const dir = makeDir();
    const result = await repro([command, '--run', dir, ...extra]);
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('mbrl-repro: error: ');
    expect(lines[0]).toContain(message);
    expect(existsSync(join(dir, 'analysis'))).toBe(false);
  },
);

it.each([
  [['bias', '--run', 'x', '--states', '0'], '--states must be an integer >= 1'],
  [['bias', '--run', 'x', '--cutoff', 'many'], '--cutoff must be an integer >= 1'],
  [['rollout', '--run', 'x', '--horizon', '-3'], '--horizon must be an integer >= 1'],
  [['rollout'], "required option '--run <dir>' not specified"],
])('bad flags %j: exit 2', async (args, message) => {
  const result = await repro(args);
  expect(result.code).toBe(2);
  expect(result.stderr).toContain(message);
});
