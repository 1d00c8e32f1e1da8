/**
 * A run directory is owned by one live process at a time: `<run>/run.lock` holds the owner's pid,
 * host and start time. It is taken atomically (the content is written to a temporary file, which
 * is then hard-linked to the lock's name: the link fails if a lock is there), released when the
 * owner is done or exits, and a lock left by a process that died on this host is taken over with a
 * warning. A lock held by a live process, or by a process on another host (whose liveness cannot
 * be checked from here), is refused with a message naming the holder.
 */
import {
  closeSync,
  fsyncSync,
  linkSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { temporaryPathFor } from './atomic';

export const LOCK_FILE = 'run.lock';

export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly startedAt: string;
}

export class RunLockedError extends Error {
  override readonly name = 'RunLockedError';
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(path: string): LockHolder | undefined {
  try {
    const holder = JSON.parse(readFileSync(path, 'utf8')) as LockHolder;
    if (Number.isSafeInteger(holder?.pid) && typeof holder.host === 'string') return holder;
  } catch {
    // unreadable or torn: treated as stale below
  }
  return undefined;
}

function describeHolder(holder: LockHolder): string {
  return `process ${holder.pid} on ${holder.host} (since ${holder.startedAt})`;
}

export class RunLock {
  private released = false;
  private readonly onExit = (): void => this.release();

  private constructor(readonly path: string) {
    process.once('exit', this.onExit);
  }

  /**
   * Take the lock of `runDir` (which must exist). `warn` hears about a stale lock taken over.
   * Throws RunLockedError when another live process holds it.
   */
  static acquire(runDir: string, warn: (line: string) => void = () => {}): RunLock {
    const path = join(runDir, LOCK_FILE);
    const me: LockHolder = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
    const tmp = temporaryPathFor(path);
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, JSON.stringify(me) + '\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    try {
      for (let attempt = 0; attempt < 3; attempt++) {
        try {
          linkSync(tmp, path);
          return new RunLock(path);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        }
        const holder = readHolder(path);
        if (holder && holder.pid === process.pid && holder.host === me.host) {
          throw new RunLockedError(`${runDir} is already in use by this process`);
        }
        if (holder && (holder.host !== me.host || isAlive(holder.pid))) {
          throw new RunLockedError(
            `${runDir} is in use by ${describeHolder(holder)}; wait for it to finish or stop it ` +
              `(if that process is gone, delete ${path})`,
          );
        }
        // Stale: move it aside (only one contender's rename succeeds), then try the link again.
        const aside = `${path}.stale-${process.pid}`;
        try {
          renameSync(path, aside);
          const moved = readHolder(aside);
          if (moved && (moved.pid !== holder?.pid || moved.startedAt !== holder?.startedAt)) {
            // Another contender took the stale lock over between our read and our rename: give it back.
            try {
              linkSync(aside, path);
            } finally {
              rmSync(aside, { force: true });
            }
            throw new RunLockedError(
              `${runDir} is in use by ${describeHolder(moved)}; wait for it to finish`,
            );
          }
          rmSync(aside, { force: true });
          warn(
            holder
              ? `taking over the lock of ${runDir} from ${describeHolder(holder)}, which is no longer running`
              : `taking over an unreadable lock of ${runDir} (left by a process killed while taking it)`,
          );
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        }
      }
      throw new RunLockedError(`${runDir}: could not take its lock ${path}; another process keeps taking it`);
    } finally {
      rmSync(tmp, { force: true });
    }
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    process.off('exit', this.onExit);
    const holder = readHolder(this.path);
    if (holder?.pid === process.pid) rmSync(this.path, { force: true });
  }
}
