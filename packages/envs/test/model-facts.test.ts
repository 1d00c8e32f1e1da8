/**
 * The model facts that decide each task's dynamics, pinned to Gymnasium v4's XML files and env
 * classes: solver, iterations, integrator, timestep, frame skip; every body's mass (recomputed here
 * from the geoms' sizes and density, as MuJoCo's inertiafromgeom does); every actuator's gear and
 * control range; every joint's range, stiffness, damping and armature; every geom's sliding
 * friction. (bench/gymnasium.ts compares every compiled model array with Gymnasium's own files.)
 */
import type { MainModule as MujocoModule, MjModel } from '@mujoco/mujoco';
import { makeEnv, loadMujoco } from '../src/index';
import { ANT_XML } from '../src/assets/ant';
import { HALF_CHEETAH_XML } from '../src/assets/half-cheetah';
import { HOPPER_XML } from '../src/assets/hopper';
import { HUMANOID_XML } from '../src/assets/humanoid';
import { INVERTED_PENDULUM_XML } from '../src/assets/inverted-pendulum';
import { WALKER2D_XML } from '../src/assets/walker2d';

let mujoco: MujocoModule;
beforeAll(async () => {
  // the whole engine's types (envs declares only what it uses): these tests read every model fact
  mujoco = (await loadMujoco()) as unknown as MujocoModule;
});

// ---- Volumes of the geoms (m^3) --------------------------------------------------------------

/** A capsule of radius r whose cylinder is `length` long: pi r^2 length + 4/3 pi r^3. */
const capsule = (r: number, length: number): number => Math.PI * r * r * length + (4 / 3) * Math.PI * r ** 3;
const sphere = (r: number): number => (4 / 3) * Math.PI * r ** 3;
/** The capsule length given by a fromto pair. */
const span = (x: number, y: number, z: number): number => Math.hypot(x, y, z);

const RAD = Math.PI / 180;

/** One joint: [name, range (null: unlimited), stiffness, damping, armature]. */
type Joint = [string, [number, number] | null, number, number, number];

interface Facts {
  id: string;
  xml: string;
  timestep: number;
  integrator: 'RK4' | 'Euler';
  solver: 'PGS' | 'Newton';
  iterations: number;
  frameSkip: number;
  /** Body masses in kg, world first. */
  masses: number[];
  gears: number[];
  ctrlRange: [number, number];
  joints: Joint[];
  /** The first (sliding) friction coefficient of every geom, floor first. */
  friction: number[];
}

const planarRoot = (): Joint[] => [
  ['rootx', null, 0, 0, 0],
  ['rootz', null, 0, 0, 0],
  ['rooty', null, 0, 0, 0],
];

/** Hopper and Walker2d legs: capsule half-lengths as Gymnasium's file writes them. */
const torso = capsule(0.05, 2 * 0.19999999999999996);
const thigh = capsule(0.05, 2 * 0.22500000000000003);
const leg = capsule(0.04, 2 * 0.25);

/** HalfCheetah: settotalmass 14 scales the capsule volumes (all radius 0.046) to 14 kg. */
const cheetahVolumes = [
  capsule(0.046, 1.0) + capsule(0.046, 0.3), // torso: body capsule and head
  ...[0.145, 0.15, 0.094, 0.133, 0.106, 0.07].map((half) => capsule(0.046, 2 * half)),
];
const cheetahMasses = cheetahVolumes.map((v) => (14 * v) / cheetahVolumes.reduce((s, x) => s + x, 0));

/** Ant (density 5): each leg is two capsules of length 0.2 sqrt 2 and a foot of 0.4 sqrt 2, radius 0.08. */
const antLeg = [
  capsule(0.08, 0.2 * Math.SQRT2),
  capsule(0.08, 0.2 * Math.SQRT2),
  capsule(0.08, 0.4 * Math.SQRT2),
];

/** Humanoid (density 1000), bodies in MuJoCo's order. */
const humanoidVolumes = [
  capsule(0.07, 0.14) + sphere(0.09) + capsule(0.06, 0.12), // torso: torso1, head, uwaist
  capsule(0.06, 0.12), // lwaist
  capsule(0.09, 0.14), // pelvis (butt)
  capsule(0.06, span(0, 0.01, 0.34)), // right thigh
  capsule(0.049, 0.3), // right shin
  sphere(0.075), // right foot
  capsule(0.06, span(0, 0.01, 0.34)),
  capsule(0.049, 0.3),
  sphere(0.075),
  capsule(0.04, span(0.16, 0.16, 0.16)), // right upper arm (fromto decides the length)
  capsule(0.031, span(0.16, 0.16, 0.16)) + sphere(0.04), // right lower arm and hand
  capsule(0.04, span(0.16, 0.16, 0.16)),
  capsule(0.031, span(0.16, 0.16, 0.16)) + sphere(0.04),
];

const deg = (low: number, high: number): [number, number] => [low * RAD, high * RAD];

const TASKS: Facts[] = [
  {
    id: 'InvertedPendulum-v4',
    xml: INVERTED_PENDULUM_XML,
    timestep: 0.02,
    integrator: 'RK4',
    solver: 'Newton',
    iterations: 100,
    frameSkip: 2,
    masses: [0, 1000 * capsule(0.1, 0.2), 1000 * capsule(0.049, span(0.001, 0, 0.6))],
    gears: [100],
    ctrlRange: [-3, 3],
    joints: [
      ['slider', [-1, 1], 0, 1, 0],
      ['hinge', deg(-90, 90), 0, 1, 0],
    ],
    friction: [1, 1, 1],
  },
  {
    id: 'HalfCheetah-v4',
    xml: HALF_CHEETAH_XML,
    timestep: 0.01,
    integrator: 'Euler',
    solver: 'Newton',
    iterations: 100,
    frameSkip: 5,
    masses: [0, ...cheetahMasses],
    gears: [120, 90, 60, 120, 60, 30],
    ctrlRange: [-1, 1],
    joints: [
      ...planarRoot(),
      ['bthigh', [-0.52, 1.05], 240, 6, 0.1],
      ['bshin', [-0.785, 0.785], 180, 4.5, 0.1],
      ['bfoot', [-0.4, 0.785], 120, 3, 0.1],
      ['fthigh', [-1, 0.7], 180, 4.5, 0.1],
      ['fshin', [-1.2, 0.87], 120, 3, 0.1],
      ['ffoot', [-0.5, 0.5], 60, 1.5, 0.1],
    ],
    friction: new Array(9).fill(0.4),
  },
  {
    id: 'Hopper-v4',
    xml: HOPPER_XML,
    timestep: 0.002,
    integrator: 'RK4',
    solver: 'Newton',
    iterations: 100,
    frameSkip: 4,
    masses: [0, torso, thigh, leg, capsule(0.06, 2 * 0.195)].map((v) => 1000 * v),
    gears: [200, 200, 200],
    ctrlRange: [-1, 1],
    joints: [
      ...planarRoot(),
      ['thigh_joint', deg(-150, 0), 0, 1, 1],
      ['leg_joint', deg(-150, 0), 0, 1, 1],
      ['foot_joint', deg(-45, 45), 0, 1, 1],
    ],
    friction: [1, 0.9, 0.9, 0.9, 2.0],
  },
  {
    id: 'Walker2d-v4',
    xml: WALKER2D_XML,
    timestep: 0.002,
    integrator: 'RK4',
    solver: 'Newton',
    iterations: 100,
    frameSkip: 4,
    masses: [0, torso, thigh, leg, capsule(0.06, 0.2), thigh, leg, capsule(0.06, 0.2)].map((v) => 1000 * v),
    gears: [100, 100, 100, 100, 100, 100],
    ctrlRange: [-1, 1],
    joints: [
      ...planarRoot(),
      ...['thigh', 'leg', 'foot', 'thigh_left', 'leg_left', 'foot_left'].map((name, i): Joint => [
        `${name}_joint`,
        i % 3 === 2 ? deg(-45, 45) : deg(-150, 0),
        0,
        0.1,
        0.01,
      ]),
    ],
    friction: [0.7, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 1.9], // v4 keeps the left foot's 1.9
  },
  {
    id: 'Ant-v4',
    xml: ANT_XML,
    timestep: 0.01,
    integrator: 'RK4',
    solver: 'Newton',
    iterations: 100,
    frameSkip: 5,
    masses: [0, sphere(0.25), ...antLeg, ...antLeg, ...antLeg, ...antLeg].map((v) => 5 * v),
    gears: new Array(8).fill(150),
    ctrlRange: [-1, 1],
    joints: [
      ['root', null, 0, 0, 0],
      ['hip_1', deg(-30, 30), 0, 1, 1],
      ['ankle_1', deg(30, 70), 0, 1, 1],
      ['hip_2', deg(-30, 30), 0, 1, 1],
      ['ankle_2', deg(-70, -30), 0, 1, 1],
      ['hip_3', deg(-30, 30), 0, 1, 1],
      ['ankle_3', deg(-70, -30), 0, 1, 1],
      ['hip_4', deg(-30, 30), 0, 1, 1],
      ['ankle_4', deg(30, 70), 0, 1, 1],
    ],
    friction: new Array(14).fill(1),
  },
  {
    id: 'Humanoid-v4',
    xml: HUMANOID_XML,
    timestep: 0.003,
    integrator: 'RK4',
    solver: 'PGS',
    iterations: 50,
    frameSkip: 5,
    masses: [0, ...humanoidVolumes.map((v) => 1000 * v)],
    gears: [100, 100, 100, 100, 100, 300, 200, 100, 100, 300, 200, 25, 25, 25, 25, 25, 25],
    ctrlRange: [-0.4, 0.4],
    joints: [
      ['root', null, 0, 0, 0],
      ['abdomen_z', deg(-45, 45), 20, 5, 0.02],
      ['abdomen_y', deg(-75, 30), 10, 5, 0.02],
      ['abdomen_x', deg(-35, 35), 10, 5, 0.02],
      ['right_hip_x', deg(-25, 5), 10, 5, 0.01],
      ['right_hip_z', deg(-60, 35), 10, 5, 0.01],
      ['right_hip_y', deg(-110, 20), 20, 5, 0.008],
      ['right_knee', deg(-160, -2), 0, 1, 0.006],
      ['left_hip_x', deg(-25, 5), 10, 5, 0.01],
      ['left_hip_z', deg(-60, 35), 10, 5, 0.01],
      ['left_hip_y', deg(-110, 20), 20, 5, 0.01],
      ['left_knee', deg(-160, -2), 1, 1, 0.006],
      ['right_shoulder1', deg(-85, 60), 1, 1, 0.0068],
      ['right_shoulder2', deg(-85, 60), 1, 1, 0.0051],
      ['right_elbow', deg(-90, 50), 0, 1, 0.0028],
      ['left_shoulder1', deg(-60, 85), 1, 1, 0.0068],
      ['left_shoulder2', deg(-60, 85), 1, 1, 0.0051],
      ['left_elbow', deg(-90, 50), 0, 1, 0.0028],
    ],
    friction: new Array(18).fill(1),
  },
];

const SOLVERS = { PGS: 0, Newton: 2 } as const; // mjtSolver
const INTEGRATORS = { Euler: 0, RK4: 1 } as const; // mjtIntegrator
const DOFS = [6, 3, 1, 1]; // mjtJoint: free, ball, slide, hinge

function arrays(model: MjModel) {
  return {
    mass: Array.from(model.body_mass as Float64Array),
    gear: Array.from(model.actuator_gear as Float64Array),
    ctrlrange: Array.from(model.actuator_ctrlrange as Float64Array),
    type: Array.from(model.jnt_type as Int32Array),
    range: Array.from(model.jnt_range as Float64Array),
    stiffness: Array.from(model.jnt_stiffness as Float64Array),
    dofadr: Array.from(model.jnt_dofadr as Int32Array),
    damping: Array.from(model.dof_damping as Float64Array),
    armature: Array.from(model.dof_armature as Float64Array),
    friction: Array.from(model.geom_friction as Float64Array),
  };
}

describe.each(TASKS)('$id model', (task) => {
  let model: MjModel;
  beforeAll(() => {
    model = mujoco.MjModel.from_xml_string(task.xml);
  });
  afterAll(() => model.delete());

  test(`solver ${task.solver} with ${task.iterations} iterations, ${task.integrator} at ${task.timestep} s, frame skip ${task.frameSkip}`, async () => {
    const opt = model.opt;
    expect(opt.solver).toBe(SOLVERS[task.solver]);
    expect(opt.iterations).toBe(task.iterations);
    expect(opt.integrator).toBe(INTEGRATORS[task.integrator]);
    expect(opt.timestep).toBe(task.timestep);
    expect(opt.tolerance).toBe(1e-8); // MuJoCo's default; no Gymnasium file sets it
    expect(opt.cone).toBe(0); // pyramidal friction cones (the default)
    expect(Array.from(opt.gravity as Float64Array)).toEqual([0, 0, -9.81]);
    opt.delete();
    const env = await makeEnv(task.id, { maxEpisodeSteps: null });
    const unwrapped = env.unwrapped as unknown as { frameSkip: number };
    expect(unwrapped.frameSkip).toBe(task.frameSkip);
    expect(env.dt).toBeCloseTo(task.timestep * task.frameSkip, 15);
    env.close();
  });

  test('body masses from the geoms (density x volume; HalfCheetah scaled to 14 kg)', () => {
    const { mass } = arrays(model);
    expect(mass.length).toBe(task.masses.length);
    mass.forEach((m, b) => expect(m).toBeCloseTo(task.masses[b], 12));
  });

  test('actuator gears and control ranges', () => {
    const { gear, ctrlrange } = arrays(model);
    expect(model.nu).toBe(task.gears.length);
    for (let a = 0; a < model.nu; a++) {
      expect(gear.slice(6 * a, 6 * a + 6)).toEqual([task.gears[a], 0, 0, 0, 0, 0]);
      expect(ctrlrange.slice(2 * a, 2 * a + 2)).toEqual(task.ctrlRange);
    }
  });

  test('joint ranges, stiffness, damping and armature', () => {
    const j = arrays(model);
    expect(model.njnt).toBe(task.joints.length);
    task.joints.forEach(([name, range, stiffness, damping, armature], i) => {
      const where = `${task.id} joint ${name}`;
      // (The bindings cannot read the boolean jnt_limited; an unlimited joint has range [0, 0].)
      const [low, high] = range ?? [0, 0];
      expect(j.range[2 * i]).toBeCloseTo(low, 14);
      expect(j.range[2 * i + 1]).toBeCloseTo(high, 14);
      expect([where, j.stiffness[i]]).toEqual([where, stiffness]);
      for (let d = 0; d < DOFS[j.type[i]]; d++) {
        expect([where, j.damping[j.dofadr[i] + d], j.armature[j.dofadr[i] + d]]).toEqual([
          where,
          damping,
          armature,
        ]);
      }
    });
  });

  test('sliding friction of every geom', () => {
    const { friction } = arrays(model);
    expect(model.ngeom).toBe(task.friction.length);
    expect(Array.from({ length: model.ngeom }, (_, g) => friction[3 * g])).toEqual(task.friction);
  });
});
