/**
 * Where a run may be written, checked before any work starts: a directory (or a path whose first
 * existing ancestor is a directory), on a real file system (not /proc or /sys), that this process
 * may write. Anything else is a RunDirectoryError that says which path is wrong and why.
 */
import { accessSync, constants, existsSync, realpathSync, statfsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export class RunDirectoryError extends Error {
  override readonly name = 'RunDirectoryError';
}

/** statfs types of kernel file systems that cannot hold files (proc, sysfs, cgroup v1/v2, debugfs). */
const VIRTUAL_FS_TYPES = new Map<number, string>([
  [0x9fa0, 'proc'],
  [0x62656572, 'sysfs'],
  [0x27e0eb, 'cgroup'],
  [0x63677270, 'cgroup2'],
  [0x64626720, 'debugfs'],
]);

/** The nearest ancestor of `path` (itself included) that exists. */
export function nearestExisting(path: string): string {
  let current = path;
  while (!existsSync(current)) {
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  return current;
}

function errnoOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
}

/** Throws RunDirectoryError unless a run directory can be created (or used) at `path`. */
export function checkOutputPlace(path: string, flag = '--out'): string {
  if (path.trim() === '') throw new RunDirectoryError(`${flag} is empty; name a directory for the run`);
  const target = resolve(path);
  const existing = nearestExisting(target);
  const stats = statSync(existing);
  if (!stats.isDirectory()) {
    throw new RunDirectoryError(
      existing === target
        ? `${flag} ${target} is a file, not a directory; choose another ${flag}`
        : `${flag} ${target} is below ${existing}, which is a file; choose another ${flag}`,
    );
  }
  const real = realpathSync(existing);
  const fsType = VIRTUAL_FS_TYPES.get(Number(statfsSync(real).type));
  if (fsType || /^\/(proc|sys)(\/|$)/.test(real)) {
    throw new RunDirectoryError(
      `${flag} ${target} is on the kernel's ${fsType ?? real.split('/')[1]} file system, which cannot hold a run; choose another ${flag}`,
    );
  }
  try {
    accessSync(existing, constants.W_OK | constants.X_OK);
  } catch (error) {
    throw new RunDirectoryError(
      `${flag} ${target}: ${existing} is not writable (${errnoOf(error)}); choose another ${flag}`,
    );
  }
  return target;
}
