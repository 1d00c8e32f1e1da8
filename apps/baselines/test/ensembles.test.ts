/**
 * REDQ and SAC-AVG through the CLI: a tiny run trains, evaluates and checkpoints with its ensemble
 * settings in config.json; M > N is bad input (one line, exit 2). Runs the CLI in-process.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from './run-cli';

const tiny = [
  'warmupSteps=100',
  'evalEvery=200',
  'evalEpisodes=1',
  'checkpointEvery=200',
  'batchSize=16',
  'hiddenSize=16',
]
  .concat(['ensembleSize=3', 'utdRatio=2'])
  .flatMap((kv) => ['--set', kv]);

describe.each(['redq', 'sac-avg'])('mbrl-baselines train --algo %s', (algo) => {
  it('trains a tiny run to its end, with the ensemble settings recorded', async () => {
    const out = join(mkdtempSync(join(tmpdir(), `baselines-${algo}-`)), 'run');
    const args = ['train', '--algo', algo, '--env', 'Pendulum-v1', '--steps', '200', '--seed', '1'];
    const result = await run(...args, '--backend', 'wasm', '--plain', '--out', out, ...tiny);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('finished 200 steps');
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    expect(config.algo).toBe(algo);
    expect(config.agent).toMatchObject({
      ensembleSize: 3,
      utdRatio: 2,
      ...(algo === 'redq' ? { targetSubsetSize: 2 } : {}),
    });
    expect(existsSync(join(out, 'checkpoints', 'checkpoint-200', 'agent', 'critic_adam.json'))).toBe(true);
    expect(readFileSync(join(out, 'evaluations.csv'), 'utf8').trim().split('\n')).toHaveLength(2);
  }, 120_000);
});

it('mbrl-baselines train --algo mbpo trains a tiny run, retraining its model and saving its model buffer', async () => {
  const out = join(mkdtempSync(join(tmpdir(), 'baselines-mbpo-')), 'run');
  const settings = [
    ...['warmupSteps=100', 'evalEvery=200', 'evalEpisodes=1', 'checkpointEvery=200', 'batchSize=16'],
    ...['hiddenSize=16', 'ensembleSize=3', 'eliteCount=2', 'modelHiddenSize=8', 'modelHiddenLayers=1'],
    ...['rolloutBatchSize=100', 'policyUpdatesPerStep=1', 'modelTrainEvery=50', 'modelMaxEpochs=2'],
  ].flatMap((kv) => ['--set', kv]);
  const args = ['train', '--algo', 'mbpo', '--env', 'Pendulum-v1', '--steps', '200', '--seed', '1'];
  const result = await run(...args, '--backend', 'wasm', '--plain', '--out', out, ...settings);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  expect(result.stdout).toContain('finished 200 steps');
  const agentDir = join(out, 'checkpoints', 'checkpoint-200', 'agent');
  expect(existsSync(join(agentDir, 'model_adam.json'))).toBe(true);
  expect(existsSync(join(agentDir, 'model_buffer'))).toBe(true);
  const state = JSON.parse(readFileSync(join(agentDir, 'state.json'), 'utf8'));
  expect(state.extra.modelTrainings).toBe(3); // first update (step 101), then steps 150 and 200
}, 120_000);

it('refuses a subset larger than the ensemble in one line, exit 2', async () => {
  const out = join(mkdtempSync(join(tmpdir(), 'baselines-redq-bad-')), 'run');
  const result = await run(
    ...['train', '--algo', 'redq', '--env', 'Pendulum-v1', '--steps', '200', '--backend', 'wasm', '--plain'],
    ...['--out', out, '--set', 'ensembleSize=3', '--set', 'targetSubsetSize=4'],
  );
  expect(result.code).toBe(2);
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/targetSubsetSize \(M = 4\) must not exceed ensembleSize \(N = 3\)/);
});
