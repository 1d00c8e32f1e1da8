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
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildManifest,
  CHECKPOINT_MANIFEST,
  CheckpointDamagedError,
  verifyCheckpoint,
  type CheckpointInfo,
} from '@mbrl-ts/contract';
import { renameDirectoryAtomic, writeJsonAtomic } from './atomic';

// The manifest's format and its check live in @mbrl-ts/contract (loadAgent reads checkpoints too).
export {
  CHECKPOINT_MANIFEST,
  CheckpointDamagedError,
  verifyCheckpoint,
  type CheckpointInfo,
  type CheckpointManifest,
  type ManifestEntry,
} from '@mbrl-ts/contract';

const PATTERN = /^checkpoint-(\d+)$/;

/** What `findUsable` found: the newest checkpoint that verifies, and the newer ones that did not. */
export interface CheckpointSearch {
  readonly usable: CheckpointInfo | undefined;
  readonly damaged: readonly CheckpointDamagedError[];
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
