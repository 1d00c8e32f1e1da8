/**
 * The ALM paper's learning curves as its authors released them (the `scores/` folder of the
 * authors' repository, RajGhugare19/alm, `gym_half_cheetah.csv` and `gym_walker2d.csv`): the
 * evaluation return of ALM(3) for each of 5 seeds every 5000 steps, rounded here to 0.1.
 *
 * Their step axis counts **updates**: the authors' workspace counts its training steps from the end
 * of the 5000 random warm-up steps, so their "5000" is 5000 updates, which mbrl-ts reaches at
 * environment step 10 000 (5000 warm-up steps, then one update per step). Compare at equal updates.
 *
 * The authors released no Hopper curve; Table 1 (paper-table1.ts) is the only Hopper number.
 * The curves were run on the mujoco-py `-v2` tasks; mbrl-ts runs their `-v4` counterparts (same
 * observations, rewards and terminations, see the envs package README).
 */

/** Updates after warm-up -> the 5 seeds' evaluation returns. */
export type PaperCurve = ReadonlyArray<readonly [updates: number, returns: readonly number[]]>;

export interface PaperCurveSource {
  /** The task as the paper names it. */
  readonly paperTask: string;
  /** The mbrl-ts task it is compared with. */
  readonly envId: string;
  readonly curve: PaperCurve;
}

const HALF_CHEETAH: PaperCurve = [
  [5000, [-105.1, -223.0, -129.8, -287.7, -150.5]],
  [10000, [1266.2, 33.3, 1802.2, 926.0, 917.9]],
  [15000, [3005.0, 2451.2, 2943.7, 3337.5, 1895.4]],
  [20000, [3975.5, 3547.0, 4990.7, 3975.3, 2286.6]],
  [25000, [4539.5, 4530.1, 5572.9, 4863.9, 3012.8]],
  [30000, [5583.0, 5030.8, 5710.9, 5529.1, 4182.9]],
  [35000, [5979.1, 4859.2, 6069.5, 5653.3, 4489.9]],
  [40000, [6282.0, 5188.3, 5973.4, 6449.9, 5055.0]],
  [45000, [6691.0, 5918.3, 6044.3, 6548.2, 5438.2]],
  [50000, [6368.8, 5636.1, 6606.0, 6398.9, 5481.8]],
];

const WALKER2D: PaperCurve = [
  [5000, [940.2, 187.6, 183.6, 249.8, 671.6]],
  [10000, [10.9, 346.1, 924.9, 266.0, 353.4]],
  [15000, [320.8, 357.4, 304.8, 292.6, 399.6]],
  [20000, [365.6, 315.9, 373.5, 896.0, 295.2]],
  [25000, [233.9, 308.9, 352.9, 1802.0, 306.2]],
  [30000, [285.2, 286.5, 338.1, 1172.1, 350.2]],
  [35000, [338.8, 386.1, 274.9, 1231.7, 503.8]],
  [40000, [390.6, 400.7, 421.5, 874.3, 462.7]],
  [45000, [368.0, 511.3, 825.4, 1993.3, 949.6]],
  [50000, [490.2, 425.1, 667.3, 885.7, 535.7]],
];

export const PAPER_CURVES: readonly PaperCurveSource[] = [
  { paperTask: 'HalfCheetah-v2', envId: 'HalfCheetah-v4', curve: HALF_CHEETAH },
  { paperTask: 'Walker2d-v2', envId: 'Walker2d-v4', curve: WALKER2D },
];

/** The released curve compared with an mbrl-ts task, if the authors released one. */
export function paperCurveFor(envId: string): PaperCurveSource | undefined {
  return PAPER_CURVES.find((c) => c.envId === envId);
}
