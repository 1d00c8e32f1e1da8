/**
 * Every ablation of the paper's Figure 5, set as values (coefficients at 0, named terms), gives the
 * numbers the agent gave before its terms became values: fixtures/figure5-losses.json was recorded
 * on commit 59b0b32 (tfjs's wasm kernels), when the ablations were booleans (klTerm, valueTerm, classifierReward) checked
 * inside the objectives. Same tiny ALM, same replay, same seed, three updates: every metric, every
 * parameter's sum after them and the lower bound of two state-action pairs, to the bit.
 *
 * Two numbers of 'alm-no-value' changed on purpose, and are checked for what they are now: `alm_q`
 * is the mean of the value term Eq. 7 uses (0 with valueTerm 'none', where the old code reported
 * the min Q it then dropped), and the lower bound uses the agent's own value term (the old one
 * always bootstrapped with min Q): the same parameters and Rng state with the paper's value term
 * give the recorded bound.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@mbrl-ts/kernels';
import { tf } from '@mbrl-ts/nn';
import type { AlmConfig } from '../src';
import { smallAlm } from './alm-helpers';
import { filledReplay, smallTd3 } from './helpers';

// tfjs's own wasm kernels, as the fixture was recorded with: the numbers then do not depend on
// whether this machine built the native addon (whose products round differently).
beforeAll(async () => {
  await initBackend('wasm', { kernels: 'wasm', logger: () => {} });
});
afterAll(async () => {
  await initBackend('wasm', { logger: () => {} });
});

interface Recorded {
  readonly settings: Record<string, unknown>;
  readonly updates: Array<Record<string, number>>;
  readonly parameters?: Record<string, number>;
  readonly lowerBound?: number[];
}
const recorded = JSON.parse(
  readFileSync(new URL('./fixtures/figure5-losses.json', import.meta.url), 'utf8'),
) as Record<string, Recorded>;

/** Each variant as tools/repro's ablations set it now. */
const variants: Record<string, Partial<AlmConfig>> = {
  alm: { horizon: 3 },
  'alm-no-value': { horizon: 3, valueTerm: 'none' },
  'alm-no-kl': { horizon: 3, klCoefficient: 0 },
  'alm-no-classifier': { horizon: 3, classifierCoefficient: 0 },
  'alm-k1': { horizon: 1 },
  'alm-k5': { horizon: 5 },
  'alm-k10': { horizon: 10 },
  'alm-td3': { horizon: 3, actorLoss: 'td3' },
};

describe('Figure 5 ablations as values', () => {
  it('cover every recorded variant', () => {
    expect(Object.keys(variants).sort()).toEqual(
      Object.keys(recorded)
        .filter((k) => k !== 'td3')
        .sort(),
    );
  });

  it.each(Object.keys(variants))(
    '%s: the same metrics, parameters and lower bound as recorded',
    async (key) => {
      const before = tf.memory().numTensors;
      const agent = smallAlm(filledReplay(), 2, variants[key]);
      const updates = [6000, 6001, 6002].map((step) => agent.update(step));
      const expected = recorded[key];
      updates.forEach((metrics, i) => {
        const want = { ...expected.updates[i] };
        const got = { ...metrics };
        if (key === 'alm-no-value') {
          expect(got.alm_q).toBe(0);
          delete want.alm_q;
          delete got.alm_q;
        }
        expect(got).toEqual(want);
      });
      const sums: Record<string, number> = {};
      for (const [name, v] of agent.parameters()) {
        sums[name] = (v.dataSync() as Float32Array).reduce((s, x) => s + x, 0);
      }
      expect(sums).toEqual(expected.parameters);
      const pairs = [
        [0.3, -1.2, 0.8, 1, 0.5, -0.5],
        [0.5, -1.5],
      ] as const;
      if (key === 'alm-no-value') {
        const dir = mkdtempSync(join(tmpdir(), 'alm-no-value-'));
        await agent.save(dir);
        const withValue = smallAlm(filledReplay(), 2, { ...variants[key], valueTerm: 'min-q' });
        await withValue.load(dir);
        expect(Array.from(withValue.lowerBound(...pairs))).toEqual(expected.lowerBound);
        withValue.dispose();
        const own = Array.from(agent.lowerBound(...pairs));
        own.forEach((v, i) => expect(v).not.toBeCloseTo(expected.lowerBound![i], 3));
      } else {
        expect(Array.from(agent.lowerBound(...pairs))).toEqual(expected.lowerBound);
      }
      agent.dispose();
      expect(tf.memory().numTensors).toBe(before);
    },
  );

  it('TD3 (Figure 5c) gives the same metrics as recorded', () => {
    const td3 = smallTd3(filledReplay(), 2);
    const updates = [1, 2, 3, 4].map((step) => td3.update(step));
    td3.dispose();
    expect(updates).toEqual(recorded.td3.updates);
  });
});
