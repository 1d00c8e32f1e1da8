/**
 * The baselines give the numbers they gave before their construction moved into CheckpointedAgent
 * and their temperature into one component: fixtures/baseline-metrics.json was recorded with the
 * agents' code of commit 59b0b32 on tfjs's wasm kernels. Same tiny agents, same replay, same seed, three
 * updates: every metric, every parameter's sum, and an exploring and a deterministic action, to
 * the bit.
 *
 * SAC-SVG's alone moved, on purpose and by float32 rounding only: its first update used
 * initialAlpha (0.1) as given, SAC's exp(log alpha) as stored (0.099999994); the shared
 * temperature reads alpha from the variable for both, as both already did after every step and
 * every load. Its numbers are held to 1e-6 relative.
 */
import { readFileSync } from 'node:fs';
import { initBackend } from '@mbrl-ts/kernels';
import { tf } from '@mbrl-ts/nn';
import type { CheckpointedAgent } from '../src';
import { filledReplay, smallSac } from './helpers';
import { smallMnm } from './mnm-helpers';
import { smallSacSvg, smallSvg1 } from './svg-helpers';

// tfjs's own wasm kernels, as the fixture was recorded with: the numbers then do not depend on
// whether this machine built the native addon (whose products round differently).
beforeAll(async () => {
  await initBackend('wasm', { kernels: 'wasm', logger: () => {} });
});
afterAll(async () => {
  await initBackend('wasm', { logger: () => {} });
});

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

/** Equal to the bit, or within `relative` of each other when given. */
function expectSame(got: unknown, want: unknown, relative?: number): void {
  if (relative === undefined) {
    expect(got).toEqual(want);
    return;
  }
  const flat = (x: unknown): Array<[string, number]> =>
    typeof x === 'number'
      ? [['', x]]
      : Object.entries(x as Record<string, unknown>).flatMap(([k, v]) =>
          flat(v).map(([path, n]): [string, number] => [`${k}.${path}`, n]),
        );
  const wanted = new Map(flat(want));
  const gotten = flat(got);
  expect(gotten.map(([k]) => k).sort()).toEqual([...wanted.keys()].sort());
  for (const [key, value] of gotten) {
    const expected = wanted.get(key)!;
    const scale = Math.max(Math.abs(expected), 1e-3);
    expect({ key, off: Math.abs(value - expected) / scale <= relative }).toEqual({ key, off: true });
  }
}

it.each(Object.keys(makers))('%s: the same metrics, parameters and actions as recorded', (key) => {
  const relative = key === 'sac-svg' ? 1e-6 : undefined;
  const before = tf.memory().numTensors;
  const agent = makers[key]();
  const updates = [6000, 6001, 6002].map((step) => agent.update(step));
  expectSame(updates, recorded[key].updates, relative);
  const sums: Record<string, number> = {};
  for (const [name, v] of agent.parameters()) {
    sums[name] = (v.dataSync() as Float32Array).reduce((s, x) => s + x, 0);
  }
  expectSame(sums, recorded[key].parameters, relative);
  const actions = [0, 1].map((i) =>
    Array.from(agent.act(Float64Array.of(0.3 * i, -1.2, 0.8), { step: 6003, deterministic: i === 1 })),
  );
  expectSame(actions, recorded[key].actions, relative);
  agent.dispose();
  expect(tf.memory().numTensors).toBe(before);
});
