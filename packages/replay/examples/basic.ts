/**
 * Store three episodes, sample what one ALM update needs, save and restore.
 *   cd packages/replay && npx tsx examples/basic.ts
 */
import { Rng } from '@mbrl-ts/rng';
import { ReplayBuffer, loadReplaySnapshot, saveReplaySnapshot } from '@mbrl-ts/replay';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// HalfCheetah sizes and the paper's capacity (Table 3: 1e5; 1e6 for Humanoid).
const buffer = new ReplayBuffer({ capacity: 100_000, observationDim: 17, actionDim: 6 });
const rng = new Rng(0);

// Three episodes of 400 steps of made-up data, each ending on a time-limit cut.
let observation = rng.fillNormal(new Float64Array(17));
for (let t = 0; t < 1200; t++) {
  const action = rng.fillUniform(new Float32Array(6), -1, 1);
  const nextObservation = rng.fillNormal(new Float64Array(17));
  const truncated = t % 400 === 399;
  buffer.add({ observation, action, reward: rng.uniform(), nextObservation, terminated: false, truncated });
  observation = truncated ? rng.fillNormal(new Float64Array(17)) : nextObservation;
}

// One ALM update's worth of data: 512 sequences of K = 3 steps (Eq. 7), 512 transitions (critic).
const sequences = buffer.sampleSequences(3, 512, rng);
console.log(sequences.shapes); // observation [4, 512, 17], action [3, 512, 6], reward [3, 512], terminated [3, 512]
const transitions = buffer.sampleTransitions(512, rng);
console.log(transitions.shapes.observation); // [512, 17]

// Save and restore: a directory of raw column files plus manifest.json.
const dir = await mkdtemp(join(tmpdir(), 'replay-example-'));
await saveReplaySnapshot(buffer, dir);
const restored = await loadReplaySnapshot(dir);
console.log(restored.size, restored.capacity); // 1200 100000
await rm(dir, { recursive: true, force: true });
