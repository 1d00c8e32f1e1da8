/**
 * Humanoid-v4: a 3D biped walks forward (+x) without falling.
 *
 * Gymnasium's v4 definition:
 *   observation (376) = qpos[2:] (22) ++ qvel (23) ++ cinert (14 bodies x 10 = 140)
 *     ++ cvel (14 x 6 = 84) ++ qfrc_actuator (23) ++ cfrc_ext (14 x 6 = 84)
 *   reward = 1.25 * dx/dt + 5 (healthy) - 0.1 |a|^2, dt = 0.003 s * 5 = 0.015 s,
 *     x = the mass-weighted mean of the bodies' centres of mass, data.xipos as MuJoCo left it
 *   healthy: torso z in the open range (1.0, 2.0); terminated when not healthy
 *   reset: qpos = qpos0 + U(-0.01, 0.01), qvel = 0 + U(-0.01, 0.01)
 *
 * Contact forces (the v4 "zero contact force" issue). MuJoCo >= 2.0 fills `cfrc_ext` only in
 * mj_rnePostConstraint, which mj_step runs only for models with force-type sensors, so with
 * mujoco-py >= 2.0 the v2/v3 Humanoid observed zeros there and its contact cost was always 0.
 * Gymnasium v4 calls mj_rnePostConstraint after stepping (real forces in the observation) and
 * dropped the contact cost from the v4 reward. We do the same: the observation's last 84
 * entries are the real contact forces, and the v4 reward has no contact cost
 * (`contactCostWeight` 0). HumanoidTruncatedObs-v2 (truncated-obs.ts) charges the v2 impact
 * cost, min(5e-7 |cfrc_ext|^2, 10), on the same real forces, as MuJoCo 1.50 computed them.
 *
 * Centre of mass. Gymnasium's `mass_center` reads `data.xipos` before and after the frames with
 * no mj_forward in between: after mj_step that is what MuJoCo computed during its last step, at
 * the last RK4 stage, not the final state's (under random actions up to 3.4e-5 m apart, 0.003 in
 * reward); after reset (mj_forward) it is the state's own. We read the same array at the same
 * moments, so rewards and info are Gymnasium's (and gym 0.17.2's for the v2 task); getState
 * carries it.
 *
 * Observation details as MuJoCo 3 lays them out: the world body (index 0) is included in the
 * per-body blocks; its cinert and cvel are zeros, and its cfrc_ext is zeros as well.
 */
import type { Rng } from '@mbrl-ts/rng';
import { HUMANOID_XML } from '../assets/humanoid';
import { sumOfSquares } from '../core/math';
import { MujocoEnv, type StepOutcome } from '../core/mujoco-env';
import { resolveOptions } from '../core/options';
import { loadMujoco, type MujocoModule } from '../mujoco';
import type { PlanarPosition } from './ant';

export interface HumanoidOptions {
  /** Weight of the centre-of-mass forward velocity reward. */
  forwardRewardWeight: number;
  /** Weight of the squared-control cost. */
  ctrlCostWeight: number;
  /** Weight of the contact (impact) cost on |cfrc_ext|^2: 0 in v4, 5e-7 in v2 (and v5). */
  contactCostWeight: number;
  /** Upper bound of the contact cost (v2: 10). */
  contactCostMax: number;
  /** Reward per step while healthy (and on every step when terminateWhenUnhealthy). */
  healthyReward: number;
  terminateWhenUnhealthy: boolean;
  /** Range for the torso height qpos[2] (open in v4, closed in v2). */
  healthyZRange: readonly [number, number];
  /** Half-width of the uniform reset noise on qpos and qvel. */
  resetNoiseScale: number;
  /** Drop the torso x, y position from the observation. */
  excludeCurrentPositionsFromObservation: boolean;
}

export const HUMANOID_DEFAULTS: HumanoidOptions = {
  forwardRewardWeight: 1.25,
  ctrlCostWeight: 0.1,
  contactCostWeight: 0,
  contactCostMax: 10,
  healthyReward: 5.0,
  terminateWhenUnhealthy: true,
  healthyZRange: [1.0, 2.0],
  resetNoiseScale: 1e-2,
  excludeCurrentPositionsFromObservation: true,
};

/** Sizes of the Humanoid model (checked against the compiled model in the tests). */
export const HUMANOID_SIZES = { nq: 24, nv: 23, nu: 17, nbody: 14 } as const;

/** What distinguishes the Humanoid variants (Humanoid-v4, HumanoidTruncatedObs-v2) beyond their options. */
export interface HumanoidVariant {
  readonly id: string;
  /** Append cinert, cvel, qfrc_actuator and cfrc_ext to qpos / qvel (v2/v4 layout). */
  readonly observeBodyQuantities: boolean;
  /** Healthy range closed ([low, high], v2) rather than open ((low, high), v4). */
  readonly closedHealthyRange: boolean;
}

/**
 * The Humanoid robot with Gymnasium's reward, health rule and reset noise. Humanoid-v4 is
 * `HumanoidEnv`; HumanoidTruncatedObs-v2 lives in truncated-obs.ts.
 */
export abstract class HumanoidBase extends MujocoEnv<PlanarPosition> {
  readonly options: HumanoidOptions;
  private readonly variant: HumanoidVariant;
  /** body_mass (copied once) and its sum, for the centre of mass. */
  private readonly bodyMass: Float64Array;
  private readonly totalMass: number;

  protected constructor(mujoco: MujocoModule, variant: HumanoidVariant, options: HumanoidOptions) {
    const { nq, nv, nbody } = HUMANOID_SIZES;
    const positions = options.excludeCurrentPositionsFromObservation ? nq - 2 : nq;
    const bodyQuantities = variant.observeBodyQuantities ? nbody * 10 + nbody * 6 + nv + nbody * 6 : 0;
    super(mujoco, {
      id: variant.id,
      xml: HUMANOID_XML,
      frameSkip: 5,
      observationSize: positions + nv + bodyQuantities,
      contactForces: true,
    });
    this.options = options;
    this.variant = variant;
    this.bodyMass = Float64Array.from(this.model.body_mass as Float64Array);
    this.totalMass = this.bodyMass.reduce((s, m) => s + m, 0);
  }

  /** Torso height inside the healthy range (open for v4, closed for v2). */
  isHealthy(): boolean {
    const z = (this.data.qpos as Float64Array)[2];
    const [low, high] = this.options.healthyZRange;
    return this.variant.closedHealthyRange ? low <= z && z <= high : low < z && z < high;
  }

  /** A copy of the raw external (contact) forces per body, cfrc_ext, from the last step. */
  externalContactForces(): Float64Array {
    return Float64Array.from(this.data.cfrc_ext as Float64Array);
  }

  /**
   * The (x, y) of the whole body's centre of mass from `data.xipos` as MuJoCo last computed it
   * (Gymnasium's `mass_center`): the state's own after reset / setPhysics, the last RK4 stage's
   * after a step.
   */
  massCenter(): PlanarPosition {
    const xipos = this.data.xipos as Float64Array;
    let x = 0;
    let y = 0;
    for (let b = 0; b < this.bodyMass.length; b++) {
      x += this.bodyMass[b] * xipos[3 * b];
      y += this.bodyMass[b] * xipos[3 * b + 1];
    }
    return [x / this.totalMass, y / this.totalMass];
  }

  protected applyResetNoise(rng: Rng, qpos: Float64Array, qvel: Float64Array): void {
    const scale = this.options.resetNoiseScale;
    for (let i = 0; i < qpos.length; i++) qpos[i] += rng.uniformRange(-scale, scale);
    for (let i = 0; i < qvel.length; i++) qvel[i] += rng.uniformRange(-scale, scale);
  }

  protected observe(out: Float64Array): void {
    const d = this.data;
    const qpos = d.qpos as Float64Array;
    const skip = this.options.excludeCurrentPositionsFromObservation ? 2 : 0;
    let offset = 0;
    const append = (block: Float64Array): void => {
      out.set(block, offset);
      offset += block.length;
    };
    append(qpos.subarray(skip));
    append(d.qvel as Float64Array);
    if (this.variant.observeBodyQuantities) {
      append(d.cinert as Float64Array);
      append(d.cvel as Float64Array);
      append(d.qfrc_actuator as Float64Array);
      append(d.cfrc_ext as Float64Array);
    }
  }

  protected measure(): PlanarPosition {
    return this.massCenter();
  }

  protected evaluate(before: PlanarPosition, after: PlanarPosition, action: Float64Array): StepOutcome {
    const o = this.options;
    const healthy = this.isHealthy();
    const xVelocity = (after[0] - before[0]) / this.dt;
    const yVelocity = (after[1] - before[1]) / this.dt;
    const forwardReward = o.forwardRewardWeight * xVelocity;
    const healthyReward = healthy || o.terminateWhenUnhealthy ? o.healthyReward : 0;
    // data.ctrl holds the action as given (MuJoCo clamps to ctrlrange internally, not in ctrl).
    const ctrlCost = o.ctrlCostWeight * sumOfSquares(action);
    const charged = o.contactCostWeight !== 0;
    const contactCost = charged
      ? impactCost(this.data.cfrc_ext as Float64Array, o.contactCostWeight, o.contactCostMax)
      : 0;
    return {
      reward: forwardReward + healthyReward - ctrlCost - contactCost,
      terminated: o.terminateWhenUnhealthy && !healthy,
      info: {
        reward_linvel: forwardReward,
        reward_quadctrl: -ctrlCost,
        reward_alive: healthyReward,
        ...(charged ? { reward_impact: -contactCost, reward_contact: -contactCost } : {}),
        reward_forward: forwardReward,
        reward_ctrl: -ctrlCost,
        reward_healthy: healthyReward,
        x_position: after[0],
        y_position: after[1],
        distance_from_origin: Math.hypot(after[0], after[1]),
        x_velocity: xVelocity,
        y_velocity: yVelocity,
        forward_reward: forwardReward,
      },
    };
  }
}

/** Humanoid-v4 (376 observations). */
export class HumanoidEnv extends HumanoidBase {
  constructor(mujoco: MujocoModule, options: Partial<HumanoidOptions> = {}) {
    super(
      mujoco,
      { id: 'Humanoid-v4', observeBodyQuantities: true, closedHealthyRange: false },
      resolveOptions('Humanoid-v4', HUMANOID_DEFAULTS, options),
    );
  }
}

export async function createHumanoid(options: Partial<HumanoidOptions> = {}): Promise<HumanoidEnv> {
  return new HumanoidEnv(await loadMujoco(), options);
}

/** min(weight * |cfrc_ext|^2, max): the Humanoid's contact (impact) cost, forces unclipped. */
export function impactCost(forces: ArrayLike<number>, weight: number, max: number): number {
  return Math.min(weight * sumOfSquares(forces), max);
}
