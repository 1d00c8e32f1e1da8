/**
 * Crash-safe file writes: write to a temporary file beside the target, fsync it, rename it over the
 * target, then fsync the directory so the rename itself survives a power cut. A reader sees either
 * the old file or the new one, never a half-written one.
 */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

let counter = 0;

function fsyncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some file systems refuse fsync on directories; the rename is still atomic there.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** A unique temporary path in the same directory as `target` (same file system, so rename is atomic). */
export function temporaryPathFor(target: string): string {
  counter += 1;
  return join(dirname(target), `.${basename(target)}.tmp-${process.pid}-${counter}`);
}

export function writeFileAtomic(target: string, data: string | Uint8Array): void {
  const tmp = temporaryPathFor(target);
  const fd = openSync(tmp, 'w');
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    const e = error as NodeJS.ErrnoException;
    if (e.code !== undefined && e.path === undefined) e.path = target; // write errors name no file
    throw e;
  }
  closeSync(fd);
  renameSync(tmp, target);
  fsyncDirectory(dirname(target));
}

export function writeJsonAtomic(target: string, value: unknown): void {
  writeFileAtomic(target, JSON.stringify(value, null, 2) + '\n');
}

/** Rename a finished directory into place and make the rename durable. */
export function renameDirectoryAtomic(from: string, to: string): void {
  renameSync(from, to);
  fsyncDirectory(dirname(to));
}
