/**
 * Which command trains which algorithm. Every mbrl-ts training program shares the harness CLI
 * (`train --env --steps --seed --out --resume --plain --set --config`), so an algorithm is a
 * program plus the arguments that pick it. Algorithms whose program is not part of this build are
 * listed but not available; asking for one is an error that lists the available ones.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ReproInputError } from './errors';

/** A training program of the repository (a harness CLI). */
export interface TrainingProgram {
  readonly name: string;
  /** The program's bin script, relative to the repository root. */
  readonly bin: string;
}

export const PROGRAMS = {
  baselines: { name: 'mbrl-baselines', bin: 'apps/baselines/bin/mbrl-baselines.js' },
  alm: { name: 'alm', bin: 'apps/alm/bin/alm.js' },
} as const satisfies Record<string, TrainingProgram>;

export interface AlgorithmEntry {
  /** As typed after --algos, and the run directory's <algo> level. */
  readonly key: string;
  /** The method's name in tables and figures. */
  readonly label: string;
  /** The row of the paper's Table 1 this algorithm reproduces, if any. */
  readonly paperRow?: string;
  readonly program: TrainingProgram;
  /** Arguments after `train` that select the algorithm. */
  readonly selectArgs: readonly string[];
}

/** Known algorithms, in the order of the paper's Table 1 (the report keeps this order). */
export const ALGORITHMS: readonly AlgorithmEntry[] = [
  { key: 'alm', label: 'ALM(3)', paperRow: 'ALM(3)', program: PROGRAMS.alm, selectArgs: [] },
  {
    key: 'sac-svg2',
    label: 'SAC-SVG(2)',
    paperRow: 'SAC-SVG(2)',
    program: PROGRAMS.baselines,
    selectArgs: ['--algo', 'sac-svg', '--horizon', '2'],
  },
  {
    key: 'sac-svg3',
    label: 'SAC-SVG(3)',
    paperRow: 'SAC-SVG(3)',
    program: PROGRAMS.baselines,
    selectArgs: ['--algo', 'sac-svg', '--horizon', '3'],
  },
  {
    key: 'svg1',
    label: 'SVG(1)',
    paperRow: 'SVG(1)',
    program: PROGRAMS.baselines,
    selectArgs: ['--algo', 'svg1'],
  },
  { key: 'mnm', label: 'MnM', program: PROGRAMS.baselines, selectArgs: ['--algo', 'mnm'] },
  {
    key: 'mpc-cem',
    label: 'MPC (CEM)',
    program: PROGRAMS.baselines,
    selectArgs: ['--algo', 'mpc', '--planner', 'cem'],
  },
  {
    key: 'mpc-random',
    label: 'MPC (random shooting)',
    program: PROGRAMS.baselines,
    selectArgs: ['--algo', 'mpc', '--planner', 'random'],
  },
  { key: 'td3', label: 'TD3', paperRow: 'TD3', program: PROGRAMS.baselines, selectArgs: ['--algo', 'td3'] },
  { key: 'sac', label: 'SAC', paperRow: 'SAC', program: PROGRAMS.baselines, selectArgs: ['--algo', 'sac'] },
  // Figure 3's ensemble methods and Figure 4's SAC-AVG (not rows of Table 1)
  { key: 'redq', label: 'REDQ', program: PROGRAMS.baselines, selectArgs: ['--algo', 'redq'] },
  { key: 'sac-avg', label: 'SAC-AVG', program: PROGRAMS.baselines, selectArgs: ['--algo', 'sac-avg'] },
  { key: 'mbpo', label: 'MBPO', program: PROGRAMS.baselines, selectArgs: ['--algo', 'mbpo'] },
];

/** The entry for a key, or a generic one for an algorithm a program offers that is not listed above. */
export function algorithmEntry(key: string): AlgorithmEntry {
  return (
    ALGORITHMS.find((a) => a.key === key) ?? {
      key,
      label: key.toUpperCase(),
      program: PROGRAMS.baselines,
      selectArgs: ['--algo', key],
    }
  );
}

/**
 * The algorithms this build can train, in table order: the known entries whose program exists and
 * offers them, then any further algorithm mbrl-baselines offers. `baselineNames` are the names
 * mbrl-baselines accepts after --algo.
 */
export function availableAlgorithms(repoRoot: string, baselineNames: readonly string[]): AlgorithmEntry[] {
  const offered = (entry: AlgorithmEntry): boolean => {
    if (!existsSync(join(repoRoot, entry.program.bin))) return false;
    if (entry.program === PROGRAMS.baselines) return baselineNames.includes(entry.selectArgs[1] ?? '');
    return true;
  };
  const known = ALGORITHMS.filter(offered);
  // a program's algorithm already reached through a known entry (sac-svg via sac-svg2 / sac-svg3) is not repeated
  const listed = (name: string) =>
    ALGORITHMS.some((a) => a.key === name || (a.program === PROGRAMS.baselines && a.selectArgs[1] === name));
  const extra = baselineNames.filter((name) => !listed(name)).map(algorithmEntry);
  return [...known, ...extra];
}

/** The names mbrl-baselines offers, read from the agents package (loads tfjs: call once). */
export async function baselineAlgorithmNames(): Promise<string[]> {
  const { baselineAlgorithms } = await import('@mbrl-ts/agents');
  return baselineAlgorithms.map((a) => a.name);
}

/**
 * The presets each algorithm offers (besides `paper`), by algorithm name: mbrl-baselines' algorithms
 * and ALM (loads tfjs: call once).
 */
export async function algorithmPresetNames(): Promise<Record<string, string[]>> {
  const { baselineAlgorithms, almAlgorithm } = await import('@mbrl-ts/agents');
  const specs: ReadonlyArray<{ name: string; presets?: Record<string, unknown> }> = [
    ...baselineAlgorithms,
    almAlgorithm,
  ];
  return Object.fromEntries(specs.map((spec) => [spec.name, Object.keys(spec.presets ?? {})]));
}

/** Resolve --algos against what is available; unknown or unavailable names are an input error. */
export function selectAlgorithms(
  requested: readonly string[] | undefined,
  available: readonly AlgorithmEntry[],
): AlgorithmEntry[] {
  if (available.length === 0) throw new ReproInputError('no training algorithm is available in this build');
  if (requested === undefined) return [...available];
  const names = available.map((a) => a.key).join(', ');
  return requested.map((key) => {
    const entry = available.find((a) => a.key === key);
    if (entry) return entry;
    const known = ALGORITHMS.find((a) => a.key === key);
    const why = !known
      ? 'is unknown'
      : known.program === PROGRAMS.baselines
        ? `is not available in this build (${known.program.name} does not offer it yet)`
        : `is not available in this build (its program ${known.program.bin} is not there)`;
    throw new ReproInputError(`algorithm "${key}" ${why}; available: ${names}`);
  });
}
