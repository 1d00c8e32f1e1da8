/**
 * Report numbers on synthetic grids: final returns per seed, mean / sample std / Student-t CI,
 * best marking, the paper's values, flags for short cells, missing cells, wall-clock per step,
 * and the files the report writes.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeReport } from '../src/report/report-command';
import { readGrid } from '../src/report/read-runs';
import { buildTable1, cellAt } from '../src/report/table1';
import { buildWallClock } from '../src/report/wall-clock';
import { tempGrid, writeManifest, writeRun } from './synthetic';

const HOPPER = 'Hopper-v4';
const CHEETAH = 'HalfCheetah-v4';

/** sac on Hopper: final returns 100, 200, 300 at step 1000; td3: 50, 70, 90; sac on HalfCheetah: 2 seeds, one short. */
function exampleGrid(): string {
  const root = tempGrid();
  writeManifest(root, { steps: 1000, seeds: 3, envs: [HOPPER, CHEETAH], algos: ['sac', 'td3'] });
  [100, 200, 300].forEach((final, seed) =>
    writeRun(root, {
      env: HOPPER,
      algo: 'sac',
      seed,
      evals: [
        [500, 10, 5],
        [1000, final, 25],
      ],
    }),
  );
  [50, 70, 90].forEach((final, seed) =>
    writeRun(root, {
      env: HOPPER,
      algo: 'td3',
      seed,
      evals: [
        [500, 5, 2],
        [1000, final, 12],
      ],
    }),
  );
  writeRun(root, {
    env: CHEETAH,
    algo: 'sac',
    seed: 0,
    evals: [
      [500, -5, 4],
      [1000, 40, 20],
    ],
  });
  writeRun(root, { env: CHEETAH, algo: 'sac', seed: 1, evals: [[500, 20, 4]] });
  // td3 on HalfCheetah: a run that has not evaluated yet
  writeRun(root, { env: CHEETAH, algo: 'td3', seed: 0, evals: [] });
  return root;
}

describe('Table 1 numbers', () => {
  const table = buildTable1(readGrid(exampleGrid()));

  it('aggregates the final evaluation over seeds: mean, sample std, Student-t 95% CI', () => {
    const sac = cellAt(table, HOPPER, 'sac')!;
    expect(sac.results.map((r) => r.finalReturn)).toEqual([100, 200, 300]);
    expect(sac.n).toBe(3);
    expect(sac.mean).toBeCloseTo(200, 12);
    expect(sac.std).toBeCloseTo(100, 12); // sqrt(((-100)^2 + 0 + 100^2) / 2)
    // t(0.975, 2 df) = 4.302653; half width = 4.302653 * 100 / sqrt(3) = 248.4138
    expect(sac.ci95[0]).toBeCloseTo(200 - 248.4138, 3);
    expect(sac.ci95[1]).toBeCloseTo(200 + 248.4138, 3);
    const td3 = cellAt(table, HOPPER, 'td3')!;
    expect(td3.mean).toBeCloseTo(70, 12);
    expect(td3.std).toBeCloseTo(20, 12);
  });

  it('marks the best mean per task and carries the paper value of the matching row', () => {
    expect(cellAt(table, HOPPER, 'sac')!.best).toBe(true);
    expect(cellAt(table, HOPPER, 'td3')!.best).toBe(false);
    expect(cellAt(table, CHEETAH, 'sac')!.best).toBe(true);
    expect(cellAt(table, HOPPER, 'sac')!.paper).toEqual({ mean: 788, std: 977 });
    expect(cellAt(table, HOPPER, 'td3')!.paper).toEqual({ mean: 1817, std: 994 });
  });

  it('flags cells with fewer seeds or steps than asked, and keeps missing cells out of the numbers', () => {
    expect(table.asked).toEqual({ steps: 1000, seeds: 3, source: 'grid.json' });
    expect(cellAt(table, HOPPER, 'sac')!.flags).toEqual([]);
    const cheetah = cellAt(table, CHEETAH, 'sac')!;
    expect(cheetah.results).toEqual([
      { seed: 0, step: 1000, finalReturn: 40 },
      { seed: 1, step: 500, finalReturn: 20 },
    ]);
    expect(cheetah.mean).toBeCloseTo(30, 12);
    expect(cheetah.stepsMin).toBe(500);
    expect(cheetah.flags).toEqual(['2 of 3 seeds', 'fewer steps than the 1000 asked (seed1 at 500)']);
    expect(cellAt(table, CHEETAH, 'td3')).toBeUndefined();
    expect(table.missing).toEqual([{ envId: CHEETAH, algo: 'td3', reason: '1 run(s), none evaluated yet' }]);
  });

  it('orders tasks as grid.json lists them and methods as the paper does (TD3 before SAC)', () => {
    expect(table.tasks.map((t) => t.name)).toEqual(['Hopper-v2', 'HalfCheetah-v2']);
    expect(table.methods.map((m) => m.label)).toEqual(['TD3', 'SAC']);
  });

  it('infers the asked steps and seeds without grid.json', () => {
    const root = tempGrid();
    writeRun(root, { env: 'Pendulum-v1', algo: 'sac', seed: 0, totalSteps: 400, evals: [[400, -300, 8]] });
    writeRun(root, { env: 'Pendulum-v1', algo: 'sac', seed: 1, totalSteps: 400, evals: [[200, -900, 3]] });
    writeRun(root, { env: 'Pendulum-v1', algo: 'td3', seed: 0, totalSteps: 400, evals: [[400, -200, 6]] });
    const t = buildTable1(readGrid(root));
    expect(t.asked).toEqual({ steps: 400, seeds: 2, source: 'inferred' });
    expect(cellAt(t, 'Pendulum-v1', 'td3')!.flags).toEqual(['1 of 2 seeds']);
    expect(Number.isNaN(cellAt(t, 'Pendulum-v1', 'td3')!.std)).toBe(true);
    expect(cellAt(t, 'Pendulum-v1', 'td3')!.best).toBe(true);
    expect(cellAt(t, 'Pendulum-v1', 'td3')!.paper).toBeUndefined();
  });
});

it("a run directory holding only the runner's train.log is a run starting, not a malformed one", () => {
  const root = tempGrid();
  writeRun(root, { env: 'Pendulum-v1', algo: 'sac', seed: 0, totalSteps: 400, evals: [[400, -300, 8]] });
  for (const [algo, seed] of [
    ['sac', 1],
    ['td3', 0],
  ] as const) {
    const dir = join(root, 'Pendulum-v1', algo, `seed${seed}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'train.log'), '# mbrl-repro: mbrl-baselines train ...\n');
  }
  const t = buildTable1(readGrid(root));
  expect(cellAt(t, 'Pendulum-v1', 'sac')).toMatchObject({ n: 1, pendingSeeds: [1], flags: ['1 of 2 seeds'] });
  expect(t.missing).toEqual([{ envId: 'Pendulum-v1', algo: 'td3', reason: '1 run(s), none evaluated yet' }]);
});

describe('wall-clock per environment step', () => {
  it('divides wall_s by steps (whole run) and takes the slope after the warm-up (training)', () => {
    const { cells, runs } = buildWallClock(readGrid(exampleGrid()));
    const seed0 = runs.find((r) => r.envId === HOPPER && r.algo === 'sac' && r.seed === 0)!;
    expect(seed0.msPerStepWhole).toBeCloseTo((1000 * 25) / 1000, 12); // 25 ms
    expect(seed0.msPerStepTraining).toBeCloseTo((1000 * (25 - 5)) / 500, 12); // 40 ms
    const td3 = cells.find((c) => c.envId === HOPPER && c.algo === 'td3')!;
    expect(td3.n).toBe(3);
    expect(td3.msPerStepWhole).toBeCloseTo(12, 12);
    expect(td3.msPerStepWholeStd).toBeCloseTo(0, 12);
    expect(td3.msPerStepTraining).toBeCloseTo(20, 12);
    expect(td3.hoursPer200k).toBeCloseTo((20 * 200_000) / 3_600_000, 12);
    // a run with one evaluation after its warm-up has no training slope
    const short = runs.find((r) => r.envId === CHEETAH && r.seed === 1)!;
    expect(Number.isNaN(short.msPerStepTraining)).toBe(true);
  });
});

describe('report files', () => {
  it('writes table1.md / .csv, wall-clock.csv, summary.json and SVG + PNG figures', async () => {
    const root = exampleGrid();
    const out = join(root, 'report');
    const { files } = await writeReport({ runs: root, out });
    expect(files).toEqual(
      expect.arrayContaining([
        'table1.md',
        'table1.csv',
        'wall-clock.csv',
        'summary.json',
        `figures/curves-${HOPPER}.svg`,
        `figures/curves-${HOPPER}.png`,
        `figures/curves-${CHEETAH}.png`,
        'figures/wall-clock.svg',
      ]),
    );
    const md = readFileSync(join(out, 'table1.md'), 'utf8');
    expect(md).toContain('| Method | Hopper-v2 | paper | HalfCheetah-v2 | paper |');
    expect(md).toContain('| TD3 | 70.0 ± 20.0 (3 seeds, 1k) | **1817 ± 994** | missing | 3016 ± 969 |');
    expect(md).toContain(
      '| SAC | **200 ± 100** (3 seeds, 1k) | 788 ± 977 | **30.0 ± 14.1** (2 seeds, 500-1k) ⚠ | **3460 ± 1326** |',
    );
    expect(md).toContain(
      '- HalfCheetah-v2 / SAC: 2 of 3 seeds; fewer steps than the 1000 asked (seed1 at 500)',
    );
    expect(md).toContain('- HalfCheetah-v2 / TD3: 1 run(s), none evaluated yet');
    // wall-clock per step (Figure 3, bottom): the table, then its figure right under it
    const wallClock = md.slice(
      md.indexOf('## Wall-clock time per environment step'),
      md.indexOf('## Figures'),
    );
    // sac on Hopper: 25 s at step 1000 (25 ms/step); slope 1000 * (25 - 5) / (1000 - 500) = 40 ms/step
    expect(wallClock).toContain('| Hopper-v2 | SAC | 3 | 25.0 ± 0.0 | 40.0 ± 0.0 | 2.22 |');
    expect(wallClock).toContain('| Hopper-v2 | TD3 | 3 | 12.0 ± 0.0 | 20.0 ± 0.0 | 1.11 |');
    expect(wallClock).toContain('![wall-clock per environment step](figures/wall-clock.png)');
    // every learning-curve figure is shown too, not only linked
    expect(md).toContain(`![learning curves, Hopper-v2](figures/curves-${HOPPER}.png)`);
    expect(md).toContain(`![learning curves, HalfCheetah-v2](figures/curves-${CHEETAH}.png)`);

    const csv = readFileSync(join(out, 'table1.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe(
      'task,env_id,method,algo,seeds,seeds_asked,final_return_mean,final_return_std,ci95_low,ci95_high,steps_min,steps_max,steps_asked,best,flags,paper_mean,paper_std',
    );
    expect(csv).toHaveLength(1 + 3);

    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    const sac = summary.table1.find(
      (c: { envId: string; algo: string }) => c.envId === HOPPER && c.algo === 'sac',
    );
    expect(sac.mean).toBeCloseTo(200, 12);
    expect(sac.std).toBeCloseTo(100, 12);
    expect(summary.missing).toHaveLength(1);
    expect(summary.wallClock).toHaveLength(3);

    const svg = readFileSync(join(out, `figures/curves-${HOPPER}.svg`), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('Hopper-v2 (Hopper-v4)');
    expect(svg).toContain('SAC');
    const png = readFileSync(join(out, `figures/curves-${HOPPER}.png`));
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    // the report directory inside the grid is not read as a task on the next report
    await writeReport({ runs: root, out });
    expect(existsSync(join(out, 'table1.md'))).toBe(true);
  });
});
