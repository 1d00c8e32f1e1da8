/**
 * The Table 1 grid: every (task, algorithm, seed) is one harness run directory
 * `<out>/<env>/<algo>/seed<k>`. `grid.json` beside them records what was asked (steps, seeds), so
 * the report can flag cells that fall short.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { writeJsonAtomic } from '@mbrl-ts/harness';
import { algorithmEntry, type AlgorithmEntry } from './algorithms';
import { ReproInputError } from './errors';
import { presetSetArgs } from './presets';

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
  /** `--set key=value` settings of every new run, in order. */
  readonly set?: readonly string[];
  /** `--config`: the settings file of every new run (absolute path). */
  readonly config?: string;
  /**
   * A fixed grid (written by `table1 --slurm` or `--shard`): cell i of the list is what
   * `mbrl-repro cell --index i` runs. Absent in grids that plain `table1` invocations fill in.
   */
  readonly cells?: readonly GridCell[];
  /** Failures (not signals) after which a cell is not tried again (fixed grids). */
  readonly maxFailures?: number;
}

/** One cell of a fixed grid: its run directory is `dir`, relative to grid.json's folder. */
export interface GridCell {
  readonly env: string;
  readonly algo: string;
  readonly seed: number;
  readonly dir: string;
  /** The algorithm preset (`--preset` of its program), when the grid's applies to this algorithm. */
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
  const m = parsed as Partial<GridManifest> & { cells?: unknown };
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
  const isCell = (c: unknown): c is GridCell => {
    const cell = c as Partial<GridCell>;
    return (
      typeof cell === 'object' &&
      cell !== null &&
      typeof cell.env === 'string' &&
      typeof cell.algo === 'string' &&
      Number.isInteger(cell.seed) &&
      (cell.seed as number) >= 0 &&
      typeof cell.dir === 'string' &&
      // a cell's directory stays inside the grid's folder
      !cell.dir.split(/[\\/]/).includes('..') &&
      !cell.dir.startsWith('/') &&
      (cell.algoPreset === undefined || typeof cell.algoPreset === 'string')
    );
  };
  if (
    (m.cells !== undefined && !(Array.isArray(m.cells) && m.cells.every(isCell))) ||
    (m.set !== undefined && !isNames(m.set)) ||
    (m.config !== undefined && typeof m.config !== 'string') ||
    (m.maxFailures !== undefined && !isInt(m.maxFailures))
  ) {
    throw new ReproInputError(`${path}: malformed cells, set, config or maxFailures; delete it or fix it`);
  }
  return m as GridManifest;
}

/** The cells of a fixed grid, in order: every planned run, its directory relative to `out`. */
export function gridCells(out: string, runs: readonly GridRun[]): GridCell[] {
  return runs.map((run) => {
    const preset = run.settingsArgs?.[run.settingsArgs.indexOf('--preset') + 1];
    return {
      env: run.envId,
      algo: run.algo.key,
      seed: run.seed,
      dir: relative(out, run.dir),
      ...(run.settingsArgs?.includes('--preset') && preset ? { algoPreset: preset } : {}),
    };
  });
}

/** A fixed grid's cell as a run the runner can start, its directory under `out`. */
export function cellRun(out: string, cell: GridCell): GridRun {
  return {
    envId: cell.env,
    algo: algorithmEntry(cell.algo),
    seed: cell.seed,
    dir: resolve(out, cell.dir),
    ...(cell.algoPreset ? { settingsArgs: ['--preset', cell.algoPreset] } : {}),
  };
}

/** The arguments every new run of the grid gets: the loop preset, then --config, then --set. */
export function gridSettingsArgs(manifest: GridManifest): string[] {
  return [
    ...presetSetArgs(manifest.preset),
    ...(manifest.config ? ['--config', manifest.config] : []),
    ...(manifest.set ?? []).flatMap((kv) => ['--set', kv]),
  ];
}

/**
 * How `asked` differs from an existing grid's settings, one phrase per difference (empty when
 * they agree): a fixed grid's cells run with the settings of its grid.json, so a second
 * invocation into the same folder must ask for the same grid.
 */
export function settingsDifferences(existing: GridManifest, asked: GridManifest): string[] {
  const show = (v: unknown) => (v === undefined ? 'none' : JSON.stringify(v));
  const fields: ReadonlyArray<[string, unknown, unknown]> = [
    ['steps', existing.steps, asked.steps],
    ['seeds', existing.seeds, asked.seeds],
    ['envs', existing.envs, asked.envs],
    ['algos', existing.algos, asked.algos],
    ['preset', existing.preset, asked.preset],
    ['algo-preset', existing.algoPreset, asked.algoPreset],
    ['set', existing.set ?? (existing.cells ? [] : undefined), asked.set ?? []],
    ['config', existing.config, asked.config],
  ];
  return fields
    .filter(([, a, b]) => JSON.stringify(a) !== JSON.stringify(b))
    .map(([name, a, b]) => `${name} ${show(b)} here, ${show(a)} there`);
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
  writeJsonAtomic(join(out, GRID_MANIFEST), manifest);
  return manifest;
}

/** Write a fixed grid's manifest as asked (the caller checked it agrees with any earlier one). */
export function writeFixedGridManifest(out: string, manifest: GridManifest): void {
  writeJsonAtomic(join(out, GRID_MANIFEST), manifest);
}
