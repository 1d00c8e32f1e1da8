/**
 * What every agent gets from CheckpointedAgent, checked on all six: save then load into a fresh
 * agent restores the update counter and the Rng (the next draws agree), state.json names the
 * algorithm and sizes, and dispose() frees every tensor the agent made (optimizer moments
 * included).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tf } from '@mbrl-ts/nn';
import { initBackend } from '@mbrl-ts/kernels';
import type { ReplayBuffer } from '@mbrl-ts/replay';
import type { CheckpointedAgent } from '../src';
import { smallAlm } from './alm-helpers';
import { smallMnm } from './mnm-helpers';
import { ACT, filledReplay, OBS, smallSac, smallTd3 } from './helpers';
import { smallSacSvg, smallSvg1 } from './svg-helpers';

await initBackend('wasm', { logger: () => {} });

const makers: Array<[string, (replay: ReplayBuffer) => CheckpointedAgent]> = [
  ['sac', (replay) => smallSac(replay)],
  ['td3', (replay) => smallTd3(replay)],
  ['sac-svg', (replay) => smallSacSvg(replay)],
  ['svg1', (replay) => smallSvg1(replay)],
  ['alm', (replay) => smallAlm(replay)],
  ['mnm', (replay) => smallMnm(replay)],
];

describe.each(makers)('%s as a CheckpointedAgent', (algo, make) => {
  it('dispose() frees every tensor it made, optimizer moments included', () => {
    const before = tf.memory().numTensors;
    const agent = make(filledReplay());
    for (let i = 0; i < 3; i++) agent.update(20_000 + i);
    agent.dispose();
    expect(tf.memory().numTensors).toBe(before);
  }, 60_000);

  it('save and load carry the counter, the Rng and the identity', async () => {
    const replay = filledReplay();
    const original = make(replay);
    for (let i = 0; i < 2; i++) original.update(20_000 + i);
    const dir = mkdtempSync(join(tmpdir(), `checkpointed-${algo}-`));
    await original.save(dir);
    const state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as Record<string, unknown>;
    expect(state).toMatchObject({ algo, observationSize: OBS, actionSize: ACT, updates: original.updates });
    const restored = make(replay);
    expect(restored.updates).toBe(0);
    await restored.load(dir);
    expect(restored.updates).toBe(original.updates);
    const obs = Float64Array.of(0.3, -1.2, 0.8);
    const context = { step: 0, deterministic: false };
    expect(Array.from(restored.act(obs, context))).toEqual(Array.from(original.act(obs, context)));
    original.dispose();
    restored.dispose();
  }, 60_000);
});
