/**
 * A trajectory file: what `eval --save-trajectory FILE` writes and the viewer page plays without
 * a policy or a server-side run: the task, and per episode its seed, the physical state (qpos,
 * qvel) after the reset and after every step, the actions and the rewards. The page recomputes the
 * geoms' poses from qpos with the task's own model (mj_forward), so the file stays small.
 *
 * This file has no Node or tfjs imports: the page checks the files it opens with it.
 */

export const TRAJECTORY_FORMAT = 'mbrl-ts-trajectory';
export const TRAJECTORY_VERSION = 1;

export interface TrajectoryEpisode {
  readonly seed: number;
  /** length + 1 states: after the reset, then after each step. */
  readonly qpos: number[][];
  readonly qvel: number[][];
  readonly actions: number[][];
  readonly rewards: number[];
  /** True when the task ended the episode (a fall), false when the time limit or --max-steps did. */
  readonly terminated: boolean;
}

export interface Trajectory {
  readonly format: typeof TRAJECTORY_FORMAT;
  readonly version: typeof TRAJECTORY_VERSION;
  /** The task's id, e.g. 'HalfCheetah-v4'. */
  readonly env: string;
  /** Seconds per step (timestep * frame skip): the playback rate. */
  readonly dt: number;
  readonly algo?: string;
  readonly checkpointStep?: number;
  readonly episodes: TrajectoryEpisode[];
}

export class TrajectoryError extends Error {
  override readonly name = 'TrajectoryError';
}

function numberRows(value: unknown, rows: number, width: number | null, what: string): number[][] {
  if (!Array.isArray(value) || value.length !== rows) {
    throw new TrajectoryError(`${what}: expected ${rows} rows`);
  }
  for (const row of value) {
    if (
      !Array.isArray(row) ||
      (width !== null && row.length !== width) ||
      !row.every((x) => typeof x === 'number' && Number.isFinite(x))
    ) {
      throw new TrajectoryError(
        `${what}: every row must hold ${width ?? 'the same count of'} finite numbers`,
      );
    }
  }
  return value as number[][];
}

/** Check a parsed trajectory file strictly; the error names the first thing wrong. */
export function parseTrajectory(value: unknown, source = 'trajectory'): Trajectory {
  const t = value as Partial<Trajectory> | null;
  if (typeof t !== 'object' || t === null || t.format !== TRAJECTORY_FORMAT) {
    throw new TrajectoryError(`${source} is not an mbrl-ts trajectory (format "${TRAJECTORY_FORMAT}")`);
  }
  if (t.version !== TRAJECTORY_VERSION) {
    throw new TrajectoryError(
      `${source} has version ${String(t.version)}; this build reads ${TRAJECTORY_VERSION}`,
    );
  }
  if (typeof t.env !== 'string' || typeof t.dt !== 'number' || !(t.dt > 0)) {
    throw new TrajectoryError(`${source} must name its task (env) and a positive dt`);
  }
  if (!Array.isArray(t.episodes) || t.episodes.length === 0) {
    throw new TrajectoryError(`${source} holds no episodes`);
  }
  t.episodes.forEach((e, i) => {
    const where = `${source} episode ${i}`;
    if (!Array.isArray(e?.rewards) || !e.rewards.every((r) => typeof r === 'number' && Number.isFinite(r))) {
      throw new TrajectoryError(`${where}: rewards must be finite numbers`);
    }
    const n = e.rewards.length;
    const nq = Array.isArray(e.qpos?.[0]) ? e.qpos[0].length : 0;
    const nv = Array.isArray(e.qvel?.[0]) ? e.qvel[0].length : 0;
    numberRows(e.qpos, n + 1, nq, `${where} qpos`);
    numberRows(e.qvel, n + 1, nv, `${where} qvel`);
    numberRows(e.actions, n, null, `${where} actions`);
    if (typeof e.seed !== 'number' || typeof e.terminated !== 'boolean') {
      throw new TrajectoryError(`${where}: needs its seed and whether it terminated`);
    }
  });
  return t as Trajectory;
}

/** The return of the first `steps` steps of an episode (the page shows it as "return so far"). */
export function returnAfter(episode: TrajectoryEpisode, steps: number): number {
  let total = 0;
  for (let i = 0; i < Math.min(steps, episode.rewards.length); i++) total += episode.rewards[i];
  return total;
}
