/**
 * loadAgent: a run directory (config.json, checkpoints/checkpoint-<step>/agent, COMPLETE.json, as
 * the harness writes them; built by hand here, the agents sit below the harness) gives back an
 * agent that acts as the saved one did, exploring and deterministic; a half-written checkpoint is
 * never picked; missing pieces are errors that say what to do.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildManifest, defaultsOf } from '@mbrl-ts/contract';
import { initBackend } from '@mbrl-ts/kernels';
import { tf } from '@mbrl-ts/nn';
import { almAlgorithmWith, almSchema, loadAgent, sacSchema, type CheckpointedAgent } from '../src';
import { smallAlm, tinyAlm } from './alm-helpers';
import { filledReplay, smallSac } from './helpers';

await initBackend('wasm', { logger: () => {} });

/** A run directory holding `agent` (Pendulum-v1's sizes: obs 3, act 1, bounds +-2) at `step`. */
async function runDirWith(
  agent: CheckpointedAgent,
  settings: Record<string, unknown>,
  step: number,
): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), `load-${agent.algo}-`));
  writeFileSync(
    join(dir, 'config.json'),
    JSON.stringify({
      algo: agent.algo,
      env: 'Pendulum-v1',
      preset: 'paper',
      agent: settings,
      trainer: { seed: 2 },
    }),
  );
  const checkpoint = join(dir, 'checkpoints', `checkpoint-${step}`);
  await agent.save(join(checkpoint, 'agent'));
  writeFileSync(join(checkpoint, 'COMPLETE.json'), JSON.stringify(buildManifest(checkpoint, step)));
  return dir;
}

const observations = [
  Float64Array.of(0.3, -1.2, 0.8),
  Float64Array.of(1, 0, -3),
  Float64Array.of(-0.5, 0.5, 2),
];

function actions(agent: { act: CheckpointedAgent['act'] }, deterministic: boolean): number[][] {
  return observations.map((obs) => Array.from(agent.act(obs, { step: 9000, deterministic })));
}

it.each([
  ['sac', () => smallSac(filledReplay(), 2), { ...defaultsOf(sacSchema), batchSize: 16, hiddenSize: 16 }],
  ['alm', () => smallAlm(filledReplay(), 2), { ...defaultsOf(almSchema), ...tinyAlm }],
] as const)('%s: acts as the saved agent did, exploring and deterministic', async (_algo, make, settings) => {
  const before = tf.memory().numTensors;
  const trained = make();
  for (let i = 0; i < 3; i++) trained.update(6000 + i);
  const dir = await runDirWith(trained, settings, 3);
  const { agent, env, run, checkpoint } = await loadAgent(dir);
  expect(run).toMatchObject({ algo: trained.algo, env: 'Pendulum-v1' });
  expect(checkpoint.step).toBe(3);
  expect(actions(agent, true)).toEqual(actions(trained, true));
  expect(actions(agent, false)).toEqual(actions(trained, false)); // the Rng came back too
  agent.dispose();
  trained.dispose();
  env.close();
  expect(tf.memory().numTensors).toBe(before);
});

it('picks the newest verified checkpoint, or the step asked for; never a half-written or damaged one', async () => {
  const trained = smallSac(filledReplay(), 2);
  const settings = { ...defaultsOf(sacSchema), batchSize: 16, hiddenSize: 16 };
  const dir = await runDirWith(trained, settings, 1);
  trained.update(1);
  const later = join(dir, 'checkpoints', 'checkpoint-2');
  await trained.save(join(later, 'agent'));
  writeFileSync(join(later, 'COMPLETE.json'), JSON.stringify(buildManifest(later, 2)));
  mkdirSync(join(dir, 'checkpoints', 'checkpoint-3', 'agent'), { recursive: true }); // no COMPLETE.json
  const newest = await loadAgent(dir);
  expect(newest.checkpoint.step).toBe(2);
  expect(actions(newest.agent, true)).toEqual(actions(trained, true));
  const first = await loadAgent(dir, { step: 1 });
  expect(first.checkpoint.step).toBe(1);
  expect(actions(first.agent, true)).not.toEqual(actions(trained, true));
  await expect(loadAgent(dir, { step: 3 })).rejects.toThrow(
    /has no complete checkpoint at step 3 \(it has 1, 2\)/,
  );
  // a damaged newest checkpoint is passed over for the older one, as a resume does
  const parameters = join(later, 'agent', 'parameters.bin');
  const bytes = readFileSync(parameters);
  bytes[0] ^= 0xff;
  writeFileSync(parameters, bytes);
  const fallback = await loadAgent(dir);
  expect(fallback.checkpoint.step).toBe(1);
  await expect(loadAgent(dir, { step: 2 })).rejects.toThrow(
    /checkpoint-2 is damaged: agent\/parameters.bin does not match its checksum/,
  );
  for (const loaded of [newest, first, fallback]) {
    loaded.agent.dispose();
    loaded.env.close();
  }
  trained.dispose();
});

it('says what is missing: config.json, a checkpoint, the algorithm, valid settings', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'load-empty-'));
  await expect(loadAgent(empty)).rejects.toThrow(/is not a run directory \(no config.json\)/);
  writeFileSync(join(empty, 'config.json'), JSON.stringify({ algo: 'sac', env: 'Pendulum-v1', agent: {} }));
  await expect(loadAgent(empty)).rejects.toThrow(/has no complete checkpoint yet/);
  const trained = smallSac(filledReplay(), 2);
  const dir = await runDirWith(trained, { batchSize: 16, hiddenSize: 16 }, 1);
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ algo: 'ppo', env: 'Pendulum-v1', agent: {} }));
  await expect(loadAgent(dir)).rejects.toThrow(
    /is a ppo run; loadAgent knows sac, td3, sac-svg, svg1, mnm, redq, sac-avg, mbpo, mpc, alm/,
  );
  writeFileSync(
    join(dir, 'config.json'),
    JSON.stringify({ algo: 'sac', env: 'Pendulum-v1', agent: { batchSize: 0 } }),
  );
  await expect(loadAgent(dir)).rejects.toThrow(/config.json: "batchSize" must be >= 1, got 0/);
  // an ALM variant's run needs its spec
  writeFileSync(
    join(dir, 'config.json'),
    JSON.stringify({ algo: 'alm', env: 'Pendulum-v1', agent: { ...tinyAlm, classifierReward: 'log-c' } }),
  );
  await expect(loadAgent(dir)).rejects.toThrow(/"classifierReward" must be one of log-odds, got "log-c"/);
  const variant = almAlgorithmWith({
    classifierReward: { 'log-c': (c, z, a, next) => c.reward(z, a, next) },
  });
  // with the variant's spec the settings resolve; the files are a SAC agent's, which load refuses
  await expect(loadAgent(dir, { algorithms: [variant] })).rejects.toThrow(/holds a sac agent, not alm/);
  trained.dispose();
});
