/**
 * Checkpoints as directories `checkpoint-<step>` inside a run directory.
 *
 * A checkpoint is written into a hidden temporary directory. When every file is written and synced,
 * the harness writes the manifest `COMPLETE.json` last: the size and SHA-256 of every file in the
 * directory (the agent's files included), then renames the directory into place. The manifest is the
 * commit point: a directory without one is not a checkpoint. Loading verifies the manifest, so a
 * truncated, zeroed, bit-flipped, edited or missing file is found before anything is read from it,
 * and the next older checkpoint can be used instead. The last `keep` checkpoints are kept.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { renameDirectoryAtomic, writeJsonAtomic } from './atomic';

const PATTERN = /^checkpoint-(\d+)$/;
export const CHECKPOINT_MANIFEST = 'COMPLETE.json';
const MANIFEST_FORMAT = 'mbrl-ts/checkpoint';
const MANIFEST_VERSION = 1;

export interface CheckpointInfo {
  readonly step: number;
  readonly dir: string;
}

export interface ManifestEntry {
  /** Path relative to the checkpoint directory, with '/' separators. */
  readonly path: string;
  readonly size: number;
  readonly sha256: string;
}

export interface CheckpointManifest {
  readonly format: typeof MANIFEST_FORMAT;
  readonly version: number;
  readonly step: number;
  readonly writtenAt: string;
  readonly files: readonly ManifestEntry[];
}

/** A checkpoint that cannot be trusted: the message names the checkpoint and what is wrong. */
export class CheckpointDamagedError extends Error {
  override readonly name = 'CheckpointDamagedError';
  constructor(
    readonly checkpoint: CheckpointInfo,
    readonly reason: string,
  ) {
    super(`checkpoint ${checkpoint.dir} is damaged: ${reason}`);
  }
}

/** What `findUsable` found: the newest checkpoint that verifies, and the newer ones that did not. */
export interface CheckpointSearch {
  readonly usable: CheckpointInfo | undefined;
  readonly damaged: readonly CheckpointDamagedError[];
}

function sha256Of(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Every file below `dir`, as paths relative to it, sorted (the manifest itself excluded). */
function filesBelow(dir: string): string[] {
  const out: string[] = [];
  const walk = (current: string): void => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const full = join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) out.push(relative(dir, full).split(sep).join('/'));
    }
  };
  walk(dir);
  return out.filter((p) => p !== CHECKPOINT_MANIFEST).sort();
}

function buildManifest(dir: string, step: number): CheckpointManifest {
  return {
    format: MANIFEST_FORMAT,
    version: MANIFEST_VERSION,
    step,
    writtenAt: new Date().toISOString(),
    files: filesBelow(dir).map((path) => {
      const full = join(dir, ...path.split('/'));
      return { path, size: statSync(full).size, sha256: sha256Of(full) };
    }),
  };
}

function isEntry(value: unknown): value is ManifestEntry {
  const e = value as ManifestEntry;
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof e.path === 'string' &&
    e.path.length > 0 &&
    !e.path.split('/').includes('..') &&
    Number.isSafeInteger(e.size) &&
    typeof e.sha256 === 'string' &&
    /^[0-9a-f]{64}$/.test(e.sha256)
  );
}

/** Check `info`'s manifest and every file it lists; throws CheckpointDamagedError naming the first fault. */
export function verifyCheckpoint(info: CheckpointInfo): CheckpointManifest {
  const damaged = (reason: string): never => {
    throw new CheckpointDamagedError(info, reason);
  };
  let manifest: CheckpointManifest;
  try {
    manifest = JSON.parse(readFileSync(join(info.dir, CHECKPOINT_MANIFEST), 'utf8')) as CheckpointManifest;
  } catch (error) {
    return damaged(`its manifest ${CHECKPOINT_MANIFEST} cannot be read (${(error as Error).message})`);
  }
  if (manifest?.format !== MANIFEST_FORMAT || !Array.isArray(manifest.files)) {
    return damaged(`${CHECKPOINT_MANIFEST} is not an mbrl-ts checkpoint manifest`);
  }
  if (manifest.version !== MANIFEST_VERSION) {
    return damaged(`manifest version ${String(manifest.version)}, this build reads ${MANIFEST_VERSION}`);
  }
  if (manifest.step !== info.step) {
    return damaged(`the manifest is for step ${String(manifest.step)}, the directory for step ${info.step}`);
  }
  if (manifest.files.length === 0) return damaged('the manifest lists no files');
  for (const entry of manifest.files) {
    if (!isEntry(entry)) return damaged(`the manifest has a malformed entry ${JSON.stringify(entry)}`);
    const full = join(info.dir, ...entry.path.split('/'));
    if (!existsSync(full)) return damaged(`${entry.path} is missing`);
    const size = statSync(full).size;
    if (size !== entry.size)
      return damaged(`${entry.path} has ${size} bytes, the manifest says ${entry.size}`);
    if (sha256Of(full) !== entry.sha256) return damaged(`${entry.path} does not match its checksum`);
  }
  return manifest;
}

export class CheckpointStore {
  constructor(
    readonly root: string,
    readonly keep = 2,
  ) {
    if (!Number.isInteger(keep) || keep < 1)
      throw new RangeError(`CheckpointStore: keep must be >= 1, got ${keep}`);
  }

  /** Every committed checkpoint (its manifest is there; not yet verified), oldest first. */
  list(): CheckpointInfo[] {
    if (!existsSync(this.root)) return [];
    return readdirSync(this.root)
      .map((name) => ({ name, match: PATTERN.exec(name) }))
      .filter(({ name, match }) => match && existsSync(join(this.root, name, CHECKPOINT_MANIFEST)))
      .map(({ name, match }) => ({ step: Number(match![1]), dir: join(this.root, name) }))
      .sort((a, b) => a.step - b.step);
  }

  latest(): CheckpointInfo | undefined {
    return this.list().at(-1);
  }

  /** Directories named like a checkpoint, committed or not (a run that has any was not new). */
  hasAnyCheckpointDirectory(): boolean {
    return existsSync(this.root) && readdirSync(this.root).some((name) => PATTERN.test(name));
  }

  /**
   * The newest checkpoint whose manifest and files verify, and every newer one that did not
   * (newest first). Directories named like a checkpoint without a manifest count as damaged too.
   */
  findUsable(): CheckpointSearch {
    const damaged: CheckpointDamagedError[] = [];
    if (!existsSync(this.root)) return { usable: undefined, damaged };
    const all = readdirSync(this.root)
      .map((name) => ({ name, match: PATTERN.exec(name) }))
      .filter(({ match }) => match)
      .map(({ name, match }) => ({ step: Number(match![1]), dir: join(this.root, name) }))
      .sort((a, b) => b.step - a.step);
    for (const info of all) {
      if (!existsSync(join(info.dir, CHECKPOINT_MANIFEST))) {
        damaged.push(new CheckpointDamagedError(info, `it has no manifest ${CHECKPOINT_MANIFEST}`));
        continue;
      }
      try {
        verifyCheckpoint(info);
        return { usable: info, damaged };
      } catch (error) {
        if (!(error instanceof CheckpointDamagedError)) throw error;
        damaged.push(error);
      }
    }
    return { usable: undefined, damaged };
  }

  /**
   * Write a checkpoint for `step`: `write(dir)` fills a fresh temporary directory; the manifest is
   * written last and the directory renamed into place; checkpoints beyond the newest `keep` are
   * removed.
   */
  async save(step: number, write: (dir: string) => Promise<void> | void): Promise<CheckpointInfo> {
    if (!Number.isInteger(step) || step < 0)
      throw new RangeError(`checkpoint step must be a non-negative integer`);
    mkdirSync(this.root, { recursive: true });
    const finalDir = join(this.root, `checkpoint-${step}`);
    const tmpDir = join(this.root, `.checkpoint-${step}.tmp-${process.pid}`);
    rmSync(tmpDir, { recursive: true, force: true });
    mkdirSync(tmpDir);
    try {
      await write(tmpDir);
      writeJsonAtomic(join(tmpDir, CHECKPOINT_MANIFEST), buildManifest(tmpDir, step));
      rmSync(finalDir, { recursive: true, force: true });
      renameDirectoryAtomic(tmpDir, finalDir);
    } catch (error) {
      rmSync(tmpDir, { recursive: true, force: true });
      throw error;
    }
    this.prune(step);
    return { step, dir: finalDir };
  }

  /**
   * Keep the checkpoint just written and the newest `keep - 1` before it. Checkpoints of later
   * steps (left by a run resumed from an older checkpoint because a newer one was damaged) stay
   * until the run writes that step again.
   */
  private prune(saved: number): void {
    const older = this.list().filter((c) => c.step < saved);
    for (const old of older.slice(0, Math.max(0, older.length - (this.keep - 1)))) {
      rmSync(old.dir, { recursive: true, force: true });
    }
    // Leftovers of runs killed mid-write (the run lock means no other live process writes here).
    for (const name of readdirSync(this.root)) {
      if (name.startsWith('.checkpoint-') && !name.endsWith(`-${process.pid}`)) {
        rmSync(join(this.root, name), { recursive: true, force: true });
      }
    }
  }
}
