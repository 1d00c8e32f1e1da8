/** `mbrl-repro table1`: plan the grid, run it, say what happened. */
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { mkdirSync } from 'node:fs';
import {
  algorithmPresetNames,
  availableAlgorithms,
  baselineAlgorithmNames,
  PROGRAMS,
  selectAlgorithms,
  type AlgorithmEntry,
} from './algorithms';
import { ReproInputError } from './errors';
import { planGrid, writeGridManifest, type GridRun } from './grid';
import { presetSetArgs } from './presets';
import { runGrid, summarizeOutcomes, trainArgs } from './runner';
import { inspectRun } from './run-state';
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
}

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
  const parallel = flags.parallel ?? availableParallelism();
  const presets = flags.algoPreset ? (context.algorithmPresets ?? (await algorithmPresetNames())) : {};
  const runs = withAlgorithmPreset(planGrid(out, envs, algos, flags.seeds), flags.algoPreset, presets);
  const settingsArgs = [
    ...presetSetArgs(flags.preset),
    ...(flags.config ? ['--config', resolve(flags.config)] : []),
    ...flags.set.flatMap((kv) => ['--set', kv]),
  ];
  await checkNewCells(runs, flags.steps, settingsArgs, context.checkCell ?? checkWithProgram);
  context.print(
    `table1: ${envs.length} task(s) x ${algos.length} algorithm(s) x ${flags.seeds} seed(s) = ${runs.length} runs of ` +
      `${flags.steps} steps, ${parallel} at a time, preset ${flags.preset}` +
      `${flags.algoPreset ? ` (algorithm preset ${flags.algoPreset} where offered)` : ''}, in ${out}`,
  );
  if (flags.dryRun) {
    for (const run of runs) {
      const state = inspectRun(run.dir, flags.steps);
      context.print(
        `  ${run.envId}/${run.algo.key}/seed${run.seed}: ${state.kind}${'step' in state ? ` (step ${state.step})` : ''}`,
      );
    }
    return 0;
  }
  mkdirSync(out, { recursive: true });
  writeGridManifest(out, {
    steps: flags.steps,
    seeds: flags.seeds,
    envs,
    algos: algos.map((a) => a.key),
    preset: flags.preset,
    ...(flags.algoPreset ? { algoPreset: flags.algoPreset } : {}),
  });
  const result = await runGrid({
    runs,
    steps: flags.steps,
    repoRoot: context.repoRoot,
    parallel,
    settingsArgs,
    print: context.print,
    handleSignals: context.handleSignals,
  });
  for (const line of summarizeOutcomes(result)) context.print(line);
  if (result.interrupted) return 130;
  return result.outcomes.every((o) => o.status === 'succeeded' || o.status === 'skipped') ? 0 : 1;
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
