/**
 * Reads a grid directory `<runs>/<env>/<algo>/seed<k>/` of harness runs, checking each one: a
 * config.json of an mbrl-ts run whose task, algorithm and seed match its place in the grid, and an
 * evaluations.csv with the harness's header and finite numbers at increasing steps. Anything else
 * is a `RunDirectoryProblem` naming the directory and what is wrong. A run with no evaluation yet
 * is kept (it shows as missing in the tables, not as zero).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { algorithmEntry } from '../algorithms';
import { ReproInputError, RunDirectoryProblem } from '../errors';
import { GRID_MANIFEST, readGridManifest, type GridManifest } from '../grid';
import { RUN_LOG } from '../runner';
import { CELL_STATE } from '../cell-state';

/** The columns of a harness run's evaluations.csv (packages/harness run-dir.ts). */
export const EVALUATION_COLUMNS = [
  'step',
  'episodes',
  'return_mean',
  'return_std',
  'length_mean',
  'wall_s',
] as const;

export interface Evaluation {
  readonly step: number;
  readonly episodes: number;
  readonly returnMean: number;
  readonly returnStd: number;
  readonly lengthMean: number;
  /** Wall-clock seconds of the run (all of its segments) when this evaluation was logged. */
  readonly wallSeconds: number;
}

export interface RunRecord {
  readonly envId: string;
  /** The grid's algorithm key (the <algo> directory). */
  readonly algo: string;
  readonly seed: number;
  readonly dir: string;
  readonly totalSteps: number;
  readonly warmupSteps: number;
  /** Oldest first; empty for a run that has not evaluated yet. */
  readonly evaluations: readonly Evaluation[];
}

/** A run directory the runner made whose training program has not written config.json yet. */
export interface StartingRun {
  readonly envId: string;
  readonly algo: string;
  readonly seed: number;
  readonly dir: string;
}

export interface GridRecords {
  readonly root: string;
  readonly manifest?: GridManifest;
  readonly runs: readonly RunRecord[];
  readonly starting: readonly StartingRun[];
}

const SEED_DIR = /^seed(\d+)$/;

function subdirectories(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => !name.startsWith('.'))
    .filter((name) => statSync(join(dir, name)).isDirectory())
    .sort();
}

/**
 * How the <algo> level of a grid maps to runs: the `algo` a run's config.json must name, and any
 * further check of its settings. Table 1 grids use the algorithm keys (the default); ablation grids
 * name variants of one algorithm (`alm-no-kl` holds alm runs with klCoefficient=0).
 */
export interface GridLayout {
  /** The config.json `algo` expected under the <algo> directory `algoDir`. */
  readonly algoOf?: (algoDir: string) => string;
  /** Throws a RunDirectoryProblem when the run's settings do not belong under `algoDir`. */
  readonly checkRun?: (dir: string, algoDir: string, config: SavedConfig) => void;
}

/** Read every run under `root`; `skip` names top-level directories that are not tasks (the report's own). */
export function readGrid(root: string, skip: readonly string[] = [], layout: GridLayout = {}): GridRecords {
  const dir = resolve(root);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new ReproInputError(`runs directory ${dir} does not exist`);
  }
  const single =
    'is a single run directory; --runs expects a grid <runs>/<env>/<algo>/seed<k>/ as written by mbrl-repro table1';
  if (existsSync(join(dir, 'config.json'))) throw new RunDirectoryProblem(dir, single);
  const skipped = new Set(skip.map((s) => resolve(s)));
  const runs: RunRecord[] = [];
  const starting: StartingRun[] = [];
  for (const envId of subdirectories(dir)) {
    if (skipped.has(join(dir, envId))) continue;
    const envDir = join(dir, envId);
    if (existsSync(join(envDir, 'config.json'))) {
      throw new RunDirectoryProblem(
        envDir,
        'is a single run directory; --runs expects a grid <runs>/<env>/<algo>/seed<k>/ as written by mbrl-repro table1',
      );
    }
    for (const algo of subdirectories(envDir)) {
      const algoDir = join(envDir, algo);
      for (const seedName of subdirectories(algoDir)) {
        const match = SEED_DIR.exec(seedName);
        if (!match) {
          throw new RunDirectoryProblem(
            join(algoDir, seedName),
            'is not a seed directory (expected <runs>/<env>/<algo>/seed<k>/)',
          );
        }
        const runDir = join(algoDir, seedName);
        const seed = Number(match[1]);
        if (isStarting(runDir)) starting.push({ envId, algo, seed, dir: runDir });
        else runs.push(readRun(runDir, envId, algo, seed, layout));
      }
    }
  }
  if (runs.length === 0 && starting.length === 0) {
    throw new ReproInputError(
      `no run directories under ${dir} (expected <env>/<algo>/seed<k>/ as written by mbrl-repro table1)`,
    );
  }
  const manifest = existsSync(join(dir, GRID_MANIFEST)) ? readGridManifest(dir) : undefined;
  return { root: dir, manifest, runs, starting };
}

/** Only the runner's train.log (or nothing): the run is starting and has no config.json yet. */
function isStarting(dir: string): boolean {
  return (
    !existsSync(join(dir, 'config.json')) &&
    readdirSync(dir).every((name) => name === RUN_LOG || name === CELL_STATE)
  );
}

/** The parts of a run's config.json the report reads. */
export interface SavedConfig {
  readonly algo?: unknown;
  readonly env?: unknown;
  readonly agent?: Readonly<Record<string, unknown>>;
  readonly trainer?: {
    readonly totalSteps?: unknown;
    readonly warmupSteps?: unknown;
    readonly seed?: unknown;
  };
}

export function readRun(
  dir: string,
  envId: string,
  algo: string,
  seed: number,
  layout: GridLayout = {},
): RunRecord {
  const configPath = join(dir, 'config.json');
  if (!existsSync(configPath))
    throw new RunDirectoryProblem(dir, 'has no config.json, so it is not a harness run directory');
  let config: SavedConfig;
  try {
    config = JSON.parse(readFileSync(configPath, 'utf8')) as SavedConfig;
  } catch (error) {
    throw new RunDirectoryProblem(dir, `config.json is not valid JSON (${(error as Error).message})`);
  }
  const trainer = config?.trainer;
  if (
    typeof config?.algo !== 'string' ||
    typeof config.env !== 'string' ||
    typeof trainer !== 'object' ||
    trainer === null
  ) {
    throw new RunDirectoryProblem(
      dir,
      'config.json is not an mbrl-ts run configuration (needs algo, env, trainer)',
    );
  }
  if (
    !Number.isInteger(trainer.totalSteps) ||
    !Number.isInteger(trainer.seed) ||
    !Number.isInteger(trainer.warmupSteps)
  ) {
    throw new RunDirectoryProblem(
      dir,
      'config.json has no integer trainer.totalSteps, trainer.warmupSteps and trainer.seed',
    );
  }
  if (config.env !== envId)
    throw new RunDirectoryProblem(
      dir,
      `is a run on ${config.env}, but it sits under the task directory ${envId}`,
    );
  const expectedAlgo = layout.algoOf ? layout.algoOf(algo) : (algorithmEntry(algo).selectArgs[1] ?? algo);
  if (config.algo !== expectedAlgo) {
    throw new RunDirectoryProblem(
      dir,
      `is a ${config.algo} run, but it sits under the algorithm directory ${algo}`,
    );
  }
  if (trainer.seed !== seed)
    throw new RunDirectoryProblem(
      dir,
      `has seed ${trainer.seed} in config.json, but its directory says seed${seed}`,
    );
  layout.checkRun?.(dir, algo, config);
  return {
    envId,
    algo,
    seed,
    dir,
    totalSteps: trainer.totalSteps as number,
    warmupSteps: trainer.warmupSteps as number,
    evaluations: readEvaluations(dir),
  };
}

export function readEvaluations(dir: string): Evaluation[] {
  const path = join(dir, 'evaluations.csv');
  if (!existsSync(path)) throw new RunDirectoryProblem(dir, 'has no evaluations.csv');
  const lines = readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '');
  if (lines[0]?.trim() !== EVALUATION_COLUMNS.join(',')) {
    throw new RunDirectoryProblem(
      dir,
      `evaluations.csv has header ${JSON.stringify(lines[0] ?? '')}, expected ${EVALUATION_COLUMNS.join(',')}`,
    );
  }
  const rows: Evaluation[] = [];
  for (let i = 1; i < lines.length; i++) {
    const cells = lines[i].split(',');
    const values = cells.map((c) => (c.trim() === '' ? NaN : Number(c)));
    if (cells.length !== EVALUATION_COLUMNS.length || values.some((v) => !Number.isFinite(v))) {
      throw new RunDirectoryProblem(
        dir,
        `evaluations.csv line ${i + 1} is not ${EVALUATION_COLUMNS.length} finite numbers: ${JSON.stringify(lines[i])}`,
      );
    }
    const [step, episodes, returnMean, returnStd, lengthMean, wallSeconds] = values;
    const previous = rows.at(-1);
    if (!Number.isInteger(step) || step < 0 || (previous && step <= previous.step)) {
      throw new RunDirectoryProblem(
        dir,
        `evaluations.csv line ${i + 1}: step ${step} is not an integer after step ${previous?.step ?? 'none'}`,
      );
    }
    rows.push({ step, episodes, returnMean, returnStd, lengthMean, wallSeconds });
  }
  return rows;
}
