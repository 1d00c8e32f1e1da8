/**
 * The Table 1 grid: every (task, algorithm, seed) is one harness run directory
 * `<out>/<env>/<algo>/seed<k>`. `grid.json` beside them records what was asked (steps, seeds), so
 * the report can flag cells that fall short.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AlgorithmEntry } from './algorithms';
import { ReproInputError } from './errors';

export const GRID_MANIFEST = 'grid.json';

export interface GridRun {
  readonly envId: string;
  readonly algo: AlgorithmEntry;
  readonly seed: number;
  readonly dir: string;
  /**
   * Settings of this run alone (`--set k=v`, `--preset p`), given to a new run after the grid's
   * shared settings so they win: how an ablation variant differs from the algorithm's defaults.
   */
  readonly settingsArgs?: readonly string[];
}

/** What a table1 invocation asked for. */
export interface GridManifest {
  readonly steps: number;
  readonly seeds: number;
  readonly envs: readonly string[];
  readonly algos: readonly string[];
  readonly preset: string;
  /** The algorithm preset (`--algo-preset`), when one was asked. */
  readonly algoPreset?: string;
}

export function seedDirName(seed: number): string {
  return `seed${seed}`;
}

export function runDirectory(out: string, envId: string, algoKey: string, seed: number): string {
  return join(out, envId, algoKey, seedDirName(seed));
}

/** Runs in task-major order (each task's algorithms and seeds together), seeds 0 .. seeds-1. */
export function planGrid(
  out: string,
  envs: readonly string[],
  algos: readonly AlgorithmEntry[],
  seeds: number,
): GridRun[] {
  const runs: GridRun[] = [];
  for (const envId of envs) {
    for (const algo of algos) {
      for (let seed = 0; seed < seeds; seed++)
        runs.push({ envId, algo, seed, dir: runDirectory(out, envId, algo.key, seed) });
    }
  }
  return runs;
}

export function readGridManifest(out: string): GridManifest | undefined {
  const path = join(out, GRID_MANIFEST);
  if (!existsSync(path)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ReproInputError(`${path} is not valid JSON (${(error as Error).message}); delete it or fix it`);
  }
  const m = parsed as Partial<GridManifest>;
  const isInt = (v: unknown): v is number => Number.isInteger(v) && (v as number) > 0;
  const isNames = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
  if (
    !isInt(m.steps) ||
    !isInt(m.seeds) ||
    !isNames(m.envs) ||
    !isNames(m.algos) ||
    typeof m.preset !== 'string'
  ) {
    throw new ReproInputError(
      `${path} is not an mbrl-repro grid manifest (expected steps, seeds, envs, algos, preset)`,
    );
  }
  return m as GridManifest;
}

/**
 * Record this invocation: steps, seeds and preset as asked now; tasks and algorithms as the union
 * with earlier invocations into the same directory (a grid filled in several calls).
 */
export function writeGridManifest(out: string, asked: GridManifest): GridManifest {
  const previous = readGridManifest(out);
  const union = (a: readonly string[], b: readonly string[]) => [...new Set([...a, ...b])];
  const manifest: GridManifest = {
    ...asked,
    envs: union(previous?.envs ?? [], asked.envs),
    algos: union(previous?.algos ?? [], asked.algos),
  };
  writeFileSync(join(out, GRID_MANIFEST), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}
