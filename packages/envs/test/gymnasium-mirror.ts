import type { MainModule, MjData, MjModel } from '@mujoco/mujoco';
import type { MujocoModule } from '../src/index';

/**
 * Gymnasium v4's MujocoEnv, step for step, on its own MjModel / MjData of a task's MJCF: set_state
 * (qpos, qvel, mj_forward), do_simulation (ctrl, mj_step x frame skip, mj_rnePostConstraint), and
 * its reward positions read from the data as it stands (Ant's get_body_com("torso"), Humanoid's
 * mass_center). The tests hold our envs to the numbers this gives.
 */
export class GymnasiumMirror {
  readonly model: MjModel;
  readonly data: MjData;

  private readonly mujoco: MainModule;

  constructor(
    mujoco: MujocoModule,
    xml: string,
    private readonly frameSkip: number,
  ) {
    // envs declares only the part of the engine it uses; the mirror needs the rest too.
    this.mujoco = mujoco as unknown as MainModule;
    this.model = this.mujoco.MjModel.from_xml_string(xml);
    this.data = new this.mujoco.MjData(this.model);
  }

  setState(qpos: ArrayLike<number>, qvel: ArrayLike<number>): void {
    (this.data.qpos as Float64Array).set(qpos);
    (this.data.qvel as Float64Array).set(qvel);
    this.mujoco.mj_forward(this.model, this.data);
  }

  doSimulation(ctrl: ArrayLike<number>): void {
    (this.data.ctrl as Float64Array).set(ctrl);
    for (let i = 0; i < this.frameSkip; i++) this.mujoco.mj_step(this.model, this.data);
    this.mujoco.mj_rnePostConstraint(this.model, this.data);
  }

  /** get_body_com("torso")[:2]: the torso's (body 1) xpos. */
  torsoXY(): [number, number] {
    const xpos = this.data.xpos as Float64Array;
    return [xpos[3], xpos[4]];
  }

  /** mass_center: sum(body_mass * xipos) / sum(body_mass), (x, y). */
  massCenter(data: MjData = this.data): [number, number] {
    const mass = this.model.body_mass as Float64Array;
    const xipos = data.xipos as Float64Array;
    let x = 0;
    let y = 0;
    let total = 0;
    for (let b = 0; b < mass.length; b++) {
      x += mass[b] * xipos[3 * b];
      y += mass[b] * xipos[3 * b + 1];
      total += mass[b];
    }
    return [x / total, y / total];
  }

  /** For comparison only: the centre of mass of the current qpos, kinematics recomputed on a scratch MjData. */
  stateMassCenter(): [number, number] {
    const scratch = new this.mujoco.MjData(this.model);
    (scratch.qpos as Float64Array).set(this.data.qpos as Float64Array);
    this.mujoco.mj_kinematics(this.model, scratch);
    const out = this.massCenter(scratch);
    scratch.delete();
    return out;
  }

  qpos(): Float64Array {
    return Float64Array.from(this.data.qpos as Float64Array);
  }

  cfrcExt(): Float64Array {
    return Float64Array.from(this.data.cfrc_ext as Float64Array);
  }

  close(): void {
    this.data.delete();
    this.model.delete();
  }
}
