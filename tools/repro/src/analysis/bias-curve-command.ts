/**
 * `mbrl-repro bias-curve --runs DIR... --out DIR`: the bias over training of several runs on one
 * task (the paper's Figure 4: ALM, REDQ and SAC-AVG on HalfCheetah; Figure 9 on the others).
 * Every kept checkpoint of every run (or those named by --checkpoints) goes through the `bias`
 * analysis with the same settings; their `bias.json`, `bias-pairs.csv` and scatter figures go to
 * `<out>/runs/<i>-<algo>/step-<n>/` (i: the run's place in --runs), the curves to:
 *
 *   bias-curve.csv             run, estimate, step, mean and std of the normalised bias
 *   bias-curve.json            the same points and the settings
 *   bias-curve.svg|png         mean (left) and std (right) of the normalised bias against steps
 *
 * Keep checkpoints over training for a curve: `--set checkpointEvery=... --set keepCheckpoints=...`.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { algorithmEntry } from '../algorithms';
import { ReproInputError, RunDirectoryProblem } from '../errors';
import { renderFigure } from '../report/figures';
import { toJson } from '../report/format';
import { biasCommand } from './bias-command';
import { biasCurveCsv, biasCurvePoints, biasCurveSpec, type BiasAtCheckpoint } from './bias-curve';
import { readRunConfig } from './load-run';

export interface BiasCurveFlags {
  readonly runs: readonly string[];
  readonly out: string;
  readonly states: number;
  readonly cutoff: number;
  readonly seed: number;
  readonly backend: string;
  /** Steps to measure; default every kept checkpoint of each run. */
  readonly checkpoints?: readonly number[];
}

/** The labels of the runs: the algorithm's, with the folder's name where two would be the same. */
function runLabels(dirs: readonly string[], algos: readonly string[]): string[] {
  const plain = algos.map((a) => algorithmEntry(a).label);
  return plain.map((label, i) =>
    plain.filter((l) => l === label).length > 1 ? `${label} (${basename(dirs[i])})` : label,
  );
}

async function keptSteps(dir: string): Promise<number[]> {
  const { CheckpointStore } = await import('@mbrl-ts/harness');
  return new CheckpointStore(join(dir, 'checkpoints')).list().map((c) => c.step);
}

export async function biasCurveCommand(
  flags: BiasCurveFlags,
  print: (line: string) => void,
): Promise<{ files: string[] }> {
  const dirs = flags.runs.map((r) => resolve(r));
  const twice = dirs.find((d, i) => dirs.indexOf(d) !== i);
  if (twice) throw new ReproInputError(`bias-curve: ${twice} is given twice`);
  const configs = dirs.map((d) => readRunConfig(d));
  const envs = [...new Set(configs.map((c) => c.env))];
  if (envs.length > 1)
    throw new ReproInputError(
      `bias-curve: the runs are on different tasks (${envs.join(', ')}); give runs of one task`,
    );
  const plan: Array<{ dir: string; steps: number[] }> = [];
  for (const dir of dirs) {
    const kept = await keptSteps(dir);
    if (kept.length === 0)
      throw new RunDirectoryProblem(
        dir,
        'has no complete checkpoint yet (checkpoints/checkpoint-<step>/COMPLETE.json)',
      );
    const steps = flags.checkpoints ? kept.filter((s) => flags.checkpoints!.includes(s)) : kept;
    if (steps.length === 0)
      throw new RunDirectoryProblem(
        dir,
        `has none of the checkpoints ${flags.checkpoints!.join(', ')} (it has ${kept.join(', ')})`,
      );
    plan.push({ dir, steps });
  }
  const labels = runLabels(
    dirs,
    configs.map((c) => c.algo),
  );
  const out = resolve(flags.out);
  mkdirSync(out, { recursive: true });
  const measured: BiasAtCheckpoint[] = [];
  for (const [i, { dir, steps }] of plan.entries()) {
    for (const step of steps) {
      const result = await biasCommand(
        {
          run: dir,
          out: join(out, 'runs', `${i}-${configs[i].algo}`, `step-${step}`),
          states: flags.states,
          cutoff: flags.cutoff,
          seed: flags.seed,
          backend: flags.backend,
          checkpoint: step,
        },
        (line) => print(line),
      );
      measured.push({ label: labels[i], algo: result.algo, step, estimates: result.estimates });
    }
  }
  const points = biasCurvePoints(measured);
  const files: string[] = [];
  const write = (name: string, content: string | Buffer) => {
    writeFileSync(join(out, name), content);
    files.push(join(out, name));
  };
  write('bias-curve.csv', biasCurveCsv(points));
  write(
    'bias-curve.json',
    toJson({
      env: envs[0],
      states: flags.states,
      cutoff: flags.cutoff,
      seed: flags.seed,
      runs: plan.map((p, i) => ({ dir: p.dir, label: labels[i], algo: configs[i].algo, steps: p.steps })),
      points,
    }),
  );
  const figure = await renderFigure(
    biasCurveSpec(
      `Normalised bias over training on ${envs[0]}`,
      `(estimate - G) / |mean G| over ${flags.states} state-action pairs at each checkpoint; G: discounted Monte Carlo return`,
      points,
    ),
  );
  write('bias-curve.svg', figure.svg);
  write('bias-curve.png', figure.png);
  if (!existsSync(join(out, 'bias-curve.png'))) throw new Error('bias-curve: the figure was not written');
  for (const p of points.filter(
    (q) => q.step === Math.max(...points.filter((r) => r.series === q.series).map((r) => r.step)),
  ))
    print(
      `bias-curve: ${p.series} at step ${p.step}: normalised bias ${p.normalisedBiasMean.toFixed(3)} ± ${p.normalisedBiasStd.toFixed(3)} (std)`,
    );
  print(`bias-curve: wrote ${files.length} files to ${out}`);
  return { files };
}
