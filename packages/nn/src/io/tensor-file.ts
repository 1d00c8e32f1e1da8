/**
 * Tensor files: a binary data file (`<base>.bin`, every tensor's values as 4-byte little-endian
 * float32 or int32, back to back) and a JSON manifest (`<base>.json`) listing each tensor's name,
 * dtype, shape, byte offset and byte length, with a format version, the total byte length and an
 * FNV-1a checksum of the data. Loading verifies all of these and fails with a ParameterFileError
 * that says what is wrong. Both files are written atomically (data first, then the manifest).
 */
import * as tf from '@tensorflow/tfjs-core';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { ParameterFileError } from '../errors';
import { writeFileAtomic } from './atomic-write';

export const TENSOR_FILE_FORMAT = 'mbrl-ts/tensors';
export const TENSOR_FILE_VERSION = 1;

export type StoredDtype = 'float32' | 'int32';

export interface TensorEntry {
  name: string;
  dtype: StoredDtype;
  shape: number[];
  byteOffset: number;
  byteLength: number;
}

export interface TensorManifest {
  format: typeof TENSOR_FILE_FORMAT;
  version: number;
  dataFile: string;
  byteLength: number;
  checksum: string;
  tensors: TensorEntry[];
  /** Free-form JSON the caller stores with the tensors (step counters, config). */
  metadata: Record<string, unknown>;
}

/** `<base>.json` and `<base>.bin` for a base path given with or without either extension. */
export function tensorFilePaths(path: string): { manifest: string; data: string } {
  const base = path.replace(/\.(json|bin)$/, '');
  return { manifest: `${base}.json`, data: `${base}.bin` };
}

/** Write `tensors` (float32 or int32) under `path` atomically. */
export async function saveTensors(
  path: string,
  tensors: Map<string, tf.Tensor>,
  metadata: Record<string, unknown> = {},
): Promise<void> {
  const paths = tensorFilePaths(path);
  const entries: TensorEntry[] = [];
  let byteLength = 0;
  for (const [name, tensor] of tensors) {
    if (tensor.dtype !== 'float32' && tensor.dtype !== 'int32') {
      throw new ParameterFileError(
        paths.manifest,
        `cannot store '${name}' of dtype ${tensor.dtype}; only float32 and int32 are supported`,
      );
    }
    entries.push({
      name,
      dtype: tensor.dtype,
      shape: [...tensor.shape],
      byteOffset: byteLength,
      byteLength: 4 * tensor.size,
    });
    byteLength += 4 * tensor.size;
  }
  const bytes = new Uint8Array(byteLength);
  const view = new DataView(bytes.buffer);
  for (const entry of entries) {
    const values = (tensors.get(entry.name) as tf.Tensor).dataSync();
    for (let i = 0; i < values.length; i++) {
      const offset = entry.byteOffset + 4 * i;
      if (entry.dtype === 'float32') view.setFloat32(offset, values[i], true);
      else view.setInt32(offset, values[i], true);
    }
  }
  const manifest: TensorManifest = {
    format: TENSOR_FILE_FORMAT,
    version: TENSOR_FILE_VERSION,
    dataFile: basename(paths.data),
    byteLength,
    checksum: fnv1a32(bytes),
    tensors: entries,
    metadata,
  };
  await writeFileAtomic(paths.data, bytes);
  await writeFileAtomic(paths.manifest, new TextEncoder().encode(`${JSON.stringify(manifest, null, 1)}\n`));
}

/** Read and verify a tensor file. The caller owns (and disposes) the returned tensors. */
export async function loadTensors(
  path: string,
): Promise<{ tensors: Map<string, tf.Tensor>; manifest: TensorManifest }> {
  const paths = tensorFilePaths(path);
  const manifest = await readManifest(paths.manifest);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(paths.data);
  } catch (error) {
    throw new ParameterFileError(paths.data, `cannot read the data file (${(error as Error).message})`);
  }
  if (bytes.byteLength !== manifest.byteLength) {
    throw new ParameterFileError(
      paths.data,
      `holds ${bytes.byteLength} bytes but the manifest expects ${manifest.byteLength}: the file is truncated or belongs to another save; restore both files from the same save`,
    );
  }
  if (fnv1a32(bytes) !== manifest.checksum) {
    throw new ParameterFileError(
      paths.data,
      'checksum mismatch: the data file is corrupt or from another save',
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tensors = new Map<string, tf.Tensor>();
  for (const entry of manifest.tensors) {
    const size = entry.shape.reduce((a, b) => a * b, 1);
    if (entry.byteLength !== 4 * size || entry.byteOffset + entry.byteLength > bytes.byteLength) {
      throw new ParameterFileError(
        paths.manifest,
        `entry '${entry.name}' (shape [${entry.shape}]) does not fit its byte range`,
      );
    }
    const values = entry.dtype === 'float32' ? new Float32Array(size) : new Int32Array(size);
    for (let i = 0; i < size; i++) {
      const offset = entry.byteOffset + 4 * i;
      values[i] = entry.dtype === 'float32' ? view.getFloat32(offset, true) : view.getInt32(offset, true);
    }
    tensors.set(entry.name, tf.tensor(values, entry.shape, entry.dtype));
  }
  return { tensors, manifest };
}

async function readManifest(path: string): Promise<TensorManifest> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ParameterFileError(path, `cannot read the manifest (${(error as Error).message})`);
  }
  let parsed: Partial<TensorManifest>;
  try {
    parsed = JSON.parse(text) as Partial<TensorManifest>;
  } catch {
    throw new ParameterFileError(path, 'the manifest is not valid JSON (truncated or corrupt)');
  }
  if (parsed.format !== TENSOR_FILE_FORMAT) {
    throw new ParameterFileError(
      path,
      `format is '${String(parsed.format)}', expected '${TENSOR_FILE_FORMAT}'`,
    );
  }
  if (parsed.version !== TENSOR_FILE_VERSION) {
    throw new ParameterFileError(
      path,
      `format version ${String(parsed.version)} is not supported (this build reads version ${TENSOR_FILE_VERSION})`,
    );
  }
  if (
    !Array.isArray(parsed.tensors) ||
    typeof parsed.byteLength !== 'number' ||
    typeof parsed.checksum !== 'string'
  ) {
    throw new ParameterFileError(path, 'the manifest lacks tensors, byteLength or checksum');
  }
  for (const entry of parsed.tensors) {
    if (entry.dtype !== 'float32' && entry.dtype !== 'int32') {
      throw new ParameterFileError(
        path,
        `entry '${entry.name}' has unsupported dtype ${String(entry.dtype)}`,
      );
    }
  }
  return { metadata: {}, ...parsed } as TensorManifest;
}

/** 32-bit FNV-1a hash of the bytes, as 8 hex digits. */
export function fnv1a32(bytes: Uint8Array): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    hash ^= bytes[i];
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}
