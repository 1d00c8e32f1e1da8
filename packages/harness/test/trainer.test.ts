import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeEnv } from '@mbrl-ts/envs';
import { ReplayBuffer } from '@mbrl-ts/replay';
import { NonFiniteMetricError, RunDirectory, train, trainerSchema, type TrainerConfig } from '../src';
import { defaultsOf } from '../src/config';
import { LinearAgent } from './fixtures/linear-agent';

const config: TrainerConfig = {
  ...defaultsOf(trainerSchema),
  totalSteps: 500,
  warmupSteps: 100,
  evalEvery: 250,
  evalEpisodes: 2,
  checkpointEvery: 100,
  logEvery: 50,
  seed: 5,
};

async function setup() {
  const env = await makeEnv('Pendulum-v1');
  const evalEnv = await makeEnv('Pendulum-v1');
  const replay = new ReplayBuffer({ capacity: 1000, observationDim: 3, actionDim: 1 });
  const agent = new LinearAgent(replay);
  return { env, evalEnv, replay, agent };
}

const tmp = () => mkdtempSync(join(tmpdir(), 'mbrl-trainer-'));

describe('train', () => {
  it('resumes from a checkpoint to exactly the same end state as an uninterrupted run', async () => {
    const straightPath = join(tmp(), 'straight');
    const a = await setup();
    const runA = RunDirectory.create(straightPath, config);
    const resultA = await train({ config, ...a, run: runA });
    expect(resultA).toMatchObject({ steps: 500, finished: true });

    const resumedPath = join(tmp(), 'resumed');
    const b = await setup();
    const runB = RunDirectory.create(resumedPath, config);
    // Stop after 250 steps, then throw everything away except the run directory.
    const partial = await train({ config, ...b, run: runB, stopAfterSteps: 250 });
    expect(partial).toMatchObject({ steps: 250, finished: false });
    const c = await setup();
    const resultC = await train({ config, ...c, run: RunDirectory.open(resumedPath), resume: true });
    expect(resultC.steps).toBe(500);

    expect(Array.from(c.agent.weights)).toEqual(Array.from(a.agent.weights));
    expect(c.agent.updates).toBe(a.agent.updates);
    expect(c.replay.size).toBe(500);
    expect(Array.from(c.replay.storage.observation)).toEqual(Array.from(a.replay.storage.observation));
    expect(Array.from(c.replay.storage.action)).toEqual(Array.from(a.replay.storage.action));
    const evals = (run: RunDirectory) => run.readEvaluations().map((r) => [r.step, r.return_mean]);
    expect(evals(RunDirectory.open(resumedPath))).toEqual(evals(runA));
    expect(evals(runA).map((e) => e[0])).toEqual([250, 500]);
    for (const s of [a, b, c]) [s.env, s.evalEnv].forEach((e) => e.close());
  });

  it('stops on a non-finite metric, naming it, and keeps the last good checkpoint', async () => {
    const path = join(tmp(), 'nan');
    const s = await setup();
    const run = RunDirectory.create(path, config);
    await train({ config, ...s, run, stopAfterSteps: 200 });
    s.agent.poison = true;
    const again = await setup();
    again.agent.poison = true;
    await expect(train({ config, ...again, run, resume: true })).rejects.toThrow(NonFiniteMetricError);
    await expect(train({ config, ...(await setup()), run, resume: true })).resolves.toMatchObject({
      steps: 500,
    });
    const poisoned = await setup();
    poisoned.agent.poison = true;
    await expect(
      train({ config, ...poisoned, run: RunDirectory.create(join(tmp(), 'p'), config) }),
    ).rejects.toThrow(
      /^update at step 101 produced a non-finite best_reward \(NaN\); the run stops, the last good checkpoint is .*checkpoint-100 \(step 100; train --resume .*p continues from it\); a lower learning rate/,
    );
  });

  it('refuses to resume a run of another algorithm; a run without a checkpoint starts again', async () => {
    const path = join(tmp(), 'foreign');
    const s = await setup();
    const run = RunDirectory.create(path, config);
    const messages: string[] = [];
    const progress = {
      message: (m: string) => messages.push(m),
      start() {},
      update() {},
      evaluation() {},
      finish() {},
    };
    await expect(
      train({ config, ...s, run, resume: true, stopAfterSteps: 100, progress: progress as never }),
    ).resolves.toMatchObject({ steps: 100, finished: false });
    expect(messages[0]).toMatch(/has no checkpoint yet: starting it again from step 0/);
    const other = await setup();
    Object.defineProperty(other.agent, 'algo', { value: 'sac' });
    await expect(train({ config, ...other, run, resume: true })).rejects.toThrow(
      /is from linear-test on Pendulum-v1, but this run is sac on Pendulum-v1/,
    );
  });
});

describe('train configuration checks', () => {
  it('refuses a warm-up shorter than the first batch before stepping the env', async () => {
    const s = await setup();
    Object.defineProperty(s.agent, 'minReplaySize', { value: 256 });
    const run = RunDirectory.create(join(tmp(), 'short-warmup'), config);
    await expect(train({ config: { ...config, warmupSteps: 100 }, ...s, run })).rejects.toThrow(
      'warmupSteps 100 is too short for linear-test: its first update needs 256 stored transitions, so set warmupSteps to at least 255',
    );
    expect(s.replay.size).toBe(0);
  });
});

describe('train metric logging', () => {
  it('averages a metric over the updates that reported it (sparse metrics are not diluted)', async () => {
    const s = await setup();
    let calls = 0;
    s.agent.update = (): Record<string, number> => {
      calls += 1;
      // 'every' is reported on each update with value 2; 'sparse' on every other update with value 10.
      return calls % 2 === 0 ? { every: 2, sparse: 10 } : { every: 2 };
    };
    const path = join(tmp(), 'sparse');
    const run = RunDirectory.create(path, config);
    await train({ config: { ...config, totalSteps: 200, warmupSteps: 100, logEvery: 50 }, ...s, run });
    const lines = readFileSync(run.metricsPath, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((l) => 'every' in l);
    expect(lines.map((l) => [l.step, l.every, l.sparse])).toEqual([
      [150, 2, 10],
      [200, 2, 10],
    ]);
  });
});
