/**
 * The grid runner's decisions without training: which algorithms are available (from the real
 * repository and from a made-up one), the run directories, the command for new and resumed runs,
 * what a run directory's state means, the error line reported for a failed child, the manifest.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { ALGORITHMS, availableAlgorithms, selectAlgorithms } from '../src/algorithms';
import { REPO_ROOT, runRepro } from '../src/cli';
import { planGrid, readGridManifest, writeGridManifest } from '../src/grid';
import { withAlgorithmPreset } from '../src/table1-command';
import { clearUnresumableRun, inspectRun } from '../src/run-state';
import { lastErrorLine, trainArgs } from '../src/runner';
import { EVALUATION_COLUMNS } from '../src/report/read-runs';
import { EVALUATION_COLUMNS as HARNESS_EVALUATION_COLUMNS } from '@mbrl-ts/harness';

it("the report reads evaluations.csv with the harness's columns", () => {
  expect([...EVALUATION_COLUMNS]).toEqual([...HARNESS_EVALUATION_COLUMNS]);
});

function fakeRepo(bins: string[]): string {
  const root = mkdtempSync(join(tmpdir(), 'repro-repo-'));
  for (const bin of bins) {
    mkdirSync(join(root, bin, '..'), { recursive: true });
    writeFileSync(join(root, bin), '');
  }
  return root;
}

describe('available algorithms', () => {
  it('this repository offers sac and td3 through mbrl-baselines, in the paper order', () => {
    const keys = availableAlgorithms(REPO_ROOT, ['sac', 'td3']).map((a) => a.key);
    expect(keys.filter((k) => k === 'sac' || k === 'td3')).toEqual(['td3', 'sac']);
  });

  it('ALM is available once its program exists; algorithms mbrl-baselines adds later appear by name', () => {
    const repo = fakeRepo(['apps/baselines/bin/mbrl-baselines.js', 'apps/alm/bin/alm.js']);
    const available = availableAlgorithms(repo, ['sac', 'td3', 'sac-svg', 'redq']);
    expect(available.map((a) => a.key)).toEqual(['alm', 'sac-svg2', 'sac-svg3', 'td3', 'sac', 'redq']);
    expect(available.find((a) => a.key === 'alm')!.paperRow).toBe('ALM(3)');
    const svg3 = available.find((a) => a.key === 'sac-svg3')!;
    expect([svg3.paperRow, ...svg3.selectArgs]).toEqual([
      'SAC-SVG(3)',
      '--algo',
      'sac-svg',
      '--horizon',
      '3',
    ]);
    expect(available.find((a) => a.key === 'redq')!.selectArgs).toEqual(['--algo', 'redq']);
    expect(available.find((a) => a.key === 'redq')!.label).toBe('REDQ');
  });

  it('asking for an algorithm that is not available lists the available ones', () => {
    const available = availableAlgorithms(fakeRepo(['apps/baselines/bin/mbrl-baselines.js']), ['sac', 'td3']);
    expect(() => selectAlgorithms(['sac', 'alm'], available)).toThrow(
      'algorithm "alm" is not available in this build (its program apps/alm/bin/alm.js is not there); available: td3, sac',
    );
    expect(() => selectAlgorithms(['sac-svg2'], available)).toThrow(
      'algorithm "sac-svg2" is not available in this build (mbrl-baselines does not offer it yet); available: td3, sac',
    );
    expect(() => selectAlgorithms(['ppo'], available)).toThrow(
      'algorithm "ppo" is unknown; available: td3, sac',
    );
    expect(selectAlgorithms(undefined, available)).toEqual(available);
  });

  it('the CLI exits 2 with that line', async () => {
    const stderr = new PassThrough();
    let err = '';
    stderr.on('data', (d) => (err += String(d)));
    const code = await runRepro(['table1', '--algos', 'sac,not-an-algo', '--dry-run'], {
      stderr,
      stdout: new PassThrough(),
    });
    expect(code).toBe(2);
    expect(err.trim()).toMatch(
      /^mbrl-repro: error: algorithm "not-an-algo" is unknown; available: (.+, )?td3, sac(, .+)?$/,
    );
  });
});

describe('grid plan and commands', () => {
  const sac = ALGORITHMS.find((a) => a.key === 'sac')!;
  const td3 = ALGORITHMS.find((a) => a.key === 'td3')!;

  it('one run directory per (task, algorithm, seed)', () => {
    const runs = planGrid('/g', ['Hopper-v4', 'Walker2d-v4'], [td3, sac], 2);
    expect(runs.map((r) => r.dir)).toEqual([
      '/g/Hopper-v4/td3/seed0',
      '/g/Hopper-v4/td3/seed1',
      '/g/Hopper-v4/sac/seed0',
      '/g/Hopper-v4/sac/seed1',
      '/g/Walker2d-v4/td3/seed0',
      '/g/Walker2d-v4/td3/seed1',
      '/g/Walker2d-v4/sac/seed0',
      '/g/Walker2d-v4/sac/seed1',
    ]);
  });

  it('new runs get seed, out and settings; resumed runs get --resume and keep their settings', () => {
    const [run] = planGrid('/g', ['Hopper-v4'], [sac], 1);
    expect(trainArgs(run, { kind: 'fresh' }, 5000, ['--set', 'warmupSteps=100'])).toEqual([
      ...['train', '--algo', 'sac', '--env', 'Hopper-v4', '--steps', '5000', '--plain'],
      ...['--seed', '0', '--out', resolve('/g/Hopper-v4/sac/seed0'), '--set', 'warmupSteps=100'],
    ]);
    expect(trainArgs(run, { kind: 'resume', step: 1000 }, 5000, ['--set', 'warmupSteps=100'])).toEqual([
      ...['train', '--resume', resolve('/g/Hopper-v4/sac/seed0')],
      ...['--algo', 'sac', '--env', 'Hopper-v4', '--steps', '5000', '--plain'],
    ]);
  });

  it('a run directory is fresh, finished, resumable or to be restarted', () => {
    const dir = mkdtempSync(join(tmpdir(), 'repro-state-'));
    expect(inspectRun(dir, 300)).toEqual({ kind: 'fresh' });
    writeFileSync(join(dir, 'config.json'), '{}');
    writeFileSync(join(dir, 'evaluations.csv'), 'step\n');
    mkdirSync(join(dir, 'checkpoints', '.checkpoint-100.tmp-1'), { recursive: true });
    expect(inspectRun(dir, 300)).toEqual({ kind: 'restart' });
    mkdirSync(join(dir, 'checkpoints', 'checkpoint-200'));
    expect(inspectRun(dir, 300)).toEqual({ kind: 'restart' }); // not complete: no COMPLETE.json
    writeFileSync(join(dir, 'checkpoints', 'checkpoint-200', 'COMPLETE.json'), '{"step":200}');
    expect(inspectRun(dir, 300)).toEqual({ kind: 'resume', step: 200 });
    expect(inspectRun(dir, 200)).toEqual({ kind: 'finished', step: 200 });
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ trainer: { totalSteps: 300 } }));
    expect(inspectRun(dir, 300)).toEqual({ kind: 'resume', step: 200 });
    expect(inspectRun(dir, 450)).toEqual({ kind: 'mismatch', step: 200, createdFor: 300 });
    expect(inspectRun(dir, 150)).toEqual({ kind: 'finished', step: 200 });

    const stale = mkdtempSync(join(tmpdir(), 'repro-state-'));
    writeFileSync(join(stale, 'config.json'), '{}');
    writeFileSync(join(stale, 'train.log'), 'old log\n');
    mkdirSync(join(stale, 'checkpoints', '.checkpoint-100.tmp-1'), { recursive: true });
    clearUnresumableRun(stale);
    expect(inspectRun(stale, 300)).toEqual({ kind: 'fresh' });
    expect(readFileSync(join(stale, 'train.log'), 'utf8')).toBe('old log\n');
  });

  it('the reported line of a failed child is its last error line', () => {
    const stderr = [
      '@mbrl-ts/kernels: using the wasm backend',
      'mbrl-baselines: error: Asked for 256 transitions',
      '(run again with --verbose for the stack trace)',
      '',
    ];
    expect(lastErrorLine(stderr)).toBe('mbrl-baselines: error: Asked for 256 transitions');
    expect(lastErrorLine(['killed', ''])).toBe('killed');
    expect(lastErrorLine([])).toBeUndefined();
  });

  it('grid.json records the asked steps and seeds and the union of tasks and algorithms', () => {
    const out = mkdtempSync(join(tmpdir(), 'repro-manifest-'));
    writeGridManifest(out, { steps: 300, seeds: 2, envs: ['Hopper-v4'], algos: ['sac'], preset: 'paper' });
    writeGridManifest(out, {
      steps: 600,
      seeds: 3,
      envs: ['Walker2d-v4'],
      algos: ['sac', 'td3'],
      preset: 'quick',
    });
    expect(readGridManifest(out)).toEqual({
      steps: 600,
      seeds: 3,
      envs: ['Hopper-v4', 'Walker2d-v4'],
      algos: ['sac', 'td3'],
      preset: 'quick',
    });
  });
});

describe('--algo-preset', () => {
  const algos = selectAlgorithms(
    ['alm', 'sac-svg2', 'sac'],
    availableAlgorithms(fakeRepo(['apps/baselines/bin/mbrl-baselines.js', 'apps/alm/bin/alm.js']), [
      'sac',
      'sac-svg',
    ]),
  );
  const runs = planGrid('/grid', ['Pendulum-v1'], algos, 1);
  const presets = { alm: ['quick'], 'sac-svg': ['quick', 'tiny'], sac: [] };

  it('gives --preset to exactly the algorithms that offer it, after the run settings', () => {
    const withPreset = withAlgorithmPreset(runs, 'quick', presets);
    expect(withPreset.map((r) => [r.algo.key, r.settingsArgs ?? []])).toEqual([
      ['alm', ['--preset', 'quick']],
      ['sac-svg2', ['--preset', 'quick']],
      ['sac', []],
    ]);
    const args = trainArgs(withPreset[1]!, { kind: 'fresh' }, 100, ['--set', 'evalEvery=10']);
    expect(args.slice(-4)).toEqual(['--set', 'evalEvery=10', '--preset', 'quick']);
  });

  it('leaves the plan as it is without the flag, and refuses a preset no selected algorithm has', () => {
    expect(withAlgorithmPreset(runs, undefined, presets)).toEqual(runs);
    expect(() => withAlgorithmPreset(runs, 'huge', presets)).toThrow(
      'no selected algorithm has a preset "huge" (presets offered: quick, tiny)',
    );
  });
});
