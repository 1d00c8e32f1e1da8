/**
 * The trajectory file the page plays (eval --save-trajectory): a well-formed file parses as it
 * is; each malformed one is refused naming the first thing wrong; the page's "return so far" is
 * the sum of the first N rewards.
 */
import { parseTrajectory, returnAfter, TrajectoryError, type Trajectory } from '../src/trajectory-format';

function valid(): Trajectory {
  return {
    format: 'mbrl-ts-trajectory',
    version: 1,
    env: 'InvertedPendulum-v4',
    dt: 0.04,
    algo: 'sac',
    checkpointStep: 60,
    episodes: [
      {
        seed: 7,
        qpos: [
          [0, 0],
          [0.01, 0.02],
          [0.02, 0.05],
        ],
        qvel: [
          [0, 0],
          [0.2, 0.5],
          [0.3, 0.9],
        ],
        actions: [[0.5], [-1]],
        rewards: [1, 1],
        terminated: false,
      },
    ],
  };
}

const broken = (
  edit: (t: Record<string, unknown> & { episodes: Array<Record<string, unknown>> }) => void,
) => {
  const t = JSON.parse(JSON.stringify(valid()));
  edit(t);
  return t;
};

it('parses a well-formed file unchanged', () => {
  expect(parseTrajectory(valid(), 'run.json')).toEqual(valid());
});

it.each([
  [
    'not a trajectory',
    () => ({ format: 'other' }),
    'run.json is not an mbrl-ts trajectory (format "mbrl-ts-trajectory")',
  ],
  ['another version', () => broken((t) => (t.version = 2)), 'run.json has version 2; this build reads 1'],
  ['no dt', () => broken((t) => (t.dt = 0)), 'run.json must name its task (env) and a positive dt'],
  ['no episodes', () => broken((t) => (t.episodes = [])), 'run.json holds no episodes'],
  [
    'a non-finite reward',
    () => broken((t) => (t.episodes[0].rewards = [1, null])),
    'run.json episode 0: rewards must be finite numbers',
  ],
  [
    'one state short',
    () => broken((t) => (t.episodes[0].qpos = [[0, 0]])),
    'run.json episode 0 qpos: expected 3 rows',
  ],
  [
    'a ragged qvel',
    () => broken((t) => ((t.episodes[0].qvel as number[][])[2] = [0.3])),
    'run.json episode 0 qvel: every row must hold 2 finite numbers',
  ],
  [
    'an action too many',
    () => broken((t) => (t.episodes[0].actions = [[0.5], [-1], [0]])),
    'run.json episode 0 actions: expected 2 rows',
  ],
  [
    'no seed',
    () => broken((t) => delete t.episodes[0].seed),
    'run.json episode 0: needs its seed and whether it terminated',
  ],
])('refuses %s, naming what is wrong', (_what, make, message) => {
  expect(() => parseTrajectory(make(), 'run.json')).toThrow(new TrajectoryError(message));
});

it("the return so far is the sum of the first N rewards, capped at the episode's length", () => {
  const episode = { ...valid().episodes[0], rewards: [0.5, -0.25, 2] };
  expect(returnAfter(episode, 0)).toBe(0);
  expect(returnAfter(episode, 2)).toBe(0.25);
  expect(returnAfter(episode, 10)).toBe(2.25);
});
