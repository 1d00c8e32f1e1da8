/**
 * The baselines give the numbers they gave before their construction moved into CheckpointedAgent
 * and their temperature into one component: fixtures/baseline-metrics.json was recorded with the
 * agents' code of commit 66b1be8 (imports aside). Same tiny agents, same replay, same seed, three
 * updates: every metric, every parameter's sum, and an exploring and a deterministic action.
 */
import { readFileSync } from 'node:fs';
import { initBackend, tf } from '@mbrl-ts/nn';
import type { CheckpointedAgent } from '../src';
import { filledReplay, smallSac } from './helpers';
import { smallMnm } from './mnm-helpers';
import { smallSacSvg, smallSvg1 } from './svg-helpers';

await initBackend('wasm', { logger: () => {} });

interface Recorded {
  readonly updates: Array<Record<string, number>>;
  readonly parameters: Record<string, number>;
  readonly actions: number[][];
}
const recorded = JSON.parse(
  readFileSync(new URL('./fixtures/baseline-metrics.json', import.meta.url), 'utf8'),
) as Record<string, Recorded>;

const makers: Record<string, () => CheckpointedAgent & { parameters(): Map<string, tf.Variable> }> = {
  sac: () => smallSac(filledReplay(), 2),
  'sac-svg': () => smallSacSvg(filledReplay(), 2),
  svg1: () => smallSvg1(filledReplay(), 2),
  mnm: () => smallMnm(filledReplay(), 2),
};

it('covers every recorded agent', () => {
  expect(Object.keys(makers).sort()).toEqual(Object.keys(recorded).sort());
});

it.each(Object.keys(makers))('%s: the same metrics, parameters and actions as recorded', (key) => {
  const before = tf.memory().numTensors;
  const agent = makers[key]();
  const updates = [6000, 6001, 6002].map((step) => agent.update(step));
  expect(updates).toEqual(recorded[key].updates);
  const sums: Record<string, number> = {};
  for (const [name, v] of agent.parameters()) {
    sums[name] = (v.dataSync() as Float32Array).reduce((s, x) => s + x, 0);
  }
  expect(sums).toEqual(recorded[key].parameters);
  const actions = [0, 1].map((i) =>
    Array.from(agent.act(Float64Array.of(0.3 * i, -1.2, 0.8), { step: 6003, deterministic: i === 1 })),
  );
  expect(actions).toEqual(recorded[key].actions);
  agent.dispose();
  expect(tf.memory().numTensors).toBe(before);
});
