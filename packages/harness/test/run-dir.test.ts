import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckpointStore, Progress, RunDirectory, writeFileAtomic } from '../src';

const tmp = () => mkdtempSync(join(tmpdir(), 'mbrl-harness-'));

describe('writeFileAtomic', () => {
  it('replaces the target and leaves no temporary file behind', () => {
    const dir = tmp();
    const file = join(dir, 'a.json');
    writeFileAtomic(file, 'one');
    writeFileAtomic(file, 'two');
    expect(readFileSync(file, 'utf8')).toBe('two');
    expect(readdirSync(dir)).toEqual(['a.json']);
  });
});

describe('CheckpointStore', () => {
  it('keeps the newest N complete checkpoints in step order', async () => {
    const store = new CheckpointStore(join(tmp(), 'checkpoints'), 2);
    for (const step of [100, 200, 300]) {
      await store.save(step, (dir) => writeFileSync(join(dir, 'state.txt'), String(step)));
    }
    expect(store.list().map((c) => c.step)).toEqual([200, 300]);
    expect(readFileSync(join(store.latest()!.dir, 'state.txt'), 'utf8')).toBe('300');
  });

  it('ignores a checkpoint whose writer failed and keeps the previous one', async () => {
    const store = new CheckpointStore(join(tmp(), 'checkpoints'), 3);
    await store.save(10, (dir) => writeFileSync(join(dir, 'x'), 'ok'));
    await expect(
      store.save(20, () => {
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
    expect(store.list().map((c) => c.step)).toEqual([10]);
    expect(readdirSync(store.root)).toEqual(['checkpoint-10']);
  });

  it('survives a process killed with SIGKILL in the middle of writing a checkpoint', async () => {
    const root = join(tmp(), 'checkpoints');
    const store = new CheckpointStore(root, 2);
    await store.save(1, (dir) => writeFileSync(join(dir, 'x'), 'first'));
    // A child process starts checkpoint 2, writes half of it, then kills itself.
    const script = `
      const { mkdirSync, writeFileSync } = require('node:fs');
      const dir = ${JSON.stringify(join(root, '.checkpoint-2.tmp-999999'))};
      mkdirSync(dir, { recursive: true });
      writeFileSync(dir + '/x', 'half');
      process.kill(process.pid, 'SIGKILL');`;
    const child = spawnSync(process.execPath, ['-e', script]);
    expect(child.signal).toBe('SIGKILL');
    expect(store.latest()?.step).toBe(1);
    // The next save cleans up the dead process's leftovers.
    await store.save(3, (dir) => writeFileSync(join(dir, 'x'), 'third'));
    expect(readdirSync(root).sort()).toEqual(['checkpoint-1', 'checkpoint-3']);
  });
});

describe('RunDirectory', () => {
  it('writes config, metrics and evaluations, and refuses to overwrite a run', () => {
    const path = join(tmp(), 'run');
    const run = RunDirectory.create(path, { algo: 'sac', seed: 1 });
    run.logMetrics(10, { critic_loss: 0.5 });
    run.logEvaluation({
      step: 10,
      episodes: 2,
      return_mean: -300,
      return_std: 5,
      length_mean: 200,
      wall_s: 1.5,
    });
    expect(RunDirectory.open(path).readConfig()).toEqual({ algo: 'sac', seed: 1 });
    expect(JSON.parse(readFileSync(run.metricsPath, 'utf8'))).toEqual({ step: 10, critic_loss: 0.5 });
    expect(run.readEvaluations()).toEqual([
      { step: 10, episodes: 2, return_mean: -300, return_std: 5, length_mean: 200, wall_s: 1.5 },
    ]);
    expect(() => RunDirectory.create(path, {})).toThrow(/already holds a run.*--resume/);
  });

  it('drops log lines written after the checkpoint a run resumes from', () => {
    const run = RunDirectory.create(join(tmp(), 'run'), {});
    for (const step of [100, 200, 300]) {
      run.logMetrics(step, { loss: step });
      run.logEvaluation({ step, episodes: 1, return_mean: step, return_std: 0, length_mean: 1, wall_s: 0 });
    }
    run.cutLogsTo(200);
    const steps = readFileSync(run.metricsPath, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).step);
    expect(steps).toEqual([100, 200]);
    expect(run.readEvaluations().map((r) => r.step)).toEqual([100, 200]);
  });

  it('says clearly what is wrong with a missing or foreign directory', () => {
    const dir = tmp();
    expect(() => RunDirectory.open(join(dir, 'nope'))).toThrow(/does not exist/);
    expect(() => RunDirectory.open(dir)).toThrow(/not a run directory \(no config.json\)/);
    expect(existsSync(dir)).toBe(true);
  });
});

describe('Progress', () => {
  it('prints plain lines with rate and ETA when not on a terminal', () => {
    let out = '';
    const stream = {
      isTTY: false,
      write: (s: string) => ((out += s), true),
    } as unknown as NodeJS.WriteStream;
    let now = 0;
    const progress = new Progress({ totalSteps: 1000, stream, now: () => now, plainEverySeconds: 10 });
    progress.start(0);
    now = 5000;
    progress.update(100); // first line always prints
    now = 6000;
    progress.update(120); // within 10 s of the last line: silent
    progress.evaluation(-150.25);
    now = 20000;
    progress.update(400);
    const lines = out.trim().split('\n');
    expect(lines).toEqual([
      'training step 100/1000 (10.0%)  20.0 steps/s  ETA 45s',
      'training step 400/1000 (40.0%)  20.0 steps/s  ETA 30s  eval -150.3',
    ]);
  });

  it('times the warm-up and the training apart, from the recent rate, with the latest losses', () => {
    let out = '';
    const stream = {
      isTTY: false,
      write: (s: string) => ((out += s), true),
    } as unknown as NodeJS.WriteStream;
    let now = 0;
    const progress = new Progress({
      totalSteps: 20_000,
      warmupSteps: 5000,
      stream,
      now: () => now,
      plainEverySeconds: 0,
      rateWindowSeconds: 60,
    });
    progress.start(0);
    // Warm-up at 1000 steps/s: no training ETA yet, the warm-up's end instead.
    for (let s = 1; s <= 5000; s++) {
      now = s; // 1 ms a step
      progress.update(s, s === 4000);
    }
    // Training at 2 steps/s (500 ms a step) for 100 s, then 4 steps/s for 100 s.
    for (let s = 5001; s <= 5200; s++) {
      now = 5000 + (s - 5000) * 500;
      progress.update(s);
    }
    progress.metrics({ alm_q: 3, critic_loss: 0.51234, model_loss: 1234567, reward_loss: 2 });
    for (let s = 5201; s <= 5600; s++) {
      now = 105_000 + (s - 5200) * 250;
      progress.update(s, s === 5600);
    }
    const lines = out.trim().split('\n');
    const at = (step: number) => lines.find((l) => l.includes(` step ${step}/`)) as string;
    // 4000 steps in 4 s: the warm-up ends 1000 steps later, in 1 s.
    expect(at(4000)).toBe('warm-up step 4000/20000 (20.0%)  1000.0 steps/s  ETA --  warm-up ends in 1s');
    // After 100 s at 2 steps/s the window holds only training: 2.0 steps/s, 14800 steps left.
    expect(at(5200)).toBe('training step 5200/20000 (26.0%)  2.0 steps/s  ETA 2h03m');
    // The last 60 s ran at 4 steps/s: the ETA follows (14400 / 4 = 1 h), not the run's average.
    expect(at(5600)).toBe(
      'training step 5600/20000 (28.0%)  4.0 steps/s  ETA 1h00m  critic_loss 0.5123  model_loss 1.23e+6',
    );
  });
  it('averages a periodic stall (a model retraining every 250 steps) over whole periods', () => {
    let now = 0;
    const stream = { isTTY: false, write: () => true } as unknown as NodeJS.WriteStream;
    const progress = new Progress({ totalSteps: 10_000, stream, now: () => now, rateWindowSeconds: 60 });
    progress.start(0);
    // 200 ms a step, and every 250th step 90 s more: 250 steps per 139.8 s = 1.788 steps/s.
    const rates: Array<[number, number]> = [];
    for (let s = 1; s <= 1500; s++) {
      now += 200 + (s % 250 === 0 ? 90_000 : 0);
      progress.update(s);
      if (s >= 1000 && (s % 250 === 0 || s % 250 === 249)) rates.push([s, progress.rate()]);
    }
    // A 60 s window alone would read 0.007 steps/s right after a stall and 5 just before it.
    for (const [, rate] of rates) expect(Math.abs(rate - 250 / 139.8)).toBeLessThan(0.2);
    expect(progress.line(1500)).toMatch(/^training step 1500\/10000 \(15\.0%\)\s{2}1\.[6-9] steps\/s\s{2}ETA 1h/);
  });

  it('labels an evaluation, keeps its time out of the training rate, and adds the evaluations to come', () => {
    let out = '';
    const stream = {
      isTTY: false,
      write: (s: string) => ((out += s), true),
    } as unknown as NodeJS.WriteStream;
    let now = 0;
    const progress = new Progress({
      totalSteps: 3000,
      evalEvery: 1000,
      stream,
      now: () => now,
      plainEverySeconds: 0,
      rateWindowSeconds: 60,
    });
    progress.start(0);
    // Training at 10 steps/s (100 ms a step) to step 1000.
    for (let s = 1; s <= 1000; s++) {
      now = s * 100;
      progress.update(s);
    }
    // The evaluation at step 1000 takes 50 s of wall time.
    progress.startEvaluation(1000, 10);
    now += 50_000;
    progress.evaluation(-120.04);
    progress.update(1000, true);
    // Training goes on at 10 steps/s.
    for (let s = 1001; s <= 1100; s++) {
      now = 150_000 + (s - 1000) * 100;
      progress.update(s, s === 1100);
    }
    const lines = out.trim().split('\n');
    expect(lines).toContain('evaluating step 1000/3000 (33.3%)  10 episodes');
    // Right after the evaluation the rate is still the training's 10 steps/s (not 1000 steps in
    // 150 s), and the ETA is 2000 steps at 10 steps/s plus two evaluations of 50 s: 200 + 100 s.
    const after = lines.filter((l) => l.startsWith('training step 1000/'));
    expect(after[after.length - 1]).toBe(
      'training step 1000/3000 (33.3%)  10.0 steps/s  ETA 5m00s  eval -120.0',
    );
    expect(lines[lines.length - 1]).toBe(
      'training step 1100/3000 (36.7%)  10.0 steps/s  ETA 4m50s  eval -120.0',
    );
    // The next evaluation's line names the last one's duration.
    progress.startEvaluation(2000, 1);
    expect(out.trim().split('\n').pop()).toBe(
      'evaluating step 2000/3000 (66.7%)  1 episode (the last took 50s)  eval -120.0',
    );
  });
});
