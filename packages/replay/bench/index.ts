/**
 * Replay benchmark: sampling cost at the paper's batch size and snapshot throughput.
 *
 *   npm run bench -w @mbrl-ts/replay                  # HalfCheetah and Humanoid sizes
 *   npm run bench -w @mbrl-ts/replay -- --humanoid-snapshot   # also save/load a full 1e6 x 376 buffer
 *
 * Prints one JSON object. Times are medians over repeated calls after a warm-up.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Rng } from '@mbrl-ts/rng';
import { ReplayBuffer, loadReplaySnapshot, saveReplaySnapshot } from '../src';

interface TaskSize {
  readonly name: string;
  readonly observationDim: number;
  readonly actionDim: number;
  readonly capacity: number;
  /** Episode lengths are drawn in [minEpisode, 1000]; shorter ones end terminated. */
  readonly minEpisode: number;
}

const BATCH = 512; // Table 3: batch size
const HORIZON = 3; // Table 3: sequence length K

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function timeIt(repeats: number, f: () => void): number {
  for (let i = 0; i < 5; i++) f();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    f();
    times.push(performance.now() - t0);
  }
  return median(times);
}

const POOL = 4096;

/**
 * Fills the buffer to capacity in episodes of random length. Rows come from a pool of 4096
 * Gaussian vectors, so the fill time is mostly `add` itself.
 */
function fill(task: TaskSize, rng: Rng): { buffer: ReplayBuffer; fillMs: number } {
  const buffer = new ReplayBuffer(task);
  const observations = Array.from({ length: POOL }, () =>
    rng.fillNormal(new Float32Array(task.observationDim)),
  );
  const actions = Array.from({ length: POOL }, () =>
    rng.fillUniform(new Float32Array(task.actionDim), -1, 1),
  );
  const t0 = performance.now();
  let left = task.minEpisode + rng.int(1001 - task.minEpisode);
  for (let i = 0; i < task.capacity; i++) {
    left--;
    const end = left === 0;
    buffer.add({
      observation: observations[i % POOL],
      action: actions[i % POOL],
      reward: observations[i % POOL][0],
      nextObservation: observations[(i + 1) % POOL],
      terminated: end && i % 2 === 0,
      truncated: end && i % 2 === 1,
    });
    if (end) left = task.minEpisode + rng.int(1001 - task.minEpisode);
  }
  return { buffer, fillMs: performance.now() - t0 };
}

function samplingBench(task: TaskSize) {
  const rng = new Rng(1);
  const { buffer, fillMs } = fill(task, rng);
  const sequences = buffer.allocateSequenceBatch(HORIZON, BATCH);
  const transitions = buffer.allocateTransitionBatch(BATCH);
  return {
    buffer,
    result: {
      task: task.name,
      capacity: task.capacity,
      observationDim: task.observationDim,
      actionDim: task.actionDim,
      fillMsPerStep: fillMs / task.capacity,
      [`sample${BATCH}SequencesK${HORIZON}Ms`]: timeIt(200, () =>
        buffer.sampleSequences(HORIZON, BATCH, rng, sequences),
      ),
      [`sample${BATCH}TransitionsMs`]: timeIt(200, () => buffer.sampleTransitions(BATCH, rng, transitions)),
      [`sample${BATCH}SequencesK${HORIZON}FreshBatchMs`]: timeIt(50, () =>
        buffer.sampleSequences(HORIZON, BATCH, rng),
      ),
    },
  };
}

async function snapshotBench(buffer: ReplayBuffer, repeats: number) {
  const dir = await mkdtemp(join(tmpdir(), 'replay-bench-'));
  try {
    const writes: number[] = [];
    const reads: number[] = [];
    let bytes = 0;
    for (let i = 0; i < repeats; i++) {
      let t0 = performance.now();
      const manifest = await saveReplaySnapshot(buffer, dir);
      writes.push(performance.now() - t0);
      bytes = Object.values(manifest.files).reduce((sum, f) => sum + f.byteLength, 0);
      t0 = performance.now();
      const loaded = await loadReplaySnapshot(dir);
      reads.push(performance.now() - t0);
      if (loaded.size !== buffer.size) throw new Error('snapshot bench: size changed');
    }
    const mb = bytes / 1e6;
    const writeMs = median(writes);
    const readMs = median(reads);
    return {
      megabytes: mb,
      writeMs,
      readMs,
      writeMBps: mb / (writeMs / 1000),
      readMBps: mb / (readMs / 1000),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const humanoidSnapshot = process.argv.includes('--humanoid-snapshot');
  const halfCheetah: TaskSize = {
    name: 'HalfCheetah',
    observationDim: 17,
    actionDim: 6,
    capacity: 100_000,
    minEpisode: 1000,
  };
  const humanoid: TaskSize = {
    name: 'Humanoid',
    observationDim: 376,
    actionDim: 17,
    capacity: 1_000_000,
    minEpisode: 20,
  };

  const cheetah = samplingBench(halfCheetah);
  const cheetahSnapshot = await snapshotBench(cheetah.buffer, 5);
  const human = samplingBench(humanoid);
  const humanSnapshot = humanoidSnapshot
    ? await snapshotBench(human.buffer, 1)
    : 'skipped (pass --humanoid-snapshot)';

  console.log(
    JSON.stringify(
      {
        node: process.version,
        batchSize: BATCH,
        horizon: HORIZON,
        sampling: [cheetah.result, human.result],
        snapshot: {
          [`${halfCheetah.name} 1e5 full`]: cheetahSnapshot,
          [`${humanoid.name} 1e6 full`]: humanSnapshot,
        },
      },
      null,
      2,
    ),
  );
}

await main();
