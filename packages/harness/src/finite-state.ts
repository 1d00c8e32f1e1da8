/**
 * A checkpoint must never hold a non-finite number: a run resumed from it would fail at once.
 * Before a checkpoint is committed, the harness reads every tensor file the agent wrote (the
 * `mbrl-ts/tensors` format of @mbrl-ts/nn: a JSON manifest beside a little-endian float32/int32
 * data file) and reports the first float32 value that is NaN or infinite, with its file and tensor.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * @mbrl-ts/nn's TENSOR_FILE_FORMAT, repeated so that the loop does not load tfjs to check a file
 * (a test holds the two equal).
 */
export const TENSOR_FILE_FORMAT = 'mbrl-ts/tensors';

export interface NonFiniteValue {
  /** The tensor file's manifest, relative to the directory scanned. */
  readonly file: string;
  readonly tensor: string;
  readonly index: number;
  readonly value: number;
}

interface StoredTensors {
  format?: unknown;
  dataFile?: unknown;
  tensors?: Array<{ name: string; dtype: string; byteOffset: number; byteLength: number }>;
}

function jsonFilesBelow(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...jsonFilesBelow(full));
    else if (entry.isFile() && entry.name.endsWith('.json')) out.push(full);
  }
  return out.sort();
}

/** The first non-finite float32 value in the tensor files below `dir`, or undefined. */
export function findNonFiniteTensorValue(dir: string): NonFiniteValue | undefined {
  for (const manifestPath of jsonFilesBelow(dir)) {
    let manifest: StoredTensors;
    try {
      manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as StoredTensors;
    } catch {
      continue; // not a tensor file (the agent's own JSON may be anything)
    }
    if (manifest?.format !== TENSOR_FILE_FORMAT || typeof manifest.dataFile !== 'string') continue;
    const bytes = readFileSync(join(manifestPath, '..', manifest.dataFile));
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (const tensor of manifest.tensors ?? []) {
      if (tensor.dtype !== 'float32') continue;
      for (let i = 0; i < tensor.byteLength / 4; i++) {
        const value = view.getFloat32(tensor.byteOffset + 4 * i, true);
        if (!Number.isFinite(value)) {
          return { file: relative(dir, manifestPath), tensor: tensor.name, index: i, value };
        }
      }
    }
  }
  return undefined;
}
