/**
 * What a run ran on, so two runs can be told apart later: run.json in the run folder holds one
 * entry per start (the first `train`, then each `--resume`) with the step it started at, the
 * backend and kernels that really ran (library, its description, precision, threads), the mbrl-ts
 * packages' versions, the git commit when run from a checkout, Node, the OS and the CPU.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeJsonAtomic } from './atomic';

/** The backend as `initBackend` describes it (the fields the record keeps). */
export interface BackendFacts {
  readonly name: string;
  readonly kernels: string | null;
  readonly precision: string;
  readonly blas: { threads: number; config: string; library: string; precision: string } | null;
}

export interface RunStart {
  readonly startedAt: string;
  readonly step: number;
  readonly program: string;
  readonly backend: BackendFacts;
  readonly packages: Record<string, string>;
  readonly gitCommit: string | null;
  readonly node: string;
  readonly os: string;
  readonly cpu: { model: string; count: number };
}

/** The versions of the @mbrl-ts packages installed beside this one (from their package.json). */
export function packageVersions(): Record<string, string> {
  // This file sits in <package>/src or <package>/dist; the @mbrl-ts packages are its siblings in
  // node_modules/@mbrl-ts (an install) or the workspace's packages/ (a checkout, linked there too).
  const scope = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const out: Record<string, string> = {};
  if (!existsSync(scope)) return out;
  for (const entry of readdirSync(scope).sort()) {
    const file = join(scope, entry, 'package.json');
    if (!existsSync(file)) continue;
    try {
      const manifest = JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown };
      if (
        typeof manifest.name === 'string' &&
        manifest.name.startsWith('@mbrl-ts/') &&
        typeof manifest.version === 'string'
      )
        out[manifest.name] = manifest.version;
    } catch {
      // not a package folder: skipped
    }
  }
  return out;
}

/**
 * HEAD's commit of the git checkout `cwd` lies in (default: the one this code runs from), with
 * "+dirty" when tracked files have uncommitted changes; null outside a checkout or without git.
 */
export function gitCommit(cwd: string = dirname(fileURLToPath(import.meta.url))): string | null {
  try {
    const run = (args: string[]) =>
      execFileSync('git', args, {
        cwd,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
        timeout: 5000,
      }).trim();
    const head = run(['rev-parse', 'HEAD']);
    return run(['status', '--porcelain', '--untracked-files=no']) === '' ? head : `${head}+dirty`;
  } catch {
    return null;
  }
}

/** This process's facts for a start at `step`. */
export function describeStart(program: string, step: number, backend: BackendFacts): RunStart {
  const cpus = os.cpus();
  return {
    startedAt: new Date().toISOString(),
    step,
    program,
    backend: {
      name: backend.name,
      kernels: backend.kernels,
      precision: backend.precision,
      blas: backend.blas,
    },
    packages: packageVersions(),
    gitCommit: gitCommit(),
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    cpu: { model: cpus[0]?.model ?? 'unknown', count: cpus.length },
  };
}

/** Append a start to `dir`/run.json (written atomically; a damaged record is started again). */
export function recordStart(dir: string, start: RunStart): void {
  const path = join(dir, 'run.json');
  let starts: RunStart[] = [];
  if (existsSync(path)) {
    try {
      const saved = JSON.parse(readFileSync(path, 'utf8')) as { starts?: unknown };
      if (Array.isArray(saved.starts)) starts = saved.starts as RunStart[];
    } catch {
      starts = [];
    }
  }
  writeJsonAtomic(path, { starts: [...starts, start] });
}
