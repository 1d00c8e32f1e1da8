/**
 * train() as a library handles SIGINT / SIGTERM as the CLI does: the current step ends, a
 * checkpoint is written at that step (long before the first scheduled one), train() returns with
 * `interruptedBy`, and `resume: true` goes on from that checkpoint (the README's example). It stops
 * listening when it returns; a caller's own request (NEVER_SHUTDOWN) replaces the listener. The
 * signal is delivered by calling the listener train() added, so no other listener of this process
 * (the test runner's) is involved.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeEnv } from '@mbrl-ts/envs';
import { ReplayBuffer } from '@mbrl-ts/replay';
import { NEVER_SHUTDOWN, RunDirectory, train, trainerSchema, type TrainerConfig } from '../src';
import { defaultsOf } from '../src/config';
import { LinearAgent } from './fixtures/linear-agent';

const config: TrainerConfig = {
  ...defaultsOf(trainerSchema),
  totalSteps: 400,
  warmupSteps: 100,
  evalEvery: 200,
  evalEpisodes: 1,
  checkpointEvery: 10_000, // the default: no scheduled checkpoint before the signal
  logEvery: 50,
  seed: 3,
};

/** A run whose env sends `signal` to train()'s own listener during environment step `at`. */
async function setup(signal?: { name: NodeJS.Signals; at: number }) {
  const env = await makeEnv('Pendulum-v1');
  const evalEnv = await makeEnv('Pendulum-v1');
  const replay = new ReplayBuffer({ capacity: 1000, observationDim: 3, actionDim: 1 });
  const agent = new LinearAgent(replay);
  const before = new Set(process.listeners(signal?.name ?? 'SIGINT'));
  let steps = 0;
  const step = env.step.bind(env);
  env.step = (action) => {
    steps += 1;
    if (signal && steps === signal.at) {
      const added = process.listeners(signal.name).filter((l) => !before.has(l));
      expect(added).toHaveLength(1);
      (added[0] as (s: NodeJS.Signals) => void)(signal.name);
    }
    return step(action);
  };
  return { env, evalEnv, replay, agent };
}

const listenerCounts = () => ['SIGINT', 'SIGTERM', 'SIGHUP'].map((s) => process.listenerCount(s));

it.each(['SIGINT', 'SIGTERM'] as const)(
  '%s: a checkpoint at that step, then resume: true goes on from it',
  async (name) => {
    const path = join(mkdtempSync(join(tmpdir(), 'mbrl-train-signal-')), 'run');
    const counts = listenerCounts();
    const first = await train({
      config,
      ...(await setup({ name, at: 137 })),
      run: RunDirectory.create(path, config),
    });
    expect(first).toMatchObject({ steps: 137, finished: false, interruptedBy: name });
    expect(listenerCounts()).toEqual(counts);
    const run = RunDirectory.open(path);
    expect(run.checkpoints.latest()?.step).toBe(137);
    let resumedAt: number | undefined;
    const second = await train({
      config,
      ...(await setup()),
      run,
      resume: true,
      onStart: ({ step }) => (resumedAt = step),
    });
    expect(resumedAt).toBe(137);
    expect(second).toMatchObject({ steps: 400, finished: true });
    expect(listenerCounts()).toEqual(counts);
  },
);

it('a caller that passes its own request (NEVER_SHUTDOWN) gets no listener', async () => {
  const counts = listenerCounts();
  const parts = await setup();
  let during: number[] = [];
  const step = parts.env.step.bind(parts.env);
  parts.env.step = (action) => {
    during = listenerCounts();
    return step(action);
  };
  const path = join(mkdtempSync(join(tmpdir(), 'mbrl-train-signal-')), 'run');
  const result = await train({
    config: { ...config, totalSteps: 120 },
    ...parts,
    run: RunDirectory.create(path, { ...config, totalSteps: 120 }),
    shutdown: NEVER_SHUTDOWN,
  });
  expect(result).toMatchObject({ steps: 120, finished: true });
  expect(during).toEqual(counts);
});
