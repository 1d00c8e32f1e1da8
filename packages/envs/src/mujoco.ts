/**
 * The one MuJoCo WASM module of the process.
 *
 * `@mujoco/mujoco` compiles and instantiates a WebAssembly module of several megabytes; every
 * environment shares the one instance (models and data are separate C++ objects inside it), so
 * the module is loaded once and the promise is memoised.
 *
 * The types below are the part of `@mujoco/mujoco`'s API that envs uses and exposes, declared
 * here so that our published declarations do not import its own: those do not compile with
 * `skipLibCheck: false` (its `ccall` names an undeclared `Arguments` type), and a consumer's
 * type check would fail on them. The `Agrees` aliases below make the compiler check that these
 * declarations agree with the package's. Code that needs more of the engine (a task of its own,
 * the viewer's scene) imports the package's full types itself.
 */
import type * as Full from '@mujoco/mujoco';

/** A compiled model (`mjModel`): the sizes and fields envs reads. */
export interface MjModel {
  /** Number of generalised coordinates. */
  readonly nq: number;
  /** Number of degrees of freedom. */
  readonly nv: number;
  /** Number of actuators. */
  readonly nu: number;
  /** Number of bodies (the world body included). */
  readonly nbody: number;
  /** The physics options; the returned handle must be deleted. */
  readonly opt: { readonly timestep: number; delete(): void };
  /** Body masses (nbody). */
  readonly body_mass: Float64Array;
  /** Actuator control ranges (nu x 2). */
  readonly actuator_ctrlrange: Float64Array;
  delete(): void;
}

/** The simulation state (`mjData`): live views onto the engine's arrays. */
export interface MjData {
  time: number;
  readonly qpos: Float64Array;
  readonly qvel: Float64Array;
  readonly ctrl: Float64Array;
  readonly qacc_warmstart: Float64Array;
  /** Body positions in the world frame (nbody x 3). */
  readonly xpos: Float64Array;
  /** Bodies' centres of mass in the world frame (nbody x 3). */
  readonly xipos: Float64Array;
  /** External contact forces per body (nbody x 6), after `mj_rnePostConstraint`. */
  readonly cfrc_ext: Float64Array;
  /** Bodies' inertia in the centre-of-mass frame (nbody x 10). */
  readonly cinert: Float64Array;
  /** Bodies' velocities in the centre-of-mass frame (nbody x 6). */
  readonly cvel: Float64Array;
  /** Actuator forces in joint space (nv). */
  readonly qfrc_actuator: Float64Array;
  delete(): void;
}

/** The loaded module: model compilation, data, the stepping functions envs calls. */
export interface MujocoModule {
  readonly MjModel: { from_xml_string(xml: string): MjModel };
  readonly MjData: new (model: MjModel) => MjData;
  readonly DoubleBuffer: new (size: number) => { GetView(): Float64Array; delete(): void };
  mj_step(model: MjModel, data: MjData): void;
  mj_forward(model: MjModel, data: MjData): void;
  mj_resetData(model: MjModel, data: MjData): void;
  mj_rnePostConstraint(model: MjModel, data: MjData): void;
}

/* Compile-time only: the package's types have every member declared above, with compatible
   types (the data constructor takes the package's model, so it is compared by hand: one argument). */
type Agrees<Narrow, Wide extends Narrow> = [Narrow, Wide];
// eslint-disable-next-line @typescript-eslint/no-unused-vars
type Checks = [
  Agrees<MjModel, Full.MjModel>,
  Agrees<MjData, Full.MjData>,
  Agrees<Omit<MujocoModule, 'MjData'>, Full.MainModule>,
  Agrees<{ new (model: Full.MjModel): Full.MjData }, Full.MainModule['MjData']>,
];

let modulePromise: Promise<MujocoModule> | null = null;

/** Load (once) and return the MuJoCo WASM module. Later calls return the same promise. */
export function loadMujoco(): Promise<MujocoModule> {
  if (modulePromise === null) {
    modulePromise = import('@mujoco/mujoco')
      .then(async (ns) => (await ns.default()) as unknown as MujocoModule)
      .catch((error: unknown) => {
        modulePromise = null; // let a later call try again
        throw new Error(`Could not load the MuJoCo WASM module (@mujoco/mujoco): ${String(error)}`);
      });
  }
  return modulePromise;
}

/**
 * The current size in bytes of the module's WebAssembly memory.
 *
 * The module does not export its HEAP8 view, so we read the size through the memory that backs
 * a one-element buffer allocated inside it. The memory only grows, so a flat size across many
 * make/reset/close cycles means nothing leaked beyond the allocator's free lists.
 */
export function wasmHeapBytes(mujoco: MujocoModule): number {
  const probe = new mujoco.DoubleBuffer(1);
  try {
    return probe.GetView().buffer.byteLength;
  } finally {
    probe.delete();
  }
}
