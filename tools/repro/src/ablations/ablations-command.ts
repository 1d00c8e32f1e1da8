/**
 * `mbrl-repro ablations --env ID`: train the variants of the asked ablation sets on one task with
 * the grid runner (one run directory `<out>/<env>/<variant>/seed<k>`, finished runs skipped,
 * interrupted ones resumed, --parallel), then write the ablation report (ablation-report.ts).
 */
import { availableParallelism } from 'node:os';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { ReproInputError } from '../errors';
import { planGrid, readGridManifest, writeGridManifest } from '../grid';
import { presetSetArgs } from '../presets';
import { runGrid, summarizeOutcomes } from '../runner';
import { inspectRun } from '../run-state';
import { describeSets, writeAblationReport } from './ablation-report';
import { selectSets, variantEntry, variantSettingsArgs, variantsOf } from './variants';

export interface AblationsFlags {
  readonly env: string;
  readonly sets?: string[];
  readonly seeds: number;
  readonly steps: number;
  readonly parallel?: number;
  readonly out: string;
  readonly preset: string;
  /** The alm app's --preset for ALM variants (network sizes); defaults to --preset. */
  readonly almPreset?: string;
  readonly set: string[];
  readonly config?: string;
  readonly dryRun?: boolean;
  readonly reportOnly?: boolean;
}

export interface AblationsContext {
  readonly repoRoot: string;
  readonly print: (line: string) => void;
  /** Registered environment ids; read from @mbrl-ts/envs when not given. */
  readonly knownEnvs?: readonly string[];
  readonly handleSignals?: boolean;
}

/** Exit code: 0 all runs finished, 1 some failed, 130 interrupted (the report is written in every case). */
export async function ablationsCommand(flags: AblationsFlags, context: AblationsContext): Promise<number> {
  const sets = selectSets(flags.sets);
  const variants = variantsOf(sets);
  const knownEnvs = context.knownEnvs ?? (await import('@mbrl-ts/envs')).listEnvs();
  if (!knownEnvs.includes(flags.env))
    throw new ReproInputError(`unknown task ${flags.env}; registered: ${knownEnvs.join(', ')}`);
  const almPreset = flags.almPreset ?? flags.preset;
  const out = resolve(flags.out);
  const parallel = flags.parallel ?? availableParallelism();
  const runs = planGrid(out, [flags.env], variants.map(variantEntry), flags.seeds).map((run) => ({
    ...run,
    settingsArgs: variantSettingsArgs(
      variants.find((v) => v.key === run.algo.key)!,
      almPreset,
    ),
  }));
  if (flags.reportOnly) {
    // what the grid was run for, when it says so (grid.json); the flags otherwise
    const manifest = readGridManifest(out);
    const asked = manifest
      ? { steps: manifest.steps, seeds: manifest.seeds }
      : { steps: flags.steps, seeds: flags.seeds };
    const report = await writeAblationReport({ root: out, envId: flags.env, sets, asked });
    context.print(
      `ablations: report of ${out} (asked: ${asked.steps} steps, ${asked.seeds} seed(s)) in ${report.dir}/ablations.md`,
    );
    for (const line of describeSets(report)) context.print(line);
    return 0;
  }
  const asked = { steps: flags.steps, seeds: flags.seeds };
  context.print(
    `ablations: ${sets.map((s) => s.key).join(', ')} on ${flags.env}: ${variants.length} variant(s) x ${flags.seeds} seed(s) = ` +
      `${runs.length} runs of ${flags.steps} steps, ${parallel} at a time, preset ${flags.preset} (ALM networks: ${almPreset}), in ${out}`,
  );
  if (flags.dryRun) {
    for (const run of runs) {
      const state = inspectRun(run.dir, flags.steps);
      context.print(
        `  ${run.algo.key}/seed${run.seed}: ${state.kind}${'step' in state ? ` (step ${state.step})` : ''}` +
          ` [${run.settingsArgs.join(' ')}]`,
      );
    }
    return 0;
  }
  mkdirSync(out, { recursive: true });
  writeGridManifest(out, {
    steps: flags.steps,
    seeds: flags.seeds,
    envs: [flags.env],
    algos: variants.map((v) => v.key),
    preset: flags.preset,
  });
  const settingsArgs = [
    ...presetSetArgs(flags.preset),
    ...(flags.config ? ['--config', resolve(flags.config)] : []),
    ...flags.set.flatMap((kv) => ['--set', kv]),
  ];
  const result = await runGrid({
    runs,
    steps: flags.steps,
    repoRoot: context.repoRoot,
    parallel,
    settingsArgs,
    print: context.print,
    handleSignals: context.handleSignals,
  });
  for (const line of summarizeOutcomes(result)) context.print(line.replace(/^table1:/, 'ablations:'));
  const code = result.interrupted
    ? 130
    : result.outcomes.every((o) => o.status === 'succeeded' || o.status === 'skipped')
      ? 0
      : 1;
  let report;
  try {
    report = await writeAblationReport({ root: out, envId: flags.env, sets, asked });
  } catch (error) {
    // runs that failed may leave nothing to report; their failure is the news, not the report's
    if (code === 0 || !(error instanceof ReproInputError)) throw error;
    context.print(`ablations: no report: ${(error as Error).message}`);
    return code;
  }
  context.print(`ablations: report in ${report.dir}/ablations.md`);
  for (const line of describeSets(report)) context.print(line);
  return code;
}
