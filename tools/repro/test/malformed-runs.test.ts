/**
 * Malformed or foreign run directories: `mbrl-repro report` names the directory and the problem on
 * one stderr line and exits with code 2.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runRepro } from '../src/cli';
import { runConfig, tempGrid, writeRun } from './synthetic';

async function report(runs: string): Promise<{ code: number; stderr: string; stdout: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += String(d)));
  stderr.on('data', (d) => (err += String(d)));
  const code = await runRepro(['report', '--runs', runs], { stdout, stderr });
  return { code, stderr: err, stdout: out };
}

/** A grid with one good run and `spoil` applied to a second run's directory. */
async function reportWith(spoil: (dir: string, root: string) => void) {
  const root = tempGrid('repro-malformed-');
  writeRun(root, { env: 'Pendulum-v1', algo: 'sac', seed: 0, evals: [[1000, -200, 10]] });
  const dir = writeRun(root, { env: 'Pendulum-v1', algo: 'sac', seed: 1, evals: [[1000, -300, 10]] });
  spoil(dir, root);
  return { dir, ...(await report(root)) };
}

const EVAL_HEADER = 'step,episodes,return_mean,return_std,length_mean,wall_s';

it.each([
  [
    'no config.json',
    (dir: string) => rmSync(join(dir, 'config.json')),
    'has no config.json, so it is not a harness run directory',
  ],
  [
    'broken config.json',
    (dir: string) => writeFileSync(join(dir, 'config.json'), '{ nope'),
    'config.json is not valid JSON',
  ],
  [
    'a foreign config.json',
    (dir: string) => writeFileSync(join(dir, 'config.json'), '{"model": "resnet"}'),
    'config.json is not an mbrl-ts run configuration',
  ],
  [
    'a run of another task',
    (dir: string) =>
      writeFileSync(join(dir, 'config.json'), JSON.stringify(runConfig('Hopper-v4', 'sac', 1))),
    'is a run on Hopper-v4, but it sits under the task directory Pendulum-v1',
  ],
  [
    'a run of another algorithm',
    (dir: string) =>
      writeFileSync(join(dir, 'config.json'), JSON.stringify(runConfig('Pendulum-v1', 'td3', 1))),
    'is a td3 run, but it sits under the algorithm directory sac',
  ],
  [
    'a run of another seed',
    (dir: string) =>
      writeFileSync(join(dir, 'config.json'), JSON.stringify(runConfig('Pendulum-v1', 'sac', 7))),
    'has seed 7 in config.json, but its directory says seed1',
  ],
  ['no evaluations.csv', (dir: string) => rmSync(join(dir, 'evaluations.csv')), 'has no evaluations.csv'],
  [
    'another header',
    (dir: string) => writeFileSync(join(dir, 'evaluations.csv'), 'step,return\n1000,-3\n'),
    'evaluations.csv has header "step,return"',
  ],
  [
    'a cell that is not a number',
    (dir: string) => writeFileSync(join(dir, 'evaluations.csv'), `${EVAL_HEADER}\n1000,2,abc,1,200,3\n`),
    'evaluations.csv line 2 is not 6 finite numbers',
  ],
  [
    'steps that go back',
    (dir: string) =>
      writeFileSync(join(dir, 'evaluations.csv'), `${EVAL_HEADER}\n1000,2,-1,1,200,3\n500,2,-1,1,200,4\n`),
    'evaluations.csv line 3: step 500 is not an integer after step 1000',
  ],
])('%s -> exit 2 naming the directory', async (_what, spoil, problem) => {
  const { code, stderr, dir } = await reportWith(spoil);
  expect(code).toBe(2);
  expect(stderr.trim().split('\n')).toEqual([
    expect.stringContaining(`mbrl-repro: error: ${dir}: ${problem}`),
  ]);
});

it('a directory that is not a seed directory -> exit 2 naming it', async () => {
  const { code, stderr } = await reportWith((_dir, root) =>
    mkdirSync(join(root, 'Pendulum-v1', 'sac', 'old-runs')),
  );
  expect(code).toBe(2);
  expect(stderr).toContain(
    `${join('Pendulum-v1', 'sac', 'old-runs')}: is not a seed directory (expected <runs>/<env>/<algo>/seed<k>/)`,
  );
});

it('a single run directory instead of a grid -> exit 2 saying what --runs expects', async () => {
  const root = tempGrid('repro-malformed-');
  const dir = writeRun(root, { env: 'Pendulum-v1', algo: 'sac', seed: 0, evals: [[1000, -200, 10]] });
  for (const runs of [dir, join(dir, '..')]) {
    const { code, stderr } = await report(runs);
    expect(code).toBe(2);
    expect(stderr).toContain('is a single run directory; --runs expects a grid');
  }
});

it('a missing or empty runs directory -> exit 2', async () => {
  const root = tempGrid('repro-malformed-');
  expect(await report(join(root, 'nowhere'))).toMatchObject({
    code: 2,
    stderr: expect.stringContaining('does not exist'),
  });
  expect(await report(root)).toMatchObject({
    code: 2,
    stderr: expect.stringContaining(`no run directories under ${root}`),
  });
});

it('a broken grid.json -> exit 2 naming it', async () => {
  const { code, stderr } = await reportWith((_dir, root) =>
    writeFileSync(join(root, 'grid.json'), '{"steps": "many"}'),
  );
  expect(code).toBe(2);
  expect(stderr).toContain('grid.json is not an mbrl-repro grid manifest');
});
