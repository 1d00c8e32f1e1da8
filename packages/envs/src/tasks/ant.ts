/**
 * Ant-v4: a four-legged robot walks forward (+x) without flipping or jumping away.
 *
 * Gymnasium's v4 definition:
 *   observation (27) = qpos[2:] (13: torso z, torso quaternion, 8 hinge angles) ++ qvel (14);
 *     with `useContactForces` (the v2 layout, 111) ++ clip(cfrc_ext, -1, 1) (14 bodies x 6)
 *   reward = dx/dt + 1 (healthy) - 0.5 |a|^2 [- 5e-4 |clip(cfrc_ext, -1, 1)|^2 with useContactForces],
 *     dt = 0.01 s * 5 = 0.05 s, x = the torso's xpos as MuJoCo left it (below)
 *   healthy: every entry of (qpos, qvel) finite and torso z in the closed range [0.2, 1.0];
 *     terminated when not healthy
 *   reset: qpos = qpos0 + U(-0.1, 0.1), qvel = 0 + 0.1 * N(0, 1)
 *
 * Contact forces. MuJoCo >= 2.0 fills `cfrc_ext` only in mj_rnePostConstraint, which mj_step runs
 * only for models with force-type sensors; with mujoco-py >= 2.0 the v2/v3 tasks therefore saw
 * zeros. Like Gymnasium v4 (and MuJoCo 1.50, which the v2 tasks ran on) the legged tasks run
 * mj_rnePostConstraint after every step, so `cfrc_ext` holds the real contact forces.
 *
 * Forward position. Gymnasium reads the torso's `data.xpos` before and after the frames, with no
 * mj_forward in between: after mj_step that is the position MuJoCo computed during its last
 * step, at the last RK4 stage, not the final state's qpos[0:2] (under random actions they differ
 * by up to 4.5e-3 m, and the reward by up to 0.1, mean 0.004); after reset (mj_forward) it is the
 * state's own. We read the same array at the same moments, so rewards and info are Gymnasium's;
 * getState carries it.
 *
 * Gymnasium v4 with `use_contact_forces` reports the contact cost under `reward_ctrl`
 * (overwriting the control cost); here it has its own `reward_contact` term.
 */
import type { Rng } from '@mbrl-ts/rng';
import { ANT_XML } from '../assets/ant';
import { sumOfSquares } from '../core/math';
import { MujocoEnv, type StepOutcome } from '../core/mujoco-env';
import { resolveOptions } from '../core/options';
import { loadMujoco, type MujocoModule } from '../mujoco';

export interface AntOptions {
  /** Weight of the squared-action control cost. */
  ctrlCostWeight: number;
  /** Append the clipped contact forces to the observation and charge the contact cost (v2 layout, 111 entries). */
  useContactForces: boolean;
  /** Weight of the clipped contact-force cost. */
  contactCostWeight: number;
  /** Reward per step while healthy (and on every step when terminateWhenUnhealthy). */
  healthyReward: number;
  terminateWhenUnhealthy: boolean;
  /** Closed range for the torso height qpos[2]. */
  healthyZRange: readonly [number, number];
  /** Every entry of cfrc_ext is clipped to this range, in the observation and in the cost. */
  contactForceRange: readonly [number, number];
  /** Half-width of the uniform qpos noise and std of the normal qvel noise at reset. */
  resetNoiseScale: number;
  /** Drop the torso x, y position from the observation. */
  excludeCurrentPositionsFromObservation: boolean;
}

export const ANT_DEFAULTS: AntOptions = {
  ctrlCostWeight: 0.5,
  useContactForces: false,
  contactCostWeight: 5e-4,
  healthyReward: 1.0,
  terminateWhenUnhealthy: true,
  healthyZRange: [0.2, 1.0],
  contactForceRange: [-1.0, 1.0],
  resetNoiseScale: 0.1,
  excludeCurrentPositionsFromObservation: true,
};

/** Entries of cfrc_ext: 14 bodies (world included) x (torque 3, force 3). */
export const ANT_CONTACT_FORCE_SIZE = 14 * 6;

/** What distinguishes the Ant variants (Ant-v4, AntTruncatedObs-v2) beyond their options. */
export interface AntVariant {
  readonly id: string;
  /** Append clip(cfrc_ext) to the observation. */
  readonly observeContactForces: boolean;
  /** Charge the clipped contact cost in the reward. */
  readonly chargeContactCost: boolean;
}

/** The torso's body index (0 is the world); it carries the free joint. */
export const ANT_TORSO_BODY = 1;

/** A planar position (x, y) of the torso. */
export type PlanarPosition = readonly [x: number, y: number];

/**
 * The Ant robot with Gymnasium's reward, health rule and reset noise; the variant decides where
 * contact forces enter. Ant-v4 is `AntEnv`; AntTruncatedObs-v2 lives in truncated-obs.ts.
 */
export abstract class AntBase extends MujocoEnv<PlanarPosition> {
  readonly options: AntOptions;
  private readonly variant: AntVariant;

  protected constructor(mujoco: MujocoModule, variant: AntVariant, options: AntOptions) {
    const positions = options.excludeCurrentPositionsFromObservation ? 13 : 15;
    super(mujoco, {
      id: variant.id,
      xml: ANT_XML,
      frameSkip: 5,
      observationSize: positions + 14 + (variant.observeContactForces ? ANT_CONTACT_FORCE_SIZE : 0),
      contactForces: true,
    });
    this.options = options;
    this.variant = variant;
  }

  /** Finite state and torso height inside the closed healthy range. */
  isHealthy(): boolean {
    const qpos = this.data.qpos as Float64Array;
    const qvel = this.data.qvel as Float64Array;
    for (let i = 0; i < qpos.length; i++) if (!Number.isFinite(qpos[i])) return false;
    for (let i = 0; i < qvel.length; i++) if (!Number.isFinite(qvel[i])) return false;
    const [low, high] = this.options.healthyZRange;
    return low <= qpos[2] && qpos[2] <= high;
  }

  /** A copy of the raw external (contact) forces per body, cfrc_ext, from the last step. */
  externalContactForces(): Float64Array {
    return Float64Array.from(this.data.cfrc_ext as Float64Array);
  }

  protected applyResetNoise(rng: Rng, qpos: Float64Array, qvel: Float64Array): void {
    const scale = this.options.resetNoiseScale;
    for (let i = 0; i < qpos.length; i++) qpos[i] += rng.uniformRange(-scale, scale);
    for (let i = 0; i < qvel.length; i++) qvel[i] += scale * rng.normal();
  }

  protected observe(out: Float64Array): void {
    const qpos = this.data.qpos as Float64Array;
    const qvel = this.data.qvel as Float64Array;
    const skip = this.options.excludeCurrentPositionsFromObservation ? 2 : 0;
    out.set(qpos.subarray(skip), 0);
    let offset = qpos.length - skip;
    out.set(qvel, offset);
    offset += qvel.length;
    if (this.variant.observeContactForces) {
      const forces = this.data.cfrc_ext as Float64Array;
      const [low, high] = this.options.contactForceRange;
      for (let i = 0; i < forces.length; i++) out[offset + i] = clip(forces[i], low, high);
    }
  }

  /** The torso's (x, y) from `data.xpos` as MuJoCo last computed it (Gymnasium's `get_body_com`). */
  torsoPosition(): PlanarPosition {
    const xpos = this.data.xpos as Float64Array;
    return [xpos[3 * ANT_TORSO_BODY], xpos[3 * ANT_TORSO_BODY + 1]];
  }

  protected measure(): PlanarPosition {
    return this.torsoPosition();
  }

  protected evaluate(before: PlanarPosition, after: PlanarPosition, action: Float64Array): StepOutcome {
    const o = this.options;
    const healthy = this.isHealthy();
    const xVelocity = (after[0] - before[0]) / this.dt;
    const yVelocity = (after[1] - before[1]) / this.dt;
    const forwardReward = xVelocity;
    const healthyReward = healthy || o.terminateWhenUnhealthy ? o.healthyReward : 0;
    const ctrlCost = o.ctrlCostWeight * sumOfSquares(action);
    const charged = this.variant.chargeContactCost;
    const contactCost = charged
      ? clippedContactCost(this.data.cfrc_ext as Float64Array, o.contactForceRange, o.contactCostWeight)
      : 0;
    return {
      reward: forwardReward + healthyReward - ctrlCost - contactCost,
      terminated: o.terminateWhenUnhealthy && !healthy,
      info: {
        reward_forward: forwardReward,
        reward_ctrl: -ctrlCost,
        ...(charged ? { reward_contact: -contactCost } : {}),
        reward_survive: healthyReward,
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

/** Ant-v4 (27 observations; 111 with `useContactForces`). */
export class AntEnv extends AntBase {
  constructor(mujoco: MujocoModule, options: Partial<AntOptions> = {}) {
    const resolved = resolveOptions('Ant-v4', ANT_DEFAULTS, options);
    super(
      mujoco,
      {
        id: 'Ant-v4',
        observeContactForces: resolved.useContactForces,
        chargeContactCost: resolved.useContactForces,
      },
      resolved,
    );
  }
}

export async function createAnt(options: Partial<AntOptions> = {}): Promise<AntEnv> {
  return new AntEnv(await loadMujoco(), options);
}

/** weight * sum(clip(f, low, high)^2) over every entry of cfrc_ext: the Ant's contact cost. */
export function clippedContactCost(
  forces: ArrayLike<number>,
  range: readonly [number, number],
  weight: number,
): number {
  let s = 0;
  for (let i = 0; i < forces.length; i++) {
    const f = clip(forces[i], range[0], range[1]);
    s += f * f;
  }
  return weight * s;
}

function clip(x: number, low: number, high: number): number {
  return x < low ? low : x > high ? high : x;
}
