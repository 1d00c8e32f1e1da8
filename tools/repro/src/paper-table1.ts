/**
 * The numbers of the ALM paper's Table 1 (Ghugare et al.): final return after 2e5 environment
 * steps, mean and standard deviation over 5 seeds. The SAC-SVG rows come from Amos et al. (2020),
 * the other baselines from Wang et al. (2019), as the paper says.
 */
export interface PaperValue {
  readonly mean: number;
  readonly std: number;
}

/** Paper row name -> paper task column -> value. */
export const PAPER_TABLE1: Readonly<Record<string, Readonly<Record<string, PaperValue>>>> = {
  'ALM(3)': row([5306, 437], [4887, 1027], [10789, 366], [3006, 1183], [2546, 1074]),
  'SAC-SVG(2)': row([501, 37], [4473, 893], [8752, 1785], [448, 1139], [2852, 361]),
  'SAC-SVG(3)': row([472, 85], [3833, 1418], [9220, 1431], [878, 1533], [2024, 1981]),
  'SVG(1)': row([811.8, 241], [185, 141], [336, 387], [252, 48], [435, 163]),
  SLBO: row([1377, 150], [200, 40], [1097, 166], [207, 108], [805, 142]),
  TD3: row([147, 0.7], [870, 283], [3016, 969], [-516, 812], [1817, 994]),
  SAC: row([1470, 794], [548, 146], [3460, 1326], [166, 1318], [788, 977]),
};

/** Environment steps every Table 1 number was taken at. */
export const PAPER_TABLE1_STEPS = 200_000;
/** Seeds behind every Table 1 number. */
export const PAPER_TABLE1_SEEDS = 5;

type Pair = readonly [number, number];

function row(
  humanoid: Pair,
  ant: Pair,
  cheetah: Pair,
  walker: Pair,
  hopper: Pair,
): Record<string, PaperValue> {
  const value = ([mean, std]: Pair): PaperValue => ({ mean, std });
  return {
    'T-Humanoid-v2': value(humanoid),
    'T-Ant-v2': value(ant),
    'HalfCheetah-v2': value(cheetah),
    'Walker2d-v2': value(walker),
    'Hopper-v2': value(hopper),
  };
}

/** The paper's value for a row and task column, if it reports one. */
export function paperValue(
  paperRow: string | undefined,
  paperTask: string | undefined,
): PaperValue | undefined {
  if (paperRow === undefined || paperTask === undefined) return undefined;
  return PAPER_TABLE1[paperRow]?.[paperTask];
}
