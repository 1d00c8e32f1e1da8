/**
 * End to end on a tiny real grid: `ablations --sets td3` on Pendulum-v1 trains ALM(3), ALM-TD3 and
 * TD3 through the real bins (small networks, 150 steps), writes the set's table and figure, and
 * skips the finished runs on a second call. `bias` and `rollout` then run on the grid's real
 * checkpoints: ALM (Q and lower bound; rollout) and TD3 (Q only; rollout refused).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { runRepro } from '../src/cli';
import { runConfig } from './synthetic';

const bin = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'mbrl-repro.js');
const SMALL = [
  'warmupSteps=100',
  'evalEvery=50',
  'evalEpisodes=1',
  'checkpointEvery=150',
  'batchSize=32',
  'hiddenSize=32',
];

function spawnRepro(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += String(d)));
  child.stderr.on('data', (d) => (stderr += String(d)));
  return new Promise((done) => child.on('close', (code) => done({ code, stdout, stderr })));
}

/** In-process, for the analyses (they load tfjs once for the whole file). */
async function repro(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += String(d)));
  stderr.on('data', (d) => (err += String(d)));
  const code = await runRepro(args, { stdout, stderr });
  return { code, stdout: out, stderr: err };
}

const out = mkdtempSync(join(tmpdir(), 'repro-ablations-'));
const args = [
  'ablations',
  '--env',
  'Pendulum-v1',
  '--sets',
  'td3',
  '--seeds',
  '1',
  '--steps',
  '150',
  '--preset',
  'quick',
  '--parallel',
  '2',
  '--out',
  out,
  ...SMALL.flatMap((kv) => ['--set', kv]),
];
const runDir = (variant: string) => join(out, 'Pendulum-v1', variant, 'seed0');

it('trains the variants of a set and writes its table and figure; a second call skips them', async () => {
  const first = await spawnRepro(args);
  expect(first.stderr).toBe('');
  expect(first.code).toBe(0);
  expect(first.stdout).toContain('3 variant(s) x 1 seed(s) = 3 runs of 150 steps');
  expect(first.stdout).toContain('ablations: 3 runs: 3 succeeded');

  const alm = JSON.parse(readFileSync(join(runDir('alm'), 'config.json'), 'utf8'));
  const almTd3 = JSON.parse(readFileSync(join(runDir('alm-td3'), 'config.json'), 'utf8'));
  const td3 = JSON.parse(readFileSync(join(runDir('td3'), 'config.json'), 'utf8'));
  expect([alm.algo, alm.preset, alm.agent.horizon, alm.agent.actorLoss, alm.agent.hiddenSize]).toEqual([
    'alm',
    'quick',
    3,
    'svg',
    32,
  ]);
  expect([almTd3.algo, almTd3.agent.actorLoss, almTd3.trainer.warmupSteps]).toEqual(['alm', 'td3', 100]);
  expect([td3.algo, td3.agent.hiddenSize]).toEqual(['td3', 32]);

  const report = join(out, 'report', 'Pendulum-v1');
  const md = readFileSync(join(report, 'ablations.md'), 'utf8');
  for (const label of ['ALM(3)', 'ALM-TD3', 'TD3'])
    expect(md).toMatch(
      new RegExp(
        `\\| ${label.replace(/[()]/g, '\\$&')} \\| (\\*\\*)?-?\\d+(\\.\\d+)?(\\*\\*)? \\| 1 \\| 150 \\|`,
      ),
    );
  expect(md).toContain("the paper's Figure 5c / 10c");
  expect(md).toContain('## Wall-clock time per environment step');
  expect(existsSync(join(report, 'figures', 'ablation-td3.svg'))).toBe(true);
  expect(
    readFileSync(join(report, 'figures', 'ablation-td3.png'))
      .subarray(1, 4)
      .toString(),
  ).toBe('PNG');
  const summary = JSON.parse(readFileSync(join(report, 'summary.json'), 'utf8'));
  expect(summary.sets[0].rows.map((r: { variant: string; n: number }) => [r.variant, r.n])).toEqual([
    ['alm', 1],
    ['alm-td3', 1],
    ['td3', 1],
  ]);
  // the table's number is the run's last evaluation
  const lastEval = Number(
    readFileSync(join(runDir('td3'), 'evaluations.csv'), 'utf8')
      .trim()
      .split('\n')
      .at(-1)!
      .split(',')[2],
  );
  expect(summary.sets[0].rows[2].mean).toBeCloseTo(lastEval, 9);

  const second = await spawnRepro(args);
  expect(second.code).toBe(0);
  expect(second.stdout).toContain('ablations: 3 runs: 3 skipped');

  // --report-only trains nothing and takes what was asked from grid.json, not from the flags' defaults
  const only = await repro([
    'ablations',
    '--env',
    'Pendulum-v1',
    '--sets',
    'td3',
    '--out',
    out,
    '--report-only',
  ]);
  expect(only.code).toBe(0);
  expect(only.stdout).toContain('(asked: 150 steps, 1 seed(s))');
  expect(readFileSync(join(report, 'ablations.md'), 'utf8')).not.toContain('- ⚠');
}, 150_000);

it('refuses a run that sits under a variant it is not', async () => {
  const dir = join(out, 'Pendulum-v1', 'alm-no-kl', 'seed0');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'config.json'),
    JSON.stringify({ ...runConfig('Pendulum-v1', 'alm', 0), agent: { klCoefficient: 1, horizon: 3 } }),
  );
  writeFileSync(join(dir, 'evaluations.csv'), 'step,episodes,return_mean,return_std,length_mean,wall_s\n');
  try {
    const result = await repro(['ablations', '--env', 'Pendulum-v1', '--out', out, '--report-only']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `${dir}: is not a run of the variant ALM(3) no KL term: its config.json has klCoefficient=1, the variant needs 0`,
    );
  } finally {
    const { rmSync } = await import('node:fs');
    rmSync(join(out, 'Pendulum-v1', 'alm-no-kl'), { recursive: true });
  }
});

it('bias on the ALM run: Q and the lower bound against Monte Carlo returns, reproducibly', async () => {
  const dir = runDir('alm');
  const first = await repro([
    'bias',
    '--run',
    dir,
    '--states',
    '250',
    '--cutoff',
    '100',
    '--out',
    join(out, 'bias-a'),
  ]);
  expect(first.stderr).toBe('');
  expect(first.code).toBe(0);
  const bias = JSON.parse(readFileSync(join(out, 'bias-a', 'bias.json'), 'utf8'));
  expect([bias.algo, bias.checkpointStep, bias.states, bias.cutoff, bias.gamma]).toEqual([
    'alm',
    150,
    250,
    100,
    0.99,
  ]);
  // Pendulum episodes last 200 steps: 100 pairs from each of 3 episodes, 50 from the third
  expect(bias.episodes.count).toBe(3);
  expect(bias.episodes.lengths).toEqual([200, 200, 200]);
  expect(Object.keys(bias.estimates)).toEqual(['q', 'lowerBound']);
  const csv = readFileSync(join(out, 'bias-a', 'bias-pairs.csv'), 'utf8')
    .trim()
    .split('\n');
  expect(csv[0]).toBe('episode,step,mc_return,q,lowerBound');
  expect(csv).toHaveLength(251);
  expect(csv[101].split(',').slice(0, 2)).toEqual(['1', '0']);
  expect(csv[250].split(',').slice(0, 2)).toEqual(['2', '49']);
  // the statistics are those of the pairs written
  const rows = csv.slice(1).map((l) => l.split(',').map(Number));
  const mc = rows.map((r) => r[2]);
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  for (const [name, column] of [
    ['q', 3],
    ['lowerBound', 4],
  ] as const) {
    const s = bias.estimates[name];
    expect(s.n).toBe(250);
    expect(s.returnMean).toBeCloseTo(mean(mc), 6);
    expect(s.biasMean).toBeCloseTo(mean(rows.map((r) => r[column] - r[2])), 4);
    expect(s.normalisedBiasMean).toBeCloseTo(s.biasMean / Math.abs(s.returnMean), 9);
  }
  // Pendulum rewards are <= 0, so every Monte Carlo return is too
  expect(Math.max(...mc)).toBeLessThanOrEqual(0);
  expect(existsSync(join(out, 'bias-a', 'bias.png'))).toBe(true);

  const again = await repro([
    'bias',
    '--run',
    dir,
    '--states',
    '250',
    '--cutoff',
    '100',
    '--out',
    join(out, 'bias-b'),
  ]);
  expect(again.code).toBe(0);
  expect(readFileSync(join(out, 'bias-b', 'bias-pairs.csv'), 'utf8')).toBe(
    readFileSync(join(out, 'bias-a', 'bias-pairs.csv'), 'utf8'),
  );
});

it('bias on the TD3 run measures Q only; rollout refuses it', async () => {
  const result = await repro(['bias', '--run', runDir('td3'), '--states', '100']);
  expect(result.code).toBe(0);
  const bias = JSON.parse(readFileSync(join(runDir('td3'), 'analysis', 'bias.json'), 'utf8'));
  expect(Object.keys(bias.estimates)).toEqual(['q']);
  expect(bias.episodes.count).toBe(1);
  const rollout = await repro(['rollout', '--run', runDir('td3')]);
  expect(rollout.code).toBe(2);
  expect(rollout.stderr).toContain('is a td3 run; rollout needs a run of alm');
});

it('bias-curve: the bias of ALM and TD3 at their checkpoints, the same numbers as bias, and its errors', async () => {
  const curveOut = join(out, 'bias-curve');
  const result = await repro([
    'bias-curve',
    '--runs',
    runDir('alm'),
    runDir('td3'),
    '--states',
    '250',
    '--cutoff',
    '100',
    '--out',
    curveOut,
  ]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const csv = readFileSync(join(curveOut, 'bias-curve.csv'), 'utf8').trim().split('\n');
  expect(csv[0]).toBe('run,estimate,step,normalised_bias_mean,normalised_bias_std,return_mean,estimate_mean');
  expect(csv.slice(1).map((l) => l.split(',').slice(0, 3))).toEqual([
    ['"ALM(3)"', 'q', '150'],
    ['"ALM(3)"', 'lowerBound', '150'],
    ['"TD3"', 'q', '150'],
  ]);
  // the ALM points are those of `bias` with the same settings (the earlier test's bias-a)
  const single = JSON.parse(readFileSync(join(out, 'bias-a', 'bias.json'), 'utf8'));
  const curve = JSON.parse(readFileSync(join(curveOut, 'bias-curve.json'), 'utf8'));
  for (const [i, name] of ['q', 'lowerBound'].entries()) {
    expect(curve.points[i].normalisedBiasMean).toBe(single.estimates[name].normalisedBiasMean);
    expect(curve.points[i].normalisedBiasStd).toBe(single.estimates[name].normalisedBiasStd);
  }
  expect(
    JSON.parse(readFileSync(join(curveOut, 'runs', '0-alm', 'step-150', 'bias.json'), 'utf8')).algo,
  ).toBe('alm');
  const td3 = JSON.parse(readFileSync(join(curveOut, 'runs', '1-td3', 'step-150', 'bias.json'), 'utf8'));
  expect(td3.algo).toBe('td3');
  expect(curve.points[2].normalisedBiasMean).toBe(td3.estimates.q.normalisedBiasMean);
  expect(existsSync(join(curveOut, 'bias-curve.png'))).toBe(true);

  const twice = await repro(['bias-curve', '--runs', runDir('td3'), runDir('td3'), '--out', curveOut]);
  expect(twice.code).toBe(2);
  expect(twice.stderr.trim()).toMatch(/^mbrl-repro: error: bias-curve: .*td3\/seed0 is given twice$/);
  const missing = await repro([
    'bias-curve',
    '--runs',
    runDir('td3'),
    '--checkpoints',
    '99',
    '--out',
    curveOut,
  ]);
  expect(missing.code).toBe(2);
  expect(missing.stderr.trim()).toMatch(/td3\/seed0: has none of the checkpoints 99 \(it has 150\)$/);
  const bad = await repro(['bias-curve', '--runs', runDir('td3'), '--checkpoints', '1e3', '--out', curveOut]);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain('--checkpoints expects comma-separated steps');
});

it('rollout on the ALM run: per-step latent errors from z_0 = e(s_0)', async () => {
  const result = await repro(['rollout', '--run', runDir('alm'), '--episodes', '2', '--horizon', '10']);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const rollout = JSON.parse(readFileSync(join(runDir('alm'), 'analysis', 'rollout.json'), 'utf8'));
  expect(rollout.latentSize).toBe(20); // the alm quick preset
  expect(rollout.perStep).toHaveLength(11);
  // the rollout starts at the encoder's latent: no error at step 0
  expect(rollout.perStep[0]).toEqual({
    step: 0,
    n: 2,
    modelMean: 0,
    modelStd: 0,
    noChangeMean: 0,
    noChangeStd: 0,
  });
  expect(rollout.perStep[10].modelMean).toBeGreaterThan(0);
  expect(rollout.perTrajectory).toHaveLength(2);
  expect(rollout.perTrajectory[0].model).toHaveLength(11);
  expect(rollout.coordinate0.encoded[0]).toBe(rollout.coordinate0.predicted[0]);
  for (const f of ['rollout.svg', 'rollout.png', 'rollout-coordinate.svg', 'rollout-coordinate.png'])
    expect(existsSync(join(runDir('alm'), 'analysis', f))).toBe(true);
});
