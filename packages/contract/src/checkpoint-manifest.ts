/**
 * The checkpoint manifest: the commit point of a checkpoint directory and its integrity check.
 *
 * The harness writes `COMPLETE.json` last into a checkpoint directory: the size and SHA-256 of
 * every file in it (the agent's files included). A directory without one is not a checkpoint;
 * `verifyCheckpoint` reads the manifest and checks every file it lists, so a truncated, zeroed,
 * bit-flipped, edited or missing file is found before anything is read from it. Here, below the
 * harness, so that whatever reads a run directory (the harness's resume and eval, an agent
 * package's `loadAgent`) checks it the same way.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

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

export function buildManifest(dir: string, step: number): CheckpointManifest {
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
