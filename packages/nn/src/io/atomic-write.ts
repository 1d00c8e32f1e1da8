/**
 * Crash-safe file replacement: write a temporary file next to the target, fsync it, rename it over
 * the target (atomic on POSIX file systems), then fsync the directory so the rename is durable.
 * A reader sees either the old file or the complete new one, never a torn write.
 */
import { open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

export async function writeFileAtomic(path: string, data: Uint8Array): Promise<void> {
  const temporary = `${path}.tmp-${process.pid}-${process.hrtime.bigint()}`;
  try {
    const handle = await open(temporary, 'w');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  await syncDirectory(dirname(path));
}

async function syncDirectory(directory: string): Promise<void> {
  try {
    const handle = await open(directory, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Some platforms (Windows) cannot fsync a directory; the rename is still atomic there.
  }
}
