/**
 * `compare`: our ALM runs against the paper's released curves at equal updates, on synthetic run
 * directories with hand-computed numbers.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareRuns, readComparedRun } from '../src/compare/compare';
import { compareCommand } from '../src/compare/compare-command';
import { paperCurveFor } from '../src/compare/paper-curves';
import { RunDirectoryProblem, ReproInputError } from '../src/errors';
import { tempGrid, writeRun } from './synthetic';

const CHEETAH = 'HalfCheetah-v4';

/** An ALM HalfCheetah run with the paper's 5000 warm-up steps and the given evaluations. */
function almRun(root: string, seed: number, evals: ReadonlyArray<readonly [number, number]>): string {
  return writeRun(root, {
    env: CHEETAH,
    algo: 'alm',
    seed,
    totalSteps: 30_000,
    warmupSteps: 5000,
    evals: evals.map(([step, ret]) => [step, ret, step / 10] as const),
  });
}

describe('the paper curves', () => {
  it("hold the authors' HalfCheetah scores at 5000 and 10000 updates (mean -179 +- 75, 989 +- 644)", () => {
    const curve = paperCurveFor(CHEETAH)!.curve;
    const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(curve[0][0]).toBe(5000);
    expect(mean(curve[0][1])).toBeCloseTo(-179.22, 2);
    expect(mean(curve[1][1])).toBeCloseTo(989.12, 2);
    expect(paperCurveFor('Hopper-v4')).toBeUndefined();
  });
});

describe('compare', () => {
  it('puts our evaluations at (step - warm-up) updates beside the paper, with mean, sample std and verdict', () => {
    const root = tempGrid('repro-compare-');
    // seed 0: -200 at 10k steps (5000 updates), 1500 at 15k (10000 updates); seed 1: -100, 2100
    const a = almRun(root, 0, [
      [5000, -70],
      [10_000, -200],
      [15_000, 1500],
    ]);
    const b = almRun(root, 1, [
      [5000, -60],
      [10_000, -100],
      [15_000, 2100],
    ]);
    const [task] = compareRuns([readComparedRun(a), readComparedRun(b)]);
    expect(task.envId).toBe(CHEETAH);
    expect(task.paperTask).toBe('HalfCheetah-v2');
    // our curve in updates: the end of warm-up is update 0
    expect(task.ours.map((p) => p.step)).toEqual([0, 5000, 10_000]);
    expect(task.ours[1].mean).toBeCloseTo(-150, 10);
    expect(task.ours[1].std).toBeCloseTo(Math.SQRT2 * 50, 10); // sample std of -200, -100
    // rows: the paper's points up to ours, and one past it
    expect(task.rows.map((r) => r.updates)).toEqual([5000, 10_000, 15_000]);
    const [r5k, r10k, r15k] = task.rows;
    expect(r5k.envSteps).toBe(10_000);
    expect(r5k.paper!.mean).toBeCloseTo(-179.22, 2);
    expect(r5k.paper!.std).toBeCloseTo(74.909, 2);
    expect(r5k.verdict).toBe('inside'); // -150 within -179 +- 75
    expect(r10k.ours!.mean).toBeCloseTo(1800, 10);
    expect(r10k.verdict).toBe('above'); // 1800 > 989 + 644
    expect(r15k.ours).toBeUndefined();
    expect(r15k.verdict).toBeUndefined();
    expect(task.notes).toEqual([]);
  });

  it('says below, and notes a preset that is not the paper one and a task without a released curve', () => {
    const root = tempGrid('repro-compare-');
    const dir = almRun(root, 0, [[10_000, -400]]);
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...config, preset: 'quick' }));
    const [task] = compareRuns([readComparedRun(dir)]);
    expect(task.rows[0].verdict).toBe('below'); // -400 < -179 - 75
    expect(task.notes).toEqual(["seed 0 ran the quick preset, not the paper's"]);
    const hopper = writeRun(root, {
      env: 'Hopper-v4',
      algo: 'alm',
      seed: 0,
      warmupSteps: 5000,
      evals: [[6000, 30, 1]],
    });
    const [h] = compareRuns([readComparedRun(hopper)]);
    expect(h.rows).toEqual([]);
    expect(h.notes[0]).toMatch(/released no learning curve for Hopper-v4/);
  });

  it('refuses a run that is not ALM, a seed given twice, and no runs', () => {
    const root = tempGrid('repro-compare-');
    const sac = writeRun(root, { env: CHEETAH, algo: 'sac', seed: 0, evals: [[100, 1, 1]] });
    expect(() => readComparedRun(sac)).toThrow(RunDirectoryProblem);
    expect(() => readComparedRun(sac)).toThrow(/is a sac run; the paper's released curves are ALM\(3\)'s/);
    expect(() => readComparedRun(join(root, 'nothing'))).toThrow(/has no config.json/);
    const a = almRun(root, 0, [[10_000, 1]]);
    const other = tempGrid('repro-compare-');
    const b = almRun(other, 0, [[10_000, 2]]);
    expect(() => compareRuns([readComparedRun(a), readComparedRun(b)])).toThrow(
      /are both seed 0 of HalfCheetah-v4/,
    );
    expect(() => compareRuns([])).toThrow(ReproInputError);
  });

  it('writes the table, the JSON, the curve and the diagnostics figures', async () => {
    const root = tempGrid('repro-compare-');
    const dir = almRun(root, 3, [
      [5000, -70],
      [10_000, -150],
    ]);
    writeFileSync(
      join(dir, 'metrics.jsonl'),
      [
        JSON.stringify({ step: 6000, kl: 80, classifier_accuracy: 0.7, model_grad_norm: 590 }),
        JSON.stringify({ step: 6000, train_episode_return: -300 }),
        JSON.stringify({ step: 7000, kl: 170, classifier_accuracy: 0.75, model_grad_norm: 1400 }),
        '{"step": 8000, "kl": 1', // cut by a kill mid-write: ignored
      ].join('\n'),
    );
    const run = readComparedRun(dir);
    expect(run.diagnostics.kl).toEqual([
      [1000, 80],
      [2000, 170],
    ]);
    expect(run.diagnostics.model_grad_norm).toEqual([
      [1000, 590],
      [2000, 1400],
    ]);
    const out = join(root, 'out');
    const lines: string[] = [];
    const files = await compareCommand({ runs: [dir], out }, (l) => lines.push(l));
    for (const name of [
      'compare.md',
      'compare.json',
      'figures/compare-HalfCheetah-v4.svg',
      'figures/compare-HalfCheetah-v4.png',
      'figures/diagnostics-HalfCheetah-v4.png',
    ])
      expect(files).toContain(join(out, name));
    const md = readFileSync(join(out, 'compare.md'), 'utf8');
    expect(md).toContain('| 5000 | 10000 | -150 (1) | -179 ± 75 (5) | inside |');
    expect(md).toContain('| 10000 | 15000 | not reached | 989 ± 644 (5) |  |');
    const json = JSON.parse(readFileSync(join(out, 'compare.json'), 'utf8'));
    expect(json[0].rows[0].ours).toEqual({ n: 1, mean: -150, std: null });
    expect(readFileSync(join(out, 'figures/compare-HalfCheetah-v4.svg'), 'utf8')).toContain('<svg');
    expect(existsSync(join(out, 'figures/diagnostics-HalfCheetah-v4.svg'))).toBe(true);
    expect(lines[1]).toBe('  HalfCheetah-v4: 5000 updates inside');
  });
});
