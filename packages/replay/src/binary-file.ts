/**
 * Streamed binary I/O for snapshot columns: typed-array bytes go to and from disk in fixed-size
 * chunks straight through views of the array's memory (no copies, no giant strings), with a
 * running CRC-32 (zlib's native implementation).
 */
import { open, rename } from 'node:fs/promises';
import { crc32 } from 'node:zlib';

/** Chunk size of every read and write. */
export const CHUNK_BYTES = 16 * 2 ** 20;

/**
 * Writes `bytes` to `path` atomically: into `path + '.tmp'` first, fsynced, then renamed over
 * `path`. Returns the CRC-32 of the bytes.
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<number> {
  const temp = `${path}.tmp`;
  const handle = await open(temp, 'w');
  let crc = 0;
  try {
    let written = 0;
    while (written < bytes.byteLength) {
      const length = Math.min(CHUNK_BYTES, bytes.byteLength - written);
      const chunk = bytes.subarray(written, written + length);
      let done = 0;
      while (done < length) {
        const { bytesWritten } = await handle.write(chunk, done, length - done, written + done);
        done += bytesWritten;
      }
      crc = crc32(chunk, crc);
      written += length;
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, path);
  return crc;
}

/** Outcome of reading a file into memory: how many bytes it had, and their CRC-32. */
export interface ReadResult {
  readonly bytesRead: number;
  readonly crc: number;
}

/**
 * Reads exactly `target.byteLength` bytes of `path` into `target`. Stops early (bytesRead less
 * than the target) when the file is shorter; the caller decides what that means.
 */
export async function readFileInto(path: string, target: Uint8Array): Promise<ReadResult> {
  const handle = await open(path, 'r');
  let crc = 0;
  let total = 0;
  try {
    while (total < target.byteLength) {
      const length = Math.min(CHUNK_BYTES, target.byteLength - total);
      const { bytesRead } = await handle.read(target, total, length, total);
      if (bytesRead === 0) break;
      crc = crc32(target.subarray(total, total + bytesRead), crc);
      total += bytesRead;
    }
  } finally {
    await handle.close();
  }
  return { bytesRead: total, crc };
}

/** Fsyncs a directory so that renames inside it survive a crash (a no-op where unsupported). */
export async function syncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Some platforms cannot open or fsync directories; the renames are still atomic there.
  } finally {
    await handle?.close();
  }
}
