/** `mbrl-repro table1`: plan the grid, run it, say what happened. */
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import {
  algorithmPresetNames,
  availableAlgorithms,
  baselineAlgorithmNames,
  PROGRAMS,
  selectAlgorithms,
  type AlgorithmEntry,
} from './algorithms';
import { ReproInputError } from './errors';
import { DEFAULT_MAX_FAILURES } from './cell-command';
import { readCellState, writeCellState } from './cell-state';
import {
  cellRun,
  GRID_MANIFEST,
  gridCells,
  gridSettingsArgs,
  planGrid,
  readGridManifest,
  settingsDifferences,
  writeFixedGridManifest,
  writeGridManifest,
  type GridManifest,
  type GridRun,
} from './grid';
import { runGrid, summarizeOutcomes, trainArgs } from './runner';
import { inspectRun } from './run-state';
import {
  arraySpec,
  findOnPath,
  jobScript,
  parseSlurmTime,
  SLURM_LOG_DIR,
  SLURM_SCRIPT,
  submit,
  type SlurmJobOptions,
} from './slurm';
import { TABLE1_TASKS } from './tasks';

export interface Table1Flags {
  readonly envs?: string[];
  readonly algos?: string[];
  readonly seeds: number;
  readonly steps: number;
  readonly parallel?: number;
  readonly out: string;
  readonly preset: string;
  /** An algorithm preset (`--preset <name>` of the training programs) for every algorithm that has it. */
  readonly algoPreset?: string;
  readonly set: string[];
  readonly config?: string;
  readonly dryRun?: boolean;
  /** Submit the grid as a Slurm job array instead of running it here. */
  readonly slurm?: boolean;
  readonly partition?: string;
  readonly time?: string;
  readonly cpusPerTask?: number;
  readonly gpusPerTask?: number;
  readonly maxRunning?: number;
  readonly signalBefore?: number;
  readonly sbatchArg?: string[];
  /** Run only the cells whose index is `index` mod `count`, here. */
  readonly shard?: { readonly index: number; readonly count: number };
  /** Failures (not signals) after which a cell of a fixed grid is not tried again. */
  readonly maxFailures?: number;
  /** Give failed cells of a fixed grid their tries back before running or submitting. */
  readonly retryFailed?: boolean;
}

/** Seconds before the time limit at which a Slurm job is asked to checkpoint (default). */
export const DEFAULT_SIGNAL_BEFORE = 300;

export interface Table1Context {
  readonly repoRoot: string;
  readonly print: (line: string) => void;
  /** Algorithms available in this build; found from the repository when not given (tests give it). */
  readonly available?: readonly AlgorithmEntry[];
  /** Preset names per algorithm key; read from @mbrl-ts/agents when not given. */
  readonly algorithmPresets?: Readonly<Record<string, readonly string[]>>;
  /** Registered environment ids; read from @mbrl-ts/envs when not given. */
  readonly knownEnvs?: readonly string[];
  readonly handleSignals?: boolean;
  /**
   * Validate one new cell's `train` arguments as its program would, without running it; throws
   * the program's error. Defaults to the harness's checkTrainArguments with the real programs.
   */
  readonly checkCell?: (run: GridRun, argv: readonly string[]) => Promise<void>;
  /** The environment to find sbatch in (PATH); default: this process's. */
  readonly env?: NodeJS.ProcessEnv;
}

/** Exit code: 0 all runs finished, 1 some failed, 130 interrupted. */
export async function table1Command(flags: Table1Flags, context: Table1Context): Promise<number> {
  const available =
    context.available ?? availableAlgorithms(context.repoRoot, await baselineAlgorithmNames());
  const algos = selectAlgorithms(flags.algos, available);
  const envs = flags.envs ?? TABLE1_TASKS.map((t) => t.envId);
  const knownEnvs = context.knownEnvs ?? (await import('@mbrl-ts/envs')).listEnvs();
  const unknown = envs.filter((id) => !knownEnvs.includes(id));
  if (unknown.length > 0) {
    throw new ReproInputError(`unknown task(s) ${unknown.join(', ')}; registered: ${knownEnvs.join(', ')}`);
  }
  const out = resolve(flags.out);
  const fixed = checkSchedulingFlags(flags);
  const sbatch = flags.slurm ? findOnPath('sbatch', (context.env ?? process.env).PATH) : undefined;
  if (flags.slurm && !flags.dryRun && sbatch === undefined)
    throw new ReproInputError(
      '--slurm: sbatch is not on PATH (run on a Slurm login node, or add --dry-run to only write the job script)',
    );
  const parallel = flags.parallel ?? availableParallelism();
  const presets = flags.algoPreset ? (context.algorithmPresets ?? (await algorithmPresetNames())) : {};
  const runs = withAlgorithmPreset(planGrid(out, envs, algos, flags.seeds), flags.algoPreset, presets);
  const asked: GridManifest = {
    steps: flags.steps,
    seeds: flags.seeds,
    envs,
    algos: algos.map((a) => a.key),
    preset: flags.preset,
    ...(flags.algoPreset ? { algoPreset: flags.algoPreset } : {}),
    set: flags.set,
    ...(flags.config ? { config: resolve(flags.config) } : {}),
  };
  const settingsArgs = gridSettingsArgs(asked);
  // a fixed grid in the folder (or one asked for now) keeps its settings: its cells are numbered
  const existing = readGridManifest(out);
  if (existing?.cells || (existing && fixed)) {
    const differences = settingsDifferences(existing, asked);
    if (differences.length > 0)
      throw new ReproInputError(
        `${join(out, GRID_MANIFEST)} holds a grid with other settings (${differences.join('; ')}); ` +
          'ask for the same grid, or use another --out',
      );
  }
  await checkNewCells(runs, flags.steps, settingsArgs, context.checkCell ?? checkWithProgram);
  const manifest: GridManifest = {
    ...asked,
    cells: existing?.cells ?? gridCells(out, runs),
    maxFailures: flags.maxFailures ?? existing?.maxFailures ?? DEFAULT_MAX_FAILURES,
  };
  if (flags.slurm) return submitToSlurm(flags, manifest, out, sbatch, context);

  const shard = flags.shard;
  const selected = shard
    ? manifest.cells!.map((_, index) => index).filter((index) => index % shard.count === shard.index)
    : runs.map((_, index) => index);
  const shardRuns = shard ? selected.map((index) => cellRun(out, manifest.cells![index])) : runs;
  context.print(
    `table1: ${envs.length} task(s) x ${algos.length} algorithm(s) x ${flags.seeds} seed(s) = ${runs.length} runs of ` +
      `${flags.steps} steps, ${parallel} at a time, preset ${flags.preset}` +
      `${flags.algoPreset ? ` (algorithm preset ${flags.algoPreset} where offered)` : ''}, in ${out}`,
  );
  if (shard)
    context.print(
      `table1: shard ${shard.index}/${shard.count}: cell(s) ${selected.join(', ') || 'none'} of ${runs.length}`,
    );
  if (flags.dryRun) {
    for (const [i, run] of shardRuns.entries()) {
      const state = inspectRun(run.dir, flags.steps);
      context.print(
        `  ${shard ? `[cell ${selected[i]}] ` : ''}${run.envId}/${run.algo.key}/seed${run.seed}: ${state.kind}${'step' in state ? ` (step ${state.step})` : ''}`,
      );
    }
    return 0;
  }
  mkdirSync(out, { recursive: true });
  if (manifest.cells && (existing?.cells || fixed)) {
    writeFixedGridManifest(out, manifest);
    if (flags.retryFailed) retryFailedCells(out, manifest, selected);
  } else {
    writeGridManifest(out, asked);
  }
  const result = await runGrid({
    runs: shardRuns,
    steps: flags.steps,
    repoRoot: context.repoRoot,
    parallel,
    settingsArgs,
    print: context.print,
    handleSignals: context.handleSignals,
    ...(shard
      ? {
          tag: (i: number) =>
            `[cell ${selected[i]}] ${shardRuns[i].envId}/${shardRuns[i].algo.key}/seed${shardRuns[i].seed}`,
          resumeHint: 'run the shard again to resume',
        }
      : {}),
  });
  for (const line of summarizeOutcomes(result)) context.print(line);
  if (result.interrupted) return 130;
  return result.outcomes.every((o) => o.status === 'succeeded' || o.status === 'skipped') ? 0 : 1;
}

/**
 * The flags that only make sense together: the Slurm options need --slurm, --slurm and --shard
 * exclude each other, --parallel is for runs here. True when the grid is a fixed one (numbered
 * cells in grid.json): --slurm or --shard.
 */
function checkSchedulingFlags(flags: Table1Flags): boolean {
  const slurmOnly: ReadonlyArray<[string, unknown]> = [
    ['--partition', flags.partition],
    ['--time', flags.time],
    ['--cpus-per-task', flags.cpusPerTask],
    ['--gpus-per-task', flags.gpusPerTask],
    ['--max-running', flags.maxRunning],
    ['--signal-before', flags.signalBefore],
    ['--sbatch-arg', flags.sbatchArg && flags.sbatchArg.length > 0 ? flags.sbatchArg : undefined],
  ];
  if (!flags.slurm) {
    const given = slurmOnly.filter(([, v]) => v !== undefined).map(([name]) => name);
    if (given.length > 0) throw new ReproInputError(`${given.join(', ')} only apply with --slurm`);
  } else {
    if (flags.shard)
      throw new ReproInputError('--slurm and --shard exclude each other (a Slurm array runs every cell)');
    if (flags.parallel !== undefined)
      throw new ReproInputError('--parallel applies to runs on this machine; with --slurm use --max-running');
    const limit = flags.time !== undefined ? parseSlurmTime(flags.time) : undefined;
    const before = flags.signalBefore ?? DEFAULT_SIGNAL_BEFORE;
    if (limit !== undefined && before >= limit)
      throw new ReproInputError(
        `--signal-before ${before} s is not shorter than --time ${flags.time} (${limit} s): the cells would be asked to stop as they start`,
      );
  }
  return Boolean(flags.slurm || flags.shard);
}

/** Failed cells get their tries back (--retry-failed). */
function retryFailedCells(out: string, manifest: GridManifest, indices: readonly number[]): void {
  for (const index of indices) {
    const dir = cellRun(out, manifest.cells![index]).dir;
    const state = readCellState(dir);
    if (state?.phase === 'failed') writeCellState(dir, { ...state, phase: 'preempted', failures: 0 });
  }
}

/** Write grid.json and the job script; submit the cells that are not done (unless --dry-run). */
async function submitToSlurm(
  flags: Table1Flags,
  manifest: GridManifest,
  out: string,
  sbatch: string | undefined,
  context: Table1Context,
): Promise<number> {
  const cells = manifest.cells!;
  const todo = cells
    .map((cell, index) => ({ index, state: inspectRun(cellRun(out, cell).dir, manifest.steps) }))
    .filter(({ state }) => state.kind !== 'finished')
    .map(({ index }) => index);
  const job: SlurmJobOptions = {
    ...(flags.partition !== undefined ? { partition: flags.partition } : {}),
    ...(flags.time !== undefined ? { time: flags.time } : {}),
    cpusPerTask: flags.cpusPerTask ?? 1,
    ...(flags.gpusPerTask !== undefined ? { gpusPerTask: flags.gpusPerTask } : {}),
    ...(flags.maxRunning !== undefined ? { maxRunning: flags.maxRunning } : {}),
    signalBefore: flags.signalBefore ?? DEFAULT_SIGNAL_BEFORE,
    sbatchArgs: flags.sbatchArg ?? [],
  };
  context.print(
    `table1 --slurm: ${cells.length} cells of ${manifest.steps} steps in ${out}` +
      (todo.length < cells.length ? `, ${cells.length - todo.length} of them done` : ''),
  );
  if (todo.length === 0) {
    context.print('table1 --slurm: every cell is done; nothing to submit');
    return 0;
  }
  mkdirSync(join(out, SLURM_LOG_DIR), { recursive: true });
  writeFixedGridManifest(out, manifest);
  if (flags.retryFailed) retryFailedCells(out, manifest, todo);
  const script = join(out, SLURM_SCRIPT);
  writeFileSync(
    script,
    jobScript({
      out,
      gridPath: join(out, GRID_MANIFEST),
      repoRoot: context.repoRoot,
      node: process.execPath,
      reproBin: join(context.repoRoot, 'tools', 'repro', 'bin', 'mbrl-repro.js'),
      array: arraySpec(todo, job.maxRunning),
      job,
      cells: cells.length,
    }),
  );
  chmodSync(script, 0o755);
  if (flags.dryRun || sbatch === undefined) {
    context.print(`table1 --slurm: wrote ${script} (not submitted); submit it with: sbatch ${script}`);
    return 0;
  }
  let id: string;
  try {
    id = await submit(sbatch, script);
  } catch (error) {
    throw new ReproInputError((error as Error).message);
  }
  context.print(
    `table1 --slurm: submitted job array ${id} (${todo.length} task(s)${job.maxRunning ? `, at most ${job.maxRunning} at a time` : ''}); ` +
      `watch it with: squeue -j ${id}   or   mbrl-repro status --grid ${out}`,
  );
  return 0;
}

/**
 * Every cell the grid would start anew is checked before any starts (and before --dry-run prints
 * its plan): a bad --set, --config or preset is one error naming the first cell it breaks, not a
 * grid of children that each fail after writing their folders. Cells that resume are checked by
 * their program when they start (their settings are the ones recorded in the run).
 */
async function checkNewCells(
  runs: readonly GridRun[],
  steps: number,
  settingsArgs: readonly string[],
  check: (run: GridRun, argv: readonly string[]) => Promise<void>,
): Promise<void> {
  for (const run of runs) {
    const state = inspectRun(run.dir, steps);
    if (state.kind !== 'fresh' && state.kind !== 'restart') continue;
    try {
      await check(run, trainArgs(run, { kind: 'fresh' }, steps, settingsArgs));
    } catch (error) {
      throw new ReproInputError(
        `${run.envId}/${run.algo.key}/seed${run.seed}: ${(error as Error).message.split('\n')[0]} (no run was started)`,
      );
    }
  }
}

/** The real check: the cell's program's CLI options, from @mbrl-ts/agents (loads tfjs once). */
async function checkWithProgram(run: GridRun, argv: readonly string[]): Promise<void> {
  const [{ baselineAlgorithms, almAlgorithm }, { checkTrainArguments }] = await Promise.all([
    import('@mbrl-ts/agents'),
    import('@mbrl-ts/harness'),
  ]);
  const program = run.algo.program;
  const options =
    program === PROGRAMS.alm
      ? { name: program.name, description: '', version: '', algorithms: [almAlgorithm], defaultAlgo: 'alm' }
      : { name: program.name, description: '', version: '', algorithms: baselineAlgorithms };
  await checkTrainArguments(options, argv);
}

/**
 * `--algo-preset NAME`: runs of algorithms that offer the preset train with `--preset NAME` (for
 * example the smaller `quick` networks of ALM, SAC-SVG and MnM); the others keep their defaults.
 * A name no selected algorithm offers is an input error.
 */
export function withAlgorithmPreset(
  runs: readonly GridRun[],
  preset: string | undefined,
  presets: Readonly<Record<string, readonly string[]>>,
): GridRun[] {
  if (preset === undefined) return [...runs];
  const offers = (run: GridRun) =>
    (presets[run.algo.key] ?? presets[run.algo.selectArgs[1] ?? ''] ?? []).includes(preset);
  if (runs.length > 0 && !runs.some(offers)) {
    const known = [...new Set(Object.values(presets).flat())].join(', ') || 'none';
    throw new ReproInputError(`no selected algorithm has a preset "${preset}" (presets offered: ${known})`);
  }
  return runs.map((run) =>
    offers(run) ? { ...run, settingsArgs: [...(run.settingsArgs ?? []), '--preset', preset] } : run,
  );
}
