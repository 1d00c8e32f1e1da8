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

  it('refuses to restore into a buffer with other capacity or dims, without touching it', async () => {
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
    await expect(restoreReplaySnapshot(makeBuffer(11), dir)).rejects.toThrow(/capacity 10.*capacity 11/);
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
