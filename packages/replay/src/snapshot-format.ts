/**
 * The on-disk format of a replay snapshot (a directory):
 *
 *   manifest.json                 format tag, version, generation, capacity, dims, cursor, files
 *   observation.<gen>.bin          filled rows [0, size) of each column, raw little-endian
 *   action.<gen>.bin, reward.<gen>.bin, next_observation.<gen>.bin,
 *   terminated.<gen>.bin, truncated.<gen>.bin, episode_step.<gen>.bin
 *
 * Data files carry the generation number of the snapshot that wrote them, and the manifest is
 * written last (temp file, fsync, rename), so the manifest always names a complete set of files:
 * a crash mid-save leaves the previous snapshot loadable.
 */
import { SnapshotFormatError } from './errors';
import type { ReplayCursor, ReplayStorage } from './types';

export const SNAPSHOT_FORMAT = 'mbrl-ts/replay-snapshot';
export const SNAPSHOT_VERSION = 1;
export const MANIFEST_FILE = 'manifest.json';

export type ColumnName = keyof ReplayStorage;
export type ColumnDtype = 'float32' | 'uint8' | 'int32';

/** Fixed description of each stored column. */
export interface ColumnSpec {
  readonly name: ColumnName;
  readonly fileStem: string;
  readonly dtype: ColumnDtype;
  readonly bytesPerElement: number;
  /** Elements per row, given the buffer's dims. */
  readonly rowLength: (dims: { observationDim: number; actionDim: number }) => number;
}

export const COLUMNS: readonly ColumnSpec[] = [
  {
    name: 'observation',
    fileStem: 'observation',
    dtype: 'float32',
    bytesPerElement: 4,
    rowLength: (d) => d.observationDim,
  },
  { name: 'action', fileStem: 'action', dtype: 'float32', bytesPerElement: 4, rowLength: (d) => d.actionDim },
  { name: 'reward', fileStem: 'reward', dtype: 'float32', bytesPerElement: 4, rowLength: () => 1 },
  {
    name: 'nextObservation',
    fileStem: 'next_observation',
    dtype: 'float32',
    bytesPerElement: 4,
    rowLength: (d) => d.observationDim,
  },
  { name: 'terminated', fileStem: 'terminated', dtype: 'uint8', bytesPerElement: 1, rowLength: () => 1 },
  { name: 'truncated', fileStem: 'truncated', dtype: 'uint8', bytesPerElement: 1, rowLength: () => 1 },
  { name: 'episodeStep', fileStem: 'episode_step', dtype: 'int32', bytesPerElement: 4, rowLength: () => 1 },
];

/** Data files look like `<stem>.<generation>.bin`. */
export const DATA_FILE_PATTERN = /^([a-z_]+)\.(\d+)\.bin(\.tmp)?$/;

export function dataFileName(spec: ColumnSpec, generation: number): string {
  return `${spec.fileStem}.${generation}.bin`;
}

export interface ManifestFile {
  readonly file: string;
  readonly dtype: ColumnDtype;
  readonly rowLength: number;
  readonly byteLength: number;
  /** CRC-32 (zlib) of the file's bytes. */
  readonly crc32: number;
}

export interface SnapshotManifest {
  readonly format: typeof SNAPSHOT_FORMAT;
  readonly version: number;
  readonly generation: number;
  readonly endianness: 'LE';
  readonly capacity: number;
  readonly observationDim: number;
  readonly actionDim: number;
  readonly cursor: ReplayCursor;
  readonly files: Readonly<Record<ColumnName, ManifestFile>>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function field(where: string, obj: Record<string, unknown>, key: string): number {
  const value = obj[key];
  if (!Number.isSafeInteger(value) || (value as number) < 0) {
    throw new SnapshotFormatError(
      `${where}: "${key}" must be a non-negative integer, got ${JSON.stringify(value)}.`,
    );
  }
  return value as number;
}

/**
 * Validates a parsed manifest and returns it typed. Checks that every byte length follows from
 * the declared size and dims, so a reader can trust them when checking the files.
 */
export function parseManifest(raw: unknown, path: string): SnapshotManifest {
  const where = `Replay snapshot manifest ${path}`;
  if (!isRecord(raw) || raw.format !== SNAPSHOT_FORMAT) {
    throw new SnapshotFormatError(
      `${where} is not a replay snapshot manifest (format tag "${SNAPSHOT_FORMAT}" missing).`,
    );
  }
  if (raw.version !== SNAPSHOT_VERSION) {
    throw new SnapshotFormatError(
      `${where} has format version ${JSON.stringify(raw.version)}; this @mbrl-ts/replay reads version ${SNAPSHOT_VERSION}. ` +
        'Load it with the version of the package that wrote it.',
    );
  }
  if (raw.endianness !== 'LE') {
    throw new SnapshotFormatError(
      `${where}: endianness must be "LE", got ${JSON.stringify(raw.endianness)}.`,
    );
  }
  const generation = field(where, raw, 'generation');
  const capacity = field(where, raw, 'capacity');
  const observationDim = field(where, raw, 'observationDim');
  const actionDim = field(where, raw, 'actionDim');
  if (!isRecord(raw.cursor)) throw new SnapshotFormatError(`${where}: "cursor" is missing.`);
  const cursor: ReplayCursor = {
    head: field(`${where} cursor`, raw.cursor, 'head'),
    size: field(`${where} cursor`, raw.cursor, 'size'),
    nextEpisodeStep: field(`${where} cursor`, raw.cursor, 'nextEpisodeStep'),
    totalAdded: field(`${where} cursor`, raw.cursor, 'totalAdded'),
  };
  if (capacity < 1 || observationDim < 1 || actionDim < 1) {
    throw new SnapshotFormatError(`${where}: capacity, observationDim and actionDim must be positive.`);
  }
  const consistent =
    cursor.size <= capacity &&
    cursor.head < capacity &&
    (cursor.size === capacity || cursor.head === cursor.size) &&
    cursor.totalAdded >= cursor.size;
  if (!consistent) {
    throw new SnapshotFormatError(
      `${where}: cursor ${JSON.stringify(cursor)} is inconsistent with capacity ${capacity} ` +
        '(size at most capacity, head equal to size until full, totalAdded at least size).',
    );
  }
  if (!isRecord(raw.files)) throw new SnapshotFormatError(`${where}: "files" is missing.`);
  const files = {} as Record<ColumnName, ManifestFile>;
  for (const spec of COLUMNS) {
    const entry = raw.files[spec.name];
    if (!isRecord(entry)) throw new SnapshotFormatError(`${where}: no entry for column "${spec.name}".`);
    const rowLength = spec.rowLength({ observationDim, actionDim });
    const expectedBytes = cursor.size * rowLength * spec.bytesPerElement;
    const file = entry.file;
    if (typeof file !== 'string' || file !== dataFileName(spec, generation)) {
      throw new SnapshotFormatError(
        `${where}: column "${spec.name}" names file ${JSON.stringify(file)}, expected "${dataFileName(spec, generation)}".`,
      );
    }
    if (entry.dtype !== spec.dtype || entry.rowLength !== rowLength || entry.byteLength !== expectedBytes) {
      throw new SnapshotFormatError(
        `${where}: column "${spec.name}" declares dtype ${JSON.stringify(entry.dtype)}, rowLength ${JSON.stringify(entry.rowLength)}, ` +
          `byteLength ${JSON.stringify(entry.byteLength)}; size ${cursor.size} and the dims require ${spec.dtype}, ${rowLength}, ${expectedBytes}.`,
      );
    }
    files[spec.name] = {
      file,
      dtype: spec.dtype,
      rowLength,
      byteLength: expectedBytes,
      crc32: field(where, entry, 'crc32'),
    };
  }
  return {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    generation,
    endianness: 'LE',
    capacity,
    observationDim,
    actionDim,
    cursor,
    files,
  };
}

/** The bytes of the filled rows [0, size) of a column, as a view (no copy). */
export function filledBytes(storage: ReplayStorage, spec: ColumnSpec, byteLength: number): Uint8Array {
  const array = storage[spec.name];
  return new Uint8Array(array.buffer, array.byteOffset, byteLength);
}
