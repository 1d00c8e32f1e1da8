import { mkdtemp, readFile, readdir, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '@mbrl-ts/rng';
import {
  ReplayBuffer,
  SnapshotCorruptError,
  SnapshotFormatError,
  SnapshotMismatchError,
  SnapshotMissingError,
  loadReplaySnapshot,
  readReplayManifest,
  restoreReplaySnapshot,
  saveReplaySnapshot,
} from '../src';
import { addEpisodes, makeBuffer } from './fixtures';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'replay-snapshot-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

let counter = 0;
function freshDir(): string {
  counter++;
  return join(root, `snap-${counter}`);
}

/** A wrapped buffer with random-looking floats, so bitwise equality means something. */
function wrappedBuffer(): ReplayBuffer {
  const rng = new Rng(99);
  const buffer = new ReplayBuffer({ capacity: 50, observationDim: 7, actionDim: 3 });
  for (let g = 0; g < 73; g++) {
    buffer.add({
      observation: rng.fillNormal(new Float64Array(7)),
      action: rng.fillUniform(new Float32Array(3), -1, 1),
      reward: rng.normal(),
      nextObservation: rng.fillNormal(new Float32Array(7)),
      terminated: g % 17 === 16,
      truncated: g % 23 === 22,
    });
  }
  return buffer;
}

function expectSameBuffer(a: ReplayBuffer, b: ReplayBuffer): void {
  expect(b.cursor).toEqual(a.cursor);
  for (const name of Object.keys(a.storage) as (keyof ReplayBuffer['storage'])[]) {
    const x = a.storage[name];
    const y = b.storage[name];
    expect(
      Buffer.from(y.buffer, y.byteOffset, y.byteLength).equals(
        Buffer.from(x.buffer, x.byteOffset, x.byteLength),
      ),
    ).toBe(true);
  }
}

describe('replay snapshots', () => {
  it('round-trips a wrapped buffer bitwise, and sampling and adding continue identically', async () => {
    const dir = freshDir();
    const original = wrappedBuffer();
    const manifest = await saveReplaySnapshot(original, dir);
    expect(manifest.cursor).toEqual({
      head: 23,
      size: 50,
      nextEpisodeStep: original.cursor.nextEpisodeStep,
      totalAdded: 73,
    });
    const loaded = await loadReplaySnapshot(dir);
    expectSameBuffer(original, loaded);
    expect(loaded.sampleSequences(3, 16, new Rng(4)).observation).toEqual(
      original.sampleSequences(3, 16, new Rng(4)).observation,
    );
    const more = wrappedBuffer(); // a source of further steps
    for (let i = 0; i < 30; i++) {
      const slot = i % more.capacity;
      const row = (column: Float32Array, dim: number) => column.subarray(slot * dim, (slot + 1) * dim);
      const step = {
        observation: row(more.storage.observation, 7),
        action: row(more.storage.action, 3),
        reward: more.storage.reward[slot],
        nextObservation: row(more.storage.nextObservation, 7),
        terminated: i === 12,
      };
      original.add(step);
      loaded.add(step);
    }
    expectSameBuffer(original, loaded);
  });

  it('writes only the filled rows of a partly filled buffer', async () => {
    const dir = freshDir();
    const buffer = new ReplayBuffer({ capacity: 1000, observationDim: 5, actionDim: 2 });
    for (let g = 0; g < 10; g++) {
      buffer.add({
        observation: [g, 0, 0, 0, 0],
        action: [0, 0],
        reward: g,
        nextObservation: [g + 1, 0, 0, 0, 0],
        terminated: false,
      });
    }
    const manifest = await saveReplaySnapshot(buffer, dir);
    expect(manifest.files.observation.byteLength).toBe(10 * 5 * 4);
    expect((await readFile(join(dir, manifest.files.observation.file))).length).toBe(200);
    expect(manifest.files.terminated.byteLength).toBe(10);
    const loaded = await loadReplaySnapshot(dir);
    expect(loaded.capacity).toBe(1000);
    expectSameBuffer(buffer, loaded);
  });

  it('round-trips an empty buffer', async () => {
    const dir = freshDir();
    await saveReplaySnapshot(makeBuffer(8), dir);
    const loaded = await loadReplaySnapshot(dir);
    expect(loaded.size).toBe(0);
    expect(loaded.capacity).toBe(8);
  });

  it('replaces an older snapshot: a new generation, the old files removed, no temp files left', async () => {
    const dir = freshDir();
    const buffer = makeBuffer(20);
    addEpisodes(buffer, [{ length: 5, end: 'open' }]);
    expect((await saveReplaySnapshot(buffer, dir)).generation).toBe(1);
    addEpisodes(buffer, [{ length: 5, end: 'terminated' }], 5);
    const second = await saveReplaySnapshot(buffer, dir);
    expect(second.generation).toBe(2);
    const files = (await readdir(dir)).sort();
    expect(files).toEqual(
      ['action', 'episode_step', 'next_observation', 'observation', 'reward', 'terminated', 'truncated']
        .map((stem) => `${stem}.2.bin`)
        .concat('manifest.json')
        .sort(),
    );
    expectSameBuffer(buffer, await loadReplaySnapshot(dir));
  });

  it('still loads the previous snapshot when a save died before writing its manifest', async () => {
    const dir = freshDir();
    const buffer = makeBuffer(20);
    addEpisodes(buffer, [{ length: 6, end: 'open' }]);
    await saveReplaySnapshot(buffer, dir);
    // What an interrupted second save leaves: new-generation files, one of them half written.
    await writeFile(join(dir, 'observation.2.bin'), Buffer.alloc(12));
    await writeFile(join(dir, 'action.2.bin.tmp'), Buffer.alloc(5));
    expectSameBuffer(buffer, await loadReplaySnapshot(dir));
    // The next save cleans those up.
    await saveReplaySnapshot(buffer, dir);
    expect((await readdir(dir)).some((f) => f.endsWith('.tmp'))).toBe(false);
  });

  it('fails, keeping the previous snapshot, when transitions are added during a save', async () => {
    const dir = freshDir();
    const buffer = makeBuffer(20);
    addEpisodes(buffer, [{ length: 5, end: 'open' }]);
    await saveReplaySnapshot(buffer, dir);
    const saving = saveReplaySnapshot(buffer, dir);
    addEpisodes(buffer, [{ length: 1, end: 'open' }], 5);
    await expect(saving).rejects.toThrow(
      /received 1 transitions while its snapshot was being written.*Await saveReplaySnapshot/,
    );
    const loaded = await loadReplaySnapshot(dir);
    expect(loaded.size).toBe(5);
    expect((await readdir(dir)).filter((f) => f.includes('.2.bin'))).toEqual([]);
  });

  it('reports a missing snapshot', async () => {
    await expect(loadReplaySnapshot(join(root, 'nothing-here'))).rejects.toThrow(SnapshotMissingError);
    await expect(loadReplaySnapshot(join(root, 'nothing-here'))).rejects.toThrow(
      /manifest\.json not found\)\. Check the path/,
    );
  });

  it('reports a damaged or foreign manifest', async () => {
    const dir = freshDir();
    await saveReplaySnapshot(makeBuffer(4), dir);
    const path = join(dir, 'manifest.json');
    const good = JSON.parse(await readFile(path, 'utf8'));
    await writeFile(path, '{ "format": "mbrl-ts/replay-snapshot", ');
    await expect(loadReplaySnapshot(dir)).rejects.toThrow(/is not valid JSON/);
    await writeFile(path, JSON.stringify({ ...good, version: 99 }));
    await expect(loadReplaySnapshot(dir)).rejects.toThrow(SnapshotFormatError);
    await expect(loadReplaySnapshot(dir)).rejects.toThrow(
      /format version 99; this @mbrl-ts\/replay reads version 1/,
    );
    await writeFile(path, JSON.stringify({ ...good, format: 'something-else' }));
    await expect(loadReplaySnapshot(dir)).rejects.toThrow(/is not a replay snapshot manifest/);
    await writeFile(path, JSON.stringify({ ...good, cursor: { ...good.cursor, size: 3 } }));
    await expect(readReplayManifest(dir)).rejects.toThrow(/cursor .* is inconsistent/);
    await writeFile(path, JSON.stringify({ ...good, observationDim: 4 }));
    await expect(readReplayManifest(dir)).rejects.toThrow(/column "observation" declares .*rowLength 3/);
  });

  it('refuses to restore into a buffer with other dims or a smaller capacity, without touching it', async () => {
    const dir = freshDir();
    const saved = makeBuffer(10);
    addEpisodes(saved, [{ length: 4, end: 'open' }]);
    await saveReplaySnapshot(saved, dir);
    const target = new ReplayBuffer({ capacity: 10, observationDim: 4, actionDim: 2 });
    target.add({
      observation: [1, 2, 3, 4],
      action: [0, 0],
      reward: 0,
      nextObservation: [1, 2, 3, 4],
      terminated: false,
    });
    await expect(restoreReplaySnapshot(target, dir)).rejects.toThrow(SnapshotMismatchError);
    await expect(restoreReplaySnapshot(target, dir)).rejects.toThrow(
      /has capacity 10, observationDim 3, actionDim 2, but the buffer has capacity 10, observationDim 4, actionDim 2/,
    );
    expect(target.size).toBe(1);
    const smaller = makeBuffer(9);
    addEpisodes(smaller, [{ length: 2, end: 'open' }]);
    await expect(restoreReplaySnapshot(smaller, dir)).rejects.toThrow(
      /capacity 10.*capacity 9.*at least its capacity/,
    );
    expect(smaller.size).toBe(2);
  });

  it('grows into a larger buffer as if that buffer had received the same transitions', async () => {
    const dir = freshDir();
    const saved = makeBuffer(10);
    addEpisodes(saved, [
      { length: 4, end: 'terminated' },
      { length: 3, end: 'open' },
    ]);
    await saveReplaySnapshot(saved, dir);
    const grown = makeBuffer(16);
    await restoreReplaySnapshot(grown, dir);
    // the same 7 transitions into a 16-slot buffer from the start
    const direct = makeBuffer(16);
    addEpisodes(direct, [
      { length: 4, end: 'terminated' },
      { length: 3, end: 'open' },
    ]);
    expectSameBuffer(direct, grown);
    // and both go on alike: the open episode continues, nothing is overwritten until 16
    for (const b of [grown, direct]) addEpisodes(b, [{ length: 9, end: 'truncated' }], 7);
    expectSameBuffer(direct, grown);
    expect(grown.size).toBe(16);
    expect(grown.storage.episodeStep[7]).toBe(3);
  });

  it('grows a wrapped snapshot oldest first, keeping only what it still held', async () => {
    const dir = freshDir();
    const saved = makeBuffer(10);
    addEpisodes(saved, [{ length: 13, end: 'open' }]); // rows 3..12 kept, the oldest (3) at slot 3
    expect(saved.writeHead).toBe(3);
    await saveReplaySnapshot(saved, dir);
    const grown = makeBuffer(12);
    await restoreReplaySnapshot(grown, dir);
    expect(grown.cursor).toEqual({ head: 10, size: 10, nextEpisodeStep: 13, totalAdded: 13 });
    // slot i holds global step 3 + i: observation [globalStep, episode, stepInEpisode]
    const firstObs = Array.from({ length: 10 }, (_, i) => grown.storage.observation[i * 3]);
    expect(firstObs).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(Array.from(grown.storage.episodeStep.subarray(0, 10))).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(Array.from(grown.storage.action.subarray(0, 4))).toEqual([3, -3, 4, -4]);
    expect(Array.from(grown.storage.nextObservation.subarray(27, 30))).toEqual([13, 0, 13]);
    // sequences of 3 start only where 3 stored steps follow (slots 0..7), and run consecutively
    const batch = grown.sampleSequences(3, 8, new Rng(5));
    for (let b = 0; b < 8; b++) {
      expect(batch.starts[b]).toBeLessThanOrEqual(7);
      const start = batch.observation[b * 3];
      expect(start).toBe(3 + batch.starts[b]);
      for (let t = 1; t <= 3; t++) expect(batch.observation[(t * 8 + b) * 3]).toBe(start + t);
    }
    // the next add lands after the newest row
    addEpisodes(grown, [{ length: 1, end: 'open' }], 13);
    expect(grown.storage.observation[10 * 3]).toBe(13);
  });

  it('detects a truncated, an overlong and a missing data file before reading any', async () => {
    const dir = freshDir();
    const buffer = wrappedBuffer();
    const manifest = await saveReplaySnapshot(buffer, dir);
    const obsPath = join(dir, manifest.files.observation.file);
    await truncate(obsPath, 1000);
    await expect(loadReplaySnapshot(dir)).rejects.toThrow(SnapshotCorruptError);
    await expect(loadReplaySnapshot(dir)).rejects.toThrow(
      /observation\.1\.bin is truncated: 1000 bytes, the manifest declares 1400/,
    );
    await saveReplaySnapshot(buffer, dir);
    const rewardPath = join(dir, 'reward.2.bin');
    await writeFile(rewardPath, Buffer.concat([await readFile(rewardPath), Buffer.alloc(4)]));
    await expect(loadReplaySnapshot(dir)).rejects.toThrow(/reward\.2\.bin is longer than declared/);
    await rm(rewardPath);
    await expect(loadReplaySnapshot(dir)).rejects.toThrow(/reward\.2\.bin is missing/);
  });

  it('detects a flipped byte by checksum and leaves the target buffer empty', async () => {
    const dir = freshDir();
    const buffer = wrappedBuffer();
    const manifest = await saveReplaySnapshot(buffer, dir);
    const path = join(dir, manifest.files.nextObservation.file);
    const bytes = await readFile(path);
    bytes[777] ^= 0x10;
    await writeFile(path, bytes);
    const target = wrappedBuffer();
    await expect(restoreReplaySnapshot(target, dir)).rejects.toThrow(SnapshotCorruptError);
    expect(target.size).toBe(0);
    await expect(loadReplaySnapshot(dir)).rejects.toThrow(/next_observation\.1\.bin fails its checksum/);
    // Without verification the damaged value loads as it is.
    const unchecked = await loadReplaySnapshot(dir, { verifyChecksums: false });
    expect(unchecked.size).toBe(50);
  });
});
