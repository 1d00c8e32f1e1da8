/**
 * Checkpoints as directories `checkpoint-<step>` inside a run directory.
 *
 * A checkpoint is written into a hidden temporary directory first and renamed into place only when
 * every file is written and synced, so a run killed mid-write leaves the previous checkpoint intact
 * and no half checkpoint that `latest()` could pick up. The last `keep` checkpoints are kept.
 */
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { renameDirectoryAtomic, writeJsonAtomic } from './atomic';

const PATTERN = /^checkpoint-(\d+)$/;
const COMPLETE_MARKER = 'COMPLETE.json';

export interface CheckpointInfo {
  readonly step: number;
  readonly dir: string;
}

export class CheckpointStore {
  constructor(
    readonly root: string,
    readonly keep = 2,
  ) {
    if (!Number.isInteger(keep) || keep < 1)
      throw new RangeError(`CheckpointStore: keep must be >= 1, got ${keep}`);
  }

  /** Every complete checkpoint, oldest first. */
  list(): CheckpointInfo[] {
    if (!existsSync(this.root)) return [];
    return readdirSync(this.root)
      .map((name) => ({ name, match: PATTERN.exec(name) }))
      .filter(({ name, match }) => match && existsSync(join(this.root, name, COMPLETE_MARKER)))
      .map(({ name, match }) => ({ step: Number(match![1]), dir: join(this.root, name) }))
      .sort((a, b) => a.step - b.step);
  }

  latest(): CheckpointInfo | undefined {
    return this.list().at(-1);
  }

  /**
   * Write a checkpoint for `step`: `write(dir)` fills a fresh temporary directory; it is then
   * marked complete and renamed into place, and checkpoints beyond the newest `keep` are removed.
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
      writeJsonAtomic(join(tmpDir, COMPLETE_MARKER), { step, writtenAt: new Date().toISOString() });
      rmSync(finalDir, { recursive: true, force: true });
      renameDirectoryAtomic(tmpDir, finalDir);
    } catch (error) {
      rmSync(tmpDir, { recursive: true, force: true });
      throw error;
    }
    this.prune();
    return { step, dir: finalDir };
  }

  private prune(): void {
    const all = this.list();
    for (const old of all.slice(0, Math.max(0, all.length - this.keep))) {
      rmSync(old.dir, { recursive: true, force: true });
    }
    // Leftovers of runs killed mid-write.
    for (const name of readdirSync(this.root)) {
      if (name.startsWith('.checkpoint-') && !name.endsWith(`-${process.pid}`)) {
        rmSync(join(this.root, name), { recursive: true, force: true });
      }
    }
  }
}
