/**
 * The alm command line: bad input prints one line on stderr and exits 2 (as mbrl-baselines);
 * presets and ablation keys resolve into the run's config.json; a tiny run trains, resumes the
 * saved config and evaluates. Runs the CLI in-process (the same runCli the bin calls).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { runAlm } from '../src/cli';

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

function sink(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      text += String(chunk);
      callback();
    },
  });
  return { stream, text: () => text };
}

async function run(...argv: string[]): Promise<Outcome> {
  const out = sink();
  const err = sink();
  const code = await runAlm(argv, { stdout: out.stream, stderr: err.stream });
  return { code, stdout: out.text(), stderr: err.text() };
}

const dir = mkdtempSync(join(tmpdir(), 'alm-cli-'));

function expectUsageError(outcome: Outcome, pattern: RegExp): void {
  const lines = outcome.stderr.trimEnd().split('\n');
  expect(outcome.code).toBe(2);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^alm: error: /);
  expect(lines[0]).toMatch(pattern);
}

describe('alm bad input', () => {
  it('unknown preset', async () => {
    expectUsageError(
      await run('train', '--env', 'Pendulum-v1', '--preset', 'huge'),
      /unknown preset "huge" for alm \(known: paper, quick\)/,
    );
  });

  it('unknown env', async () => {
    expectUsageError(await run('train', '--env', 'Nope-v9'), /Nope-v9/);
  });

  it('an ablation key with a wrong value', async () => {
    expectUsageError(await run('train', '--env', 'Pendulum-v1', '--set', 'actorLoss=ppo'), /actorLoss/);
    expectUsageError(
      await run('train', '--env', 'Pendulum-v1', '--set', 'horizon=11'),
      /"horizon" must be <= 10/,
    );
    expectUsageError(
      await run('train', '--env', 'Pendulum-v1', '--set', 'valueTerm=false'),
      /"valueTerm" must be one of min-q, none/,
    );
    expectUsageError(
      await run('train', '--env', 'Pendulum-v1', '--set', 'klTerm=false'),
      /unknown key "klTerm"/,
    );
  });

  it('an unknown key in a config file', async () => {
    const path = join(dir, 'bad.json');
    writeFileSync(path, JSON.stringify({ horizn: 5 }));
    expectUsageError(
      await run('train', '--env', 'Pendulum-v1', '--config', path),
      /unknown key "horizn" for alm/,
    );
  });

  it('--algo other than alm', async () => {
    expectUsageError(
      await run('train', '--algo', 'sac', '--env', 'Pendulum-v1'),
      /unknown algorithm "sac" \(known: alm\)/,
    );
  });
});

describe('alm train and eval', () => {
  it('a tiny quick-preset run with ablation keys from --set and a config file, then eval', async () => {
    const runDir = join(dir, 'run');
    const config = join(dir, 'ablations.json');
    writeFileSync(config, JSON.stringify({ classifierCoefficient: 0, horizon: 2, batchSize: 8 }));
    const trained = await run(
      'train',
      '--env',
      'Pendulum-v1',
      '--preset',
      'quick',
      '--config',
      config,
      '--set',
      'valueTerm=none',
      '--set',
      'klCoefficient=0',
      '--set',
      'hiddenSize=8',
      '--set',
      'modelHiddenSize=8',
      '--set',
      'latentSize=3',
      '--set',
      'warmupSteps=20',
      '--set',
      'checkpointEvery=30',
      '--set',
      'evalEvery=30',
      '--set',
      'evalEpisodes=1',
      '--steps',
      '30',
      '--backend',
      'wasm',
      '--plain',
      '--out',
      runDir,
    );
    expect(trained.code).toBe(0);
    const saved = JSON.parse(readFileSync(join(runDir, 'config.json'), 'utf8'));
    expect(saved).toMatchObject({
      algo: 'alm',
      preset: 'quick',
      agent: {
        valueTerm: 'none',
        klCoefficient: 0,
        classifierCoefficient: 0,
        classifierReward: 'log-odds',
        horizon: 2,
        batchSize: 8,
        hiddenSize: 8,
        learningRate: 3e-4,
      },
    });
    const evaluated = await run('eval', '--run', runDir, '--episodes', '1', '--backend', 'wasm');
    expect(evaluated.code).toBe(0);
    expect(JSON.parse(evaluated.stdout.trim().split('\n').at(-1) as string)).toMatchObject({
      checkpointStep: 30,
      episodes: 1,
    });
  }, 120_000);

  it('train --help names the presets flag; the default algorithm is alm', async () => {
    const { stdout, code } = await run('train', '--help');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: alm train/);
    expect(stdout).toContain('--preset');
    expect(stdout).toContain('(default: "alm")');
  });
});
