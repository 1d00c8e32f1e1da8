/**
 * `plot --run DIR` on a run folder: the figure's data are the run's evaluations (mean ± std) and
 * its logged losses, read from evaluations.csv and metrics.jsonl (a torn last line passed over);
 * the command writes an SVG and a PNG; a folder that is not a run, or an unknown metric, is one
 * line and exit 2.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { runRepro } from '../src/cli';
import { chooseMetrics, readRunCurves, runPlotSpec } from '../src/report/plot-command';
import { tempGrid, writeRun } from './synthetic';

function exampleRun(): string {
  const dir = writeRun(tempGrid('repro-plot-'), {
    env: 'Pendulum-v1',
    algo: 'sac',
    seed: 3,
    evals: [
      [100, -1200, 4],
      [200, -900, 8],
      [300, -450.5, 12],
    ],
  });
  writeFileSync(
    join(dir, 'metrics.jsonl'),
    [
      '{"step":150,"critic_loss":4.5,"actor_loss":-2,"alpha":0.9}',
      '{"step":200,"train_episode_return":-1100}',
      '{"step":250,"critic_loss":2.25,"actor_loss":-3,"alpha":0.8}',
      '{"step":300,"critic_lo', // torn by a kill
    ].join('\n'),
  );
  return dir;
}

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const sink = (append: (s: string) => void) =>
    new Writable({
      write(chunk, _encoding, callback) {
        append(String(chunk));
        callback();
      },
    });
  const code = await runRepro(argv, {
    stdout: sink((s) => (stdout += s)),
    stderr: sink((s) => (stderr += s)),
  });
  return { code, stdout, stderr };
}

it('reads the evaluations and every logged series, passing over a torn line', () => {
  const curves = readRunCurves(exampleRun());
  expect({ algo: curves.algo, env: curves.env, seed: curves.seed }).toEqual({
    algo: 'sac',
    env: 'Pendulum-v1',
    seed: 3,
  });
  expect(curves.evaluations.map((e) => [e.step, e.returnMean, e.returnStd])).toEqual([
    [100, -1200, 1.5],
    [200, -900, 1.5],
    [300, -450.5, 1.5],
  ]);
  expect(curves.metrics).toEqual([
    {
      name: 'critic_loss',
      points: [
        { step: 150, value: 4.5 },
        { step: 250, value: 2.25 },
      ],
    },
    {
      name: 'actor_loss',
      points: [
        { step: 150, value: -2 },
        { step: 250, value: -3 },
      ],
    },
    {
      name: 'alpha',
      points: [
        { step: 150, value: 0.9 },
        { step: 250, value: 0.8 },
      ],
    },
    { name: 'train_episode_return', points: [{ step: 200, value: -1100 }] },
  ]);
  // default: the losses; --metrics picks any series
  expect(chooseMetrics(curves).map((m) => m.name)).toEqual(['critic_loss', 'actor_loss']);
  expect(chooseMetrics(curves, ['alpha']).map((m) => m.name)).toEqual(['alpha']);
  const spec = runPlotSpec(curves, chooseMetrics(curves)) as unknown as {
    vconcat: Array<{ data: { values: Array<Record<string, number>> } }>;
  };
  // the band is mean ± std of the evaluation episodes (std 1.5 in the synthetic csv)
  expect(spec.vconcat[0].data.values[2]).toEqual({ step: 300, mean: -450.5, lower: -452, upper: -449 });
  expect(spec.vconcat.map((panel) => panel.data.values.length)).toEqual([3, 2, 2]);
});

it('plot --run writes run.svg and run.png', async () => {
  const dir = exampleRun();
  const out = join(dir, 'figure');
  const outcome = await run('plot', '--run', dir, '--out', out);
  expect(outcome.stderr).toBe('');
  expect(outcome.code).toBe(0);
  expect(outcome.stdout).toContain('evaluation curve and critic_loss, actor_loss');
  const svg = readFileSync(join(out, 'run.svg'), 'utf8');
  expect(svg.startsWith('<svg')).toBe(true);
  expect(svg).toContain('sac on Pendulum-v1, seed 3');
  expect(svg).toContain('critic_loss');
  expect(readFileSync(join(out, 'run.png')).subarray(1, 4).toString()).toBe('PNG');
  // default place: <run>/plot
  expect((await run('plot', '--run', dir, '--metrics', 'alpha')).code).toBe(0);
  expect(existsSync(join(dir, 'plot', 'run.svg'))).toBe(true);
});

it('a folder that is not a run, or an unknown metric: one line, exit 2', async () => {
  const empty = tempGrid('repro-plot-empty-');
  const notRun = await run('plot', '--run', empty);
  expect(notRun.code).toBe(2);
  expect(notRun.stderr.trim().split('\n')).toEqual([
    `mbrl-repro: error: ${empty}: has no config.json, so it is not a harness run directory`,
  ]);
  const unknown = await run('plot', '--run', exampleRun(), '--metrics', 'kl');
  expect(unknown.code).toBe(2);
  expect(unknown.stderr).toMatch(
    /--metrics: the run logged no "kl" \(logged: critic_loss, actor_loss, alpha, train_episode_return\)/,
  );
});
