/**
 * Our MJCF models against Gymnasium's own XML files, both compiled by our MuJoCo build: every
 * numeric model array and solver option compared, then the same actions stepped through both
 * (Gymnasium's step: ctrl, mj_step x frame skip, mj_rnePostConstraint, positions read from
 * data as mj_step left them) and the first step where the states part. Prints JSON.
 *
 * Gymnasium's files are not part of this repository; point the script at a checkout's assets
 * (Gymnasium's, or gym 0.17.2's for the v2 Ant and Humanoid the truncated tasks build on):
 *   npx tsx packages/envs/bench/gymnasium.ts /path/to/Gymnasium/gymnasium/envs/mujoco/assets
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '@mbrl-ts/rng';
import { ANT_XML } from '../src/assets/ant';
import { HALF_CHEETAH_XML } from '../src/assets/half-cheetah';
import { HOPPER_XML } from '../src/assets/hopper';
import { HUMANOID_XML } from '../src/assets/humanoid';
import { INVERTED_PENDULUM_XML } from '../src/assets/inverted-pendulum';
import { WALKER2D_XML } from '../src/assets/walker2d';
import { loadMujoco, makeEnv, type MjData, type MjModel, type MujocoModule } from '../src/index';

const TASKS: ReadonlyArray<{ id: string; file: string; ours: string; frameSkip: number }> = [
  { id: 'InvertedPendulum-v4', file: 'inverted_pendulum.xml', ours: INVERTED_PENDULUM_XML, frameSkip: 2 },
  { id: 'HalfCheetah-v4', file: 'half_cheetah.xml', ours: HALF_CHEETAH_XML, frameSkip: 5 },
  { id: 'Hopper-v4', file: 'hopper.xml', ours: HOPPER_XML, frameSkip: 4 },
  { id: 'Walker2d-v4', file: 'walker2d.xml', ours: WALKER2D_XML, frameSkip: 4 },
  { id: 'Ant-v4', file: 'ant.xml', ours: ANT_XML, frameSkip: 5 },
  { id: 'Humanoid-v4', file: 'humanoid.xml', ours: HUMANOID_XML, frameSkip: 5 },
  { id: 'AntTruncatedObs-v2', file: 'ant.xml', ours: ANT_XML, frameSkip: 5 },
  { id: 'HumanoidTruncatedObs-v2', file: 'humanoid.xml', ours: HUMANOID_XML, frameSkip: 5 },
];

/** Model arrays that only rendering, names or visual defaults decide. */
const RENDERING =
  /^(buffer$|numeric_|mat_|tex_|light_|cam_|vis|name_|names|geom_(rgba|matid|group|user)|site_(rgba|matid|group)|body_(user|bvhadr|bvhnum)|bvh_|paths|text_|key_|mesh_|skin_|flex|signature)/;

const OPTION_FIELDS = [
  'timestep',
  'integrator',
  'solver',
  'iterations',
  'tolerance',
  'ls_iterations',
  'ls_tolerance',
  'noslip_iterations',
  'cone',
  'jacobian',
  'impratio',
  'density',
  'viscosity',
  'o_margin',
  'disableflags',
  'enableflags',
  'gravity',
] as const;

/** The model's numeric arrays; `unreadable` collects the names the bindings refuse (boolean arrays). */
function arrayFields(model: MjModel, unreadable: Set<string>): Map<string, ArrayLike<number>> {
  const out = new Map<string, ArrayLike<number>>();
  for (let proto = Object.getPrototypeOf(model); proto !== null; proto = Object.getPrototypeOf(proto)) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (out.has(name) || RENDERING.test(name)) continue;
      let value: unknown;
      try {
        value = (model as unknown as Record<string, unknown>)[name];
      } catch {
        unreadable.add(name);
        continue;
      }
      if (ArrayBuffer.isView(value) && !(value instanceof DataView))
        out.set(name, value as unknown as ArrayLike<number>);
    }
  }
  return out;
}

function options(model: MjModel): Record<string, number | number[]> {
  const opt = model.opt as unknown as Record<string, unknown> & { delete(): void };
  const out: Record<string, number | number[]> = {};
  for (const f of OPTION_FIELDS) {
    const v = opt[f];
    out[f] = typeof v === 'number' ? v : Array.from(v as ArrayLike<number>);
  }
  opt.delete();
  return out;
}

function compareModels(ours: MjModel, theirs: MjModel) {
  const unreadable = new Set<string>();
  const a = arrayFields(ours, unreadable);
  const b = arrayFields(theirs, unreadable);
  const differ: Record<string, number> = {};
  const sizes: Record<string, [number, number]> = {};
  let equal = 0;
  for (const [name, x] of a) {
    const y = b.get(name);
    if (y === undefined) continue;
    if (x.length !== y.length) {
      sizes[name] = [x.length, y.length];
      continue;
    }
    let worst = 0;
    for (let i = 0; i < x.length; i++) {
      const d = Math.abs(x[i] - y[i]);
      if (d > worst || Number.isNaN(d)) worst = Number.isNaN(d) ? Infinity : d;
    }
    if (worst === 0) equal += 1;
    else differ[name] = worst;
  }
  const oa = options(ours);
  const ob = options(theirs);
  const optionsDiffer = OPTION_FIELDS.filter((f) => JSON.stringify(oa[f]) !== JSON.stringify(ob[f])).map(
    (f) => ({ field: f, ours: oa[f], theirs: ob[f] }),
  );
  return {
    equalArrays: equal,
    differ,
    sizes,
    notCompared: [...unreadable].sort(),
    options: oa,
    optionsDiffer,
  };
}

/**
 * Gymnasium v4's reward for one step from the positions it reads before and after (x of the root,
 * of the torso's xpos, or of the centre of mass from xipos) and the data after the step.
 */
interface GymnasiumTask {
  /** What Gymnasium's step compares across the step, read from data as it stands. */
  position(model: MjModel, data: MjData): number;
  reward(dx: number, dt: number, ctrl: Float64Array, data: MjData): number;
}

const squares = (a: ArrayLike<number>): number => Array.from(a).reduce((s, x) => s + x * x, 0);
const rootX = (_m: MjModel, d: MjData): number => (d.qpos as Float64Array)[0];
const torsoX = (_m: MjModel, d: MjData): number => (d.xpos as Float64Array)[3]; // body 1, the torso
function comX(m: MjModel, d: MjData): number {
  const mass = m.body_mass as Float64Array;
  const xipos = d.xipos as Float64Array;
  let num = 0;
  let den = 0;
  for (let b = 0; b < mass.length; b++) {
    num += mass[b] * xipos[3 * b];
    den += mass[b];
  }
  return num / den;
}
const clippedSquares = (f: Float64Array): number =>
  squares(Array.from(f, (x) => Math.min(1, Math.max(-1, x))));

const GYMNASIUM: Record<string, GymnasiumTask> = {
  'InvertedPendulum-v4': { position: rootX, reward: () => 1 },
  'HalfCheetah-v4': { position: rootX, reward: (dx, dt, a) => dx / dt - 0.1 * squares(a) },
  'Hopper-v4': { position: rootX, reward: (dx, dt, a) => dx / dt + 1 - 1e-3 * squares(a) },
  'Walker2d-v4': { position: rootX, reward: (dx, dt, a) => dx / dt + 1 - 1e-3 * squares(a) },
  'Ant-v4': { position: torsoX, reward: (dx, dt, a) => dx / dt + 1 - 0.5 * squares(a) },
  'Humanoid-v4': { position: comX, reward: (dx, dt, a) => 1.25 * (dx / dt) + 5 - 0.1 * squares(a) },
  // The ALM authors' utils/env.py (gym 0.17.2's v2 rewards).
  'AntTruncatedObs-v2': {
    position: torsoX,
    reward: (dx, dt, a, d) =>
      dx / dt + 1 - 0.5 * squares(a) - 0.5e-3 * clippedSquares(d.cfrc_ext as Float64Array),
  },
  'HumanoidTruncatedObs-v2': {
    position: comX,
    reward: (dx, _dt, a, d) =>
      (0.25 * dx) / 0.003 + 5 - 0.1 * squares(a) - Math.min(0.5e-6 * squares(d.cfrc_ext as Float64Array), 10),
  },
};

/**
 * Step Gymnasium's model the way Gymnasium v4 does and our env the same way from the same
 * state: where do the states part, and how far apart are the rewards?
 */
async function compareSteps(
  mujoco: MujocoModule,
  id: string,
  theirs: MjModel,
  frameSkip: number,
  steps: number,
) {
  const gym = GYMNASIUM[id];
  const env = await makeEnv(id, { maxEpisodeSteps: null });
  const data = new mujoco.MjData(theirs);
  const dt = ((): number => {
    const opt = theirs.opt;
    const value = opt.timestep * frameSkip;
    opt.delete();
    return value;
  })();
  const unwrapped = env.unwrapped as unknown as { getPhysics(): { qpos: Float64Array; qvel: Float64Array } };
  const rng = new Rng(5);
  const out = {
    steps: 0,
    episodes: 0,
    firstStepStatesDiffer: null as number | null,
    firstStepStatesDifferBy1e6: null as number | null,
    maxStateDifference: 0,
    maxRewardDifference: 0,
    maxRewardDifferenceWhileStatesEqual: 0,
  };
  let t = 0; // step within the episode
  for (let episode = 0; episode < 3; episode++) {
    env.reset({ seed: 3 + episode });
    const start = unwrapped.getPhysics();
    mujoco.mj_resetData(theirs, data);
    (data.qpos as Float64Array).set(start.qpos);
    (data.qvel as Float64Array).set(start.qvel);
    mujoco.mj_forward(theirs, data);
    for (t = 0; t < steps; t++) {
      const action = Float64Array.from(env.actionSpace.sample(rng));
      const before = gym.position(theirs, data);
      (data.ctrl as Float64Array).set(action);
      for (let k = 0; k < frameSkip; k++) mujoco.mj_step(theirs, data);
      mujoco.mj_rnePostConstraint(theirs, data);
      const reward = gym.reward(gym.position(theirs, data) - before, dt, action, data);
      const s = env.step(action);
      const ours = unwrapped.getPhysics();
      let d = 0;
      ours.qpos.forEach((q, i) => (d = Math.max(d, Math.abs(q - (data.qpos as Float64Array)[i]))));
      ours.qvel.forEach((v, i) => (d = Math.max(d, Math.abs(v - (data.qvel as Float64Array)[i]))));
      const r = Math.abs(s.reward - reward);
      out.steps += 1;
      out.maxStateDifference = Math.max(out.maxStateDifference, d);
      out.maxRewardDifference = Math.max(out.maxRewardDifference, r);
      if (d === 0)
        out.maxRewardDifferenceWhileStatesEqual = Math.max(out.maxRewardDifferenceWhileStatesEqual, r);
      if (episode === 0 && out.firstStepStatesDiffer === null && d > 0) out.firstStepStatesDiffer = t + 1;
      if (episode === 0 && out.firstStepStatesDifferBy1e6 === null && d > 1e-6)
        out.firstStepStatesDifferBy1e6 = t + 1;
      if (s.terminated) break;
    }
    out.episodes += 1;
  }
  data.delete();
  env.close();
  return out;
}

async function main(): Promise<void> {
  const dir = process.argv[2];
  if (dir === undefined) {
    console.error(
      'usage: tsx packages/envs/bench/gymnasium.ts <Gymnasium gymnasium/envs/mujoco/assets directory>',
    );
    process.exit(2);
  }
  const mujoco = await loadMujoco();
  const report: Record<string, unknown> = {};
  for (const task of TASKS) {
    let theirs: MjModel;
    try {
      theirs = mujoco.MjModel.from_xml_string(readFileSync(join(dir, task.file), 'utf8'));
    } catch (error) {
      // e.g. gym 0.17.2's planar models use global coordinates, which MuJoCo >= 2.3.4 refuses.
      report[task.id] = { error: `${task.file}: ${(error as Error).message.split('\n')[0]}` };
      continue;
    }
    const ours = mujoco.MjModel.from_xml_string(task.ours);
    report[task.id] = {
      model: compareModels(ours, theirs),
      steps: await compareSteps(mujoco, task.id, theirs, task.frameSkip, 1000),
    };
    ours.delete();
    theirs.delete();
  }
  console.log(JSON.stringify(report, null, 2));
}

void main();
