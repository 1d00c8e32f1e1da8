/**
 * MujocoEnv: the base class of every MuJoCo task.
 *
 * HOW TO ADD A TASK (see src/tasks/half-cheetah.ts for a complete example):
 *   1. Write the MJCF as an exported template string in src/assets/<task>.ts.
 *   2. In src/tasks/<task>.ts, extend `MujocoEnv<M>` and call `super(mujoco, { id, xml, frameSkip,
 *      observationSize, contactForces? })`. The action space comes from the actuators' ctrlrange.
 *   3. Implement the four hooks:
 *      - `applyResetNoise(rng, qpos, qvel)`: qpos/qvel arrive holding the model's initial state
 *        (qpos0, zeros); add the task's reset noise in place (draw qpos first, then qvel).
 *      - `observe(out)`: write the observation into `out` (length observationSize) from
 *        `this.data` (e.g. `this.data.qpos`, `this.data.qvel`, `this.data.cfrc_ext`).
 *      - `measure()`: the quantity the reward compares across a step (e.g. x position of the
 *        root, or the centre of mass); it is called before and after the physics step. Read it
 *        from `this.data` as it stands, as Gymnasium does: after mj_step, derived quantities
 *        such as `xpos` / `xipos` are those MuJoCo computed during the step (for RK4, at its
 *        last stage), not those of the state the step ended in. getState / setState carry
 *        `xpos` and `xipos`, so a restored env measures what the saved one would have.
 *      - `evaluate(before, after, action)`: reward, termination and info terms, from the two
 *        measurements, the validated action and the state after the step (`this.data`).
 *   4. Register it in src/registry.ts (id, max episode steps, factory) and export it from
 *      src/index.ts.
 * The base class owns everything else: the MuJoCo model and data, seeding, the step count and
 * needs-reset flag, action validation, frame skipping, state save/restore, and `close()`.
 * If the task's observation or reward reads contact forces (cfrc_ext), pass
 * `contactForces: true`: the base class then runs mj_rnePostConstraint after the physics step,
 * as Gymnasium does, since mj_step alone leaves cfrc_ext at zero.
 */
import type { Rng } from '@mbrl-ts/rng';
import type { MjData, MjModel, MujocoModule } from '../mujoco';
import { readAction } from './action';
import type { ActionInput, Env, EnvState, ResetOptions, ResetResult, StepInfo, StepResult } from './env';
import { EnvClosedError, EnvError, InvalidStateError, ResetNeededError } from './errors';
import { DEFAULT_SEED, seededRng } from './seeding';
import { Box } from './space';

export interface MujocoTaskDefinition {
  /** Registry id, e.g. 'HalfCheetah-v4'. */
  readonly id: string;
  /** The MJCF model as a string. */
  readonly xml: string;
  /** MuJoCo steps per env step. */
  readonly frameSkip: number;
  readonly observationSize: number;
  /** Run mj_rnePostConstraint after stepping so that `data.cfrc_ext` holds contact forces. */
  readonly contactForces?: boolean;
}

/**
 * A perturbation of the next state applied right after the physics step (DynamicsNoise): it
 * edits the live qpos / qvel in place, drawing from the env's Rng.
 */
export type TransitionNoise = (rng: Rng, qpos: Float64Array, qvel: Float64Array) => void;

/** What a task reports for one step. */
export interface StepOutcome {
  readonly reward: number;
  readonly terminated: boolean;
  readonly info: StepInfo;
}

/** The physics variables of a MujocoEnv state, as plain arrays. */
export interface MujocoPhysicsState {
  readonly [name: string]: readonly number[] | number;
  readonly qpos: readonly number[];
  readonly qvel: readonly number[];
  readonly qacc_warmstart: readonly number[];
  readonly time: number;
  /**
   * Body positions and centres of mass (3 per body) as the last mj_step left them, which the
   * Ant / Humanoid rewards read. setState accepts states saved without them (then mj_forward's).
   */
  readonly xpos: readonly number[];
  readonly xipos: readonly number[];
}

export abstract class MujocoEnv<M = number> implements Env {
  readonly id: string;
  readonly observationSpace: Box;
  readonly actionSpace: Box;
  /** Seconds per env step: model timestep * frame skip. */
  readonly dt: number;
  readonly frameSkip: number;

  protected readonly mujoco: MujocoModule;
  protected readonly model: MjModel;
  protected readonly data: MjData;
  /** The model's initial state (qpos0 and zero velocity), the centre of the reset noise. */
  protected readonly initQpos: Float64Array;
  protected readonly initQvel: Float64Array;

  private rngInstance: Rng;
  private elapsed = 0;
  private mustReset = true;
  private everReset = false;
  private closed = false;
  private readonly action: Float64Array;
  private readonly contactForces: boolean;
  private transitionNoise: TransitionNoise | null = null;

  protected constructor(mujoco: MujocoModule, definition: MujocoTaskDefinition) {
    this.id = definition.id;
    this.mujoco = mujoco;
    this.frameSkip = definition.frameSkip;
    this.contactForces = definition.contactForces ?? false;
    let model: MjModel;
    try {
      model = mujoco.MjModel.from_xml_string(definition.xml);
    } catch (error) {
      throw new EnvError(
        this.id,
        `MuJoCo could not compile the task's MJCF: ${(error as Error).message ?? String(error)}`,
      );
    }
    this.model = model;
    this.data = new mujoco.MjData(model);

    const option = model.opt;
    this.dt = option.timestep * definition.frameSkip;
    option.delete();

    const nu = model.nu;
    const ctrlrange = model.actuator_ctrlrange as Float64Array;
    const low = new Float64Array(nu);
    const high = new Float64Array(nu);
    for (let i = 0; i < nu; i++) {
      low[i] = ctrlrange[2 * i];
      high[i] = ctrlrange[2 * i + 1];
    }
    this.actionSpace = new Box(low, high, 'float32');
    this.observationSpace = Box.unbounded(definition.observationSize);
    this.action = new Float64Array(nu);
    this.initQpos = Float64Array.from(this.data.qpos as Float64Array);
    this.initQvel = Float64Array.from(this.data.qvel as Float64Array);
    this.rngInstance = seededRng(this.id, DEFAULT_SEED);
  }

  // ---- The task's hooks --------------------------------------------------------------------

  /** Add reset noise in place to `qpos` / `qvel` (which hold the initial state). */
  protected abstract applyResetNoise(rng: Rng, qpos: Float64Array, qvel: Float64Array): void;
  /** Write the observation of the current state into `out`. */
  protected abstract observe(out: Float64Array): void;
  /** The quantity the reward compares before and after a step. */
  protected abstract measure(): M;
  /** Reward, termination and info for a step from the measurements around it. */
  protected abstract evaluate(before: M, after: M, action: Float64Array): StepOutcome;

  // ---- Env ---------------------------------------------------------------------------------

  get unwrapped(): Env {
    return this;
  }

  /** The env's random number generator (reset noise; wrappers such as DynamicsNoise draw from it). */
  get rng(): Rng {
    return this.rngInstance;
  }

  get elapsedSteps(): number {
    return this.elapsed;
  }

  reset(options: ResetOptions = {}): ResetResult {
    this.assertOpen();
    if (options.seed !== undefined) this.rngInstance = seededRng(this.id, options.seed);
    this.mujoco.mj_resetData(this.model, this.data);
    const qpos = Float64Array.from(this.initQpos);
    const qvel = Float64Array.from(this.initQvel);
    this.applyResetNoise(this.rngInstance, qpos, qvel);
    this.writePhysics(qpos, qvel);
    this.elapsed = 0;
    this.mustReset = false;
    this.everReset = true;
    return { obs: this.observation(), info: {} };
  }

  step(action: ActionInput): StepResult {
    this.assertOpen();
    if (this.mustReset) {
      throw new ResetNeededError(
        this.id,
        !this.everReset
          ? 'step() called before reset(); call reset() first'
          : 'step() called after the episode terminated; call reset() to start a new episode',
      );
    }
    const a = readAction(this.id, action, this.action);
    (this.data.ctrl as Float64Array).set(a);
    const before = this.measure();
    for (let i = 0; i < this.frameSkip; i++) this.mujoco.mj_step(this.model, this.data);
    if (this.transitionNoise !== null) {
      this.transitionNoise(this.rngInstance, this.data.qpos as Float64Array, this.data.qvel as Float64Array);
      this.mujoco.mj_forward(this.model, this.data);
    }
    if (this.contactForces) this.mujoco.mj_rnePostConstraint(this.model, this.data);
    const after = this.measure();
    const outcome = this.evaluate(before, after, a);
    this.elapsed += 1;
    if (outcome.terminated) this.mustReset = true;
    return {
      obs: this.observation(),
      reward: outcome.reward,
      terminated: outcome.terminated,
      truncated: false,
      info: outcome.info,
    };
  }

  /** The observation of the current state (a fresh array). */
  observation(): Float64Array {
    this.assertOpen();
    const out = new Float64Array(this.observationSpace.size);
    this.observe(out);
    return out;
  }

  /**
   * The compiled model and its live data, for drawing the scene (geom poses, lights, cameras).
   * Read them only: the physics moves through step(), reset() and setPhysics().
   */
  get scene(): { readonly model: MjModel; readonly data: MjData } {
    this.assertOpen();
    return { model: this.model, data: this.data };
  }

  /** Copies of the current generalised positions and velocities. */
  getPhysics(): { qpos: Float64Array; qvel: Float64Array } {
    this.assertOpen();
    return {
      qpos: Float64Array.from(this.data.qpos as Float64Array),
      qvel: Float64Array.from(this.data.qvel as Float64Array),
    };
  }

  /** Overwrite qpos / qvel (e.g. a perturbed next state) and recompute the derived quantities. */
  setPhysics(qpos: ArrayLike<number>, qvel: ArrayLike<number>): void {
    this.assertOpen();
    if (qpos.length !== this.model.nq || qvel.length !== this.model.nv) {
      throw new InvalidStateError(
        this.id,
        `setPhysics needs qpos of length ${this.model.nq} and qvel of length ${this.model.nv}, got ${qpos.length} and ${qvel.length}`,
      );
    }
    this.writePhysics(qpos, qvel);
  }

  /** Install (or with null remove) a perturbation of every next state; see DynamicsNoise. */
  setTransitionNoise(noise: TransitionNoise | null): void {
    this.transitionNoise = noise;
  }

  getState(): EnvState {
    this.assertOpen();
    const physics: MujocoPhysicsState = {
      qpos: Array.from(this.data.qpos as Float64Array),
      qvel: Array.from(this.data.qvel as Float64Array),
      qacc_warmstart: Array.from(this.data.qacc_warmstart as Float64Array),
      time: this.data.time,
      xpos: Array.from(this.data.xpos as Float64Array),
      xipos: Array.from(this.data.xipos as Float64Array),
    };
    return {
      envId: this.id,
      physics,
      rng: this.rngInstance.getState(),
      elapsedSteps: this.elapsed,
      needsReset: this.mustReset,
    };
  }

  setState(state: EnvState): void {
    this.assertOpen();
    if (state?.envId !== this.id) {
      throw new InvalidStateError(this.id, `the state belongs to "${String(state?.envId)}", not to this env`);
    }
    const { qpos, qvel, qacc_warmstart: warm, time } = state.physics;
    const { nq, nv, nbody } = this.model;
    if (!isNumbers(qpos, nq) || !isNumbers(qvel, nv) || !isNumbers(warm, nv) || typeof time !== 'number') {
      throw new InvalidStateError(
        this.id,
        `the state needs physics.qpos (${nq} numbers), physics.qvel and physics.qacc_warmstart (${nv} numbers each) and physics.time`,
      );
    }
    const [xpos, xipos] = (['xpos', 'xipos'] as const).map((name): readonly number[] | undefined => {
      const value = state.physics[name];
      if (value === undefined || isNumbers(value, 3 * nbody)) return value;
      throw new InvalidStateError(
        this.id,
        `physics.${name}, when given, needs ${3 * nbody} numbers (3 per body)`,
      );
    });
    this.rngInstance.setState(state.rng);
    this.mujoco.mj_resetData(this.model, this.data);
    this.data.time = time;
    this.writePhysics(qpos, qvel);
    (this.data.qacc_warmstart as Float64Array).set(warm);
    if (xpos !== undefined) (this.data.xpos as Float64Array).set(xpos);
    if (xipos !== undefined) (this.data.xipos as Float64Array).set(xipos);
    this.elapsed = state.elapsedSteps;
    this.mustReset = state.needsReset;
    this.everReset = true;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.data.delete();
    this.model.delete();
  }

  // ---- Internals ---------------------------------------------------------------------------

  private writePhysics(qpos: ArrayLike<number>, qvel: ArrayLike<number>): void {
    (this.data.qpos as Float64Array).set(qpos);
    (this.data.qvel as Float64Array).set(qvel);
    this.mujoco.mj_forward(this.model, this.data);
  }

  private assertOpen(): void {
    if (this.closed) throw new EnvClosedError(this.id, 'the env was closed; make a new one with makeEnv()');
  }
}

function isNumbers(x: unknown, length: number): x is readonly number[] {
  return Array.isArray(x) && x.length === length && x.every((v) => typeof v === 'number');
}
