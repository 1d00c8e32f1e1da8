/**
 * The ablations of the ALM paper's Figure 5 (Figure 10 for more tasks), as named sets of variants.
 * A variant is a training program plus the values that make it (a coefficient at 0, a term named
 * by its value, see @mbrl-ts/agents' README); variants shared by several sets (ALM(3) is in all three) are one
 * run per seed.
 *
 *   objective  Figure 5a: ALM(3) and ALM(3) without the value term, the KL term, the classifier reward
 *   horizon    Figure 5b: ALM(K) for K = 1, 3, 5, 10
 *   td3        Figure 5c: ALM(3), ALM-TD3 (ALM's representation and model, TD3's policy loss), TD3
 */
import { PROGRAMS, type AlgorithmEntry } from '../algorithms';
import { ReproInputError } from '../errors';

export interface AblationVariant {
  /** The run directory's <variant> level. */
  readonly key: string;
  /** The name in tables and figures. */
  readonly label: string;
  /** The algorithm the program trains (config.json `algo`). */
  readonly algo: 'alm' | 'td3';
  /** Settings that make the variant, checked against config.json when the grid is read. */
  readonly settings: Readonly<Record<string, number | boolean | string>>;
  /**
   * The settings run directories written before ALM's ablations became values recorded for the same
   * variant (klTerm=false and the like, as in results/ablations-pendulum-3k): accepted when the grid
   * is read, never written.
   */
  readonly legacySettings?: Readonly<Record<string, number | boolean | string>>;
}

export interface AblationSet {
  readonly key: string;
  /** Where the paper shows it. */
  readonly figure: string;
  readonly title: string;
  /** Variant keys, in the order of the figure's legend. */
  readonly variants: readonly string[];
}

/** K = 3 is the paper's ALM; it is set explicitly so a grid-wide `--set horizon=...` cannot relabel it. */
const K3 = { horizon: 3 } as const;

export const ABLATION_VARIANTS: readonly AblationVariant[] = [
  { key: 'alm', label: 'ALM(3)', algo: 'alm', settings: K3 },
  {
    key: 'alm-no-value',
    label: 'ALM(3) no value term',
    algo: 'alm',
    settings: { ...K3, valueTerm: 'none' },
    legacySettings: { ...K3, valueTerm: false },
  },
  {
    key: 'alm-no-kl',
    label: 'ALM(3) no KL term',
    algo: 'alm',
    settings: { ...K3, klCoefficient: 0 },
    legacySettings: { ...K3, klTerm: false },
  },
  {
    key: 'alm-no-classifier',
    label: 'ALM(3) no classifier reward',
    algo: 'alm',
    settings: { ...K3, classifierCoefficient: 0 },
    legacySettings: { ...K3, classifierReward: false },
  },
  { key: 'alm-k1', label: 'ALM(1)', algo: 'alm', settings: { horizon: 1 } },
  { key: 'alm-k5', label: 'ALM(5)', algo: 'alm', settings: { horizon: 5 } },
  { key: 'alm-k10', label: 'ALM(10)', algo: 'alm', settings: { horizon: 10 } },
  { key: 'alm-td3', label: 'ALM-TD3', algo: 'alm', settings: { ...K3, actorLoss: 'td3' } },
  { key: 'td3', label: 'TD3', algo: 'td3', settings: {} },
];

export const ABLATION_SETS: readonly AblationSet[] = [
  {
    key: 'objective',
    figure: 'Figure 5a / 10a',
    title: 'ALM(3) without each term of its objective',
    variants: ['alm', 'alm-no-value', 'alm-no-kl', 'alm-no-classifier'],
  },
  {
    key: 'horizon',
    figure: 'Figure 5b / 10b',
    title: 'ALM(K): the rollout length K',
    variants: ['alm-k1', 'alm', 'alm-k5', 'alm-k10'],
  },
  {
    key: 'td3',
    figure: 'Figure 5c / 10c',
    title: "ALM's representation for a model-free policy: ALM-TD3 and TD3",
    variants: ['alm', 'alm-td3', 'td3'],
  },
];

export function ablationVariant(key: string): AblationVariant | undefined {
  return ABLATION_VARIANTS.find((v) => v.key === key);
}

/** The sets asked for, by key; unknown keys are an input error listing the known ones. */
export function selectSets(keys: readonly string[] | undefined): AblationSet[] {
  if (keys === undefined) return [...ABLATION_SETS];
  return keys.map((key) => {
    const set = ABLATION_SETS.find((s) => s.key === key);
    if (!set)
      throw new ReproInputError(
        `unknown ablation set "${key}"; known: ${ABLATION_SETS.map((s) => s.key).join(', ')}`,
      );
    return set;
  });
}

/** The variants of the sets, each once, in the order they first appear. */
export function variantsOf(sets: readonly AblationSet[]): AblationVariant[] {
  const keys = [...new Set(sets.flatMap((s) => s.variants))];
  return keys.map((key) => ablationVariant(key)!);
}

/** The variant as a grid algorithm: its program, and the arguments that select the algorithm. */
export function variantEntry(variant: AblationVariant): AlgorithmEntry {
  return variant.algo === 'alm'
    ? { key: variant.key, label: variant.label, program: PROGRAMS.alm, selectArgs: [] }
    : {
        key: variant.key,
        label: variant.label,
        program: PROGRAMS.baselines,
        selectArgs: ['--algo', variant.algo],
      };
}

/**
 * The settings a new run of the variant gets, after the grid's: `--preset <almPreset>` for ALM
 * variants (the alm app's network preset; TD3 has none), then the variant's own keys.
 */
export function variantSettingsArgs(variant: AblationVariant, almPreset: string): string[] {
  return [
    ...(variant.algo === 'alm' ? ['--preset', almPreset] : []),
    ...Object.entries(variant.settings).flatMap(([key, value]) => ['--set', `${key}=${String(value)}`]),
  ];
}
