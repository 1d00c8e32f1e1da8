/**
 * Saving a replay buffer to a directory and loading it back, bitwise exact.
 *
 * Only the filled rows are written, one raw file per column, streamed in chunks (a full Humanoid
 * buffer, 1e6 x 376 floats = 1.5 GB of observations, never passes through a string or a copy).
 * Each file and then the manifest are written atomically (temp file, fsync, rename); see
 * snapshot-format.ts for why a crash mid-save leaves the previous snapshot intact.
 */
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { endianness } from 'node:os';
import { join } from 'node:path';
import { readFileInto, syncDirectory, writeFileAtomic } from './binary-file';
import {
  ReplayArgumentError,
  SnapshotCorruptError,
  SnapshotFormatError,
  SnapshotMismatchError,
  SnapshotMissingError,
} from './errors';
import { ReplayBuffer } from './replay-buffer';
import {
  COLUMNS,
  DATA_FILE_PATTERN,
  MANIFEST_FILE,
  SNAPSHOT_FORMAT,
  SNAPSHOT_VERSION,
  dataFileName,
  filledBytes,
  parseManifest,
  type ColumnName,
  type ManifestFile,
  type SnapshotManifest,
} from './snapshot-format';

export type { SnapshotManifest } from './snapshot-format';

function checkHostEndianness(): void {
  if (endianness() !== 'LE') {
    throw new SnapshotFormatError(
      'Replay snapshots are little-endian; this host is big-endian and cannot read or write them.',
    );
  }
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | null)?.code;
}

/** Reads and validates `dir/manifest.json` without touching the data files. */
export async function readReplayManifest(dir: string): Promise<SnapshotManifest> {
  const path = join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') {
      throw new SnapshotMissingError(
        `No replay snapshot in ${dir} (${MANIFEST_FILE} not found). Check the path, or save one first.`,
      );
    }
    throw error;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new SnapshotFormatError(
      `Replay snapshot manifest ${path} is not valid JSON (${(error as Error).message}); the snapshot is damaged.`,
    );
  }
  return parseManifest(raw, path);
}

async function previousGeneration(dir: string): Promise<number> {
  try {
    return (await readReplayManifest(dir)).generation;
  } catch {
    return 0;
  }
}

/** Removes data and temp files that the current manifest does not name. */
async function removeStaleFiles(dir: string, generation: number): Promise<void> {
  for (const name of await readdir(dir)) {
    const match = DATA_FILE_PATTERN.exec(name);
    const stale =
      (match !== null && (Number(match[2]) !== generation || match[3] !== undefined)) ||
      name === `${MANIFEST_FILE}.tmp`;
    if (stale) await rm(join(dir, name), { force: true });
  }
}

/**
 * Saves `buffer` into `dir` (created if needed), replacing any snapshot there. Resolves with the
 * manifest that was written. Do not add transitions until it resolves: the columns are written
 * while the event loop runs, and a save that sees the buffer change fails (ReplayArgumentError)
 * without replacing the previous snapshot.
 */
export async function saveReplaySnapshot(buffer: ReplayBuffer, dir: string): Promise<SnapshotManifest> {
  checkHostEndianness();
  const cursor = buffer.cursor; // taken before the first await: the state this snapshot records
  await mkdir(dir, { recursive: true });
  const generation = (await previousGeneration(dir)) + 1;
  const dims = { observationDim: buffer.observationDim, actionDim: buffer.actionDim };
  const files = {} as Record<ColumnName, ManifestFile>;
  for (const spec of COLUMNS) {
    const rowLength = spec.rowLength(dims);
    const byteLength = cursor.size * rowLength * spec.bytesPerElement;
    const file = dataFileName(spec, generation);
    const crc = await writeFileAtomic(join(dir, file), filledBytes(buffer.storage, spec, byteLength));
    files[spec.name] = { file, dtype: spec.dtype, rowLength, byteLength, crc32: crc };
  }
  if (buffer.totalAdded !== cursor.totalAdded) {
    await Promise.all(COLUMNS.map((spec) => rm(join(dir, dataFileName(spec, generation)), { force: true })));
    throw new ReplayArgumentError(
      `The buffer received ${buffer.totalAdded - cursor.totalAdded} transitions while its snapshot was being written, ` +
        `so the files in ${dir} would not match one state; the previous snapshot there is kept. ` +
        'Await saveReplaySnapshot before adding more transitions.',
    );
  }
  const manifest: SnapshotManifest = {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    generation,
    endianness: 'LE',
    capacity: buffer.capacity,
    ...dims,
    cursor,
    files,
  };
  await syncDirectory(dir);
  await writeFileAtomic(
    join(dir, MANIFEST_FILE),
    new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`),
  );
  await syncDirectory(dir);
  await removeStaleFiles(dir, generation);
  return manifest;
}

/** Options for loading a snapshot. */
export interface LoadOptions {
  /** Compare each file's CRC-32 with the manifest (default true; costs about 0.5 ms per MB). */
  readonly verifyChecksums?: boolean;
}

/** Checks that every data file exists with exactly the declared length, before reading any. */
async function checkFileLengths(dir: string, manifest: SnapshotManifest): Promise<void> {
  for (const spec of COLUMNS) {
    const entry = manifest.files[spec.name];
    const path = join(dir, entry.file);
    let length: number;
    try {
      length = (await stat(path)).size;
    } catch (error) {
      if (errorCode(error) === 'ENOENT') {
        throw new SnapshotCorruptError(
          `Replay snapshot file ${path} is missing; the snapshot in ${dir} is incomplete. Save a new one.`,
        );
      }
      throw error;
    }
    if (length !== entry.byteLength) {
      const how = length < entry.byteLength ? 'truncated' : 'longer than declared';
      throw new SnapshotCorruptError(
        `Replay snapshot file ${path} is ${how}: ${length} bytes, the manifest declares ${entry.byteLength}. ` +
          'The snapshot is damaged (an interrupted copy?); restore it from a good copy or save a new one.',
      );
    }
  }
}

/**
 * Moves the rows of a wrapped buffer's first `size` slots so that they run oldest first: the
 * oldest row sits at `head`, so [head, size) comes first, then [0, head).
 */
function rotateOldestFirst(buffer: ReplayBuffer, head: number, size: number): void {
  const dims = { observationDim: buffer.observationDim, actionDim: buffer.actionDim };
  for (const spec of COLUMNS) {
    const column = buffer.storage[spec.name];
    const row = spec.rowLength(dims);
    const newest = column.slice(0, head * row);
    column.copyWithin(0, head * row, size * row);
    column.set(newest, (size - head) * row);
  }
}

/**
 * Restores the snapshot in `dir` into `buffer`, which must have the snapshot's dims and at least
 * its capacity (SnapshotMismatchError otherwise, before anything is changed). A larger buffer
 * receives the rows oldest first in its first slots, with room after them: what a buffer of that
 * capacity would hold had it received the same transitions (exactly so when the snapshot never
 * overwrote a row; a wrapped snapshot has already lost its oldest rows). If a data file turns out
 * to be corrupt while reading, the buffer is left empty and a SnapshotCorruptError is thrown.
 */
export async function restoreReplaySnapshot(
  buffer: ReplayBuffer,
  dir: string,
  options: LoadOptions = {},
): Promise<SnapshotManifest> {
  checkHostEndianness();
  const manifest = await readReplayManifest(dir);
  const wanted = `capacity ${buffer.capacity}, observationDim ${buffer.observationDim}, actionDim ${buffer.actionDim}`;
  const found = `capacity ${manifest.capacity}, observationDim ${manifest.observationDim}, actionDim ${manifest.actionDim}`;
  const fits =
    buffer.observationDim === manifest.observationDim &&
    buffer.actionDim === manifest.actionDim &&
    buffer.capacity >= manifest.capacity;
  if (!fits) {
    throw new SnapshotMismatchError(
      `Replay snapshot in ${dir} has ${found}, but the buffer has ${wanted}. ` +
        "Restore into a buffer with the snapshot's dims and at least its capacity (loadReplaySnapshot makes one), or check that the task matches.",
    );
  }
  await checkFileLengths(dir, manifest);
  try {
    for (const spec of COLUMNS) {
      const entry = manifest.files[spec.name];
      const path = join(dir, entry.file);
      const { bytesRead, crc } = await readFileInto(
        path,
        filledBytes(buffer.storage, spec, entry.byteLength),
      );
      if (bytesRead !== entry.byteLength) {
        throw new SnapshotCorruptError(
          `Replay snapshot file ${path} ended after ${bytesRead} of ${entry.byteLength} bytes while reading.`,
        );
      }
      if (options.verifyChecksums !== false && crc !== entry.crc32) {
        throw new SnapshotCorruptError(
          `Replay snapshot file ${path} fails its checksum (CRC-32 ${crc}, manifest says ${entry.crc32}); its contents are damaged. ` +
            'Restore it from a good copy or save a new one.',
        );
      }
    }
    if (buffer.capacity === manifest.capacity) {
      buffer.restoreCursor(manifest.cursor);
    } else {
      const { head, size } = manifest.cursor;
      if (size === manifest.capacity && head > 0) rotateOldestFirst(buffer, head, size);
      buffer.restoreCursor({ ...manifest.cursor, head: size });
    }
  } catch (error) {
    buffer.restoreCursor({ head: 0, size: 0, nextEpisodeStep: 0, totalAdded: 0 });
    throw error;
  }
  return manifest;
}

/** Creates a buffer with the snapshot's capacity and dims and restores the snapshot into it. */
export async function loadReplaySnapshot(dir: string, options: LoadOptions = {}): Promise<ReplayBuffer> {
  const manifest = await readReplayManifest(dir);
  const buffer = new ReplayBuffer({
    capacity: manifest.capacity,
    observationDim: manifest.observationDim,
    actionDim: manifest.actionDim,
  });
  await restoreReplaySnapshot(buffer, dir, options);
  return buffer;
}
