/**
 * What Hopper-v4 and Walker2d-v4 share: observation qpos[1:] ++ clip(qvel, -10, 10), reward
 * forward velocity + healthy reward - control cost, termination when unhealthy, and uniform
 * reset noise on qpos and qvel. The subclass says what "healthy" means.
 */
import type { Rng } from '@mbrl-ts/rng';
import { sumOfSquares } from '../core/math';
import { MujocoEnv, type MujocoTaskDefinition, type StepOutcome } from '../core/mujoco-env';
import type { MujocoModule } from '../mujoco';

export interface PlanarWalkerOptions {
  forwardRewardWeight: number;
  ctrlCostWeight: number;
  /** Reward per step while healthy (and on every step when terminateWhenUnhealthy). */
  healthyReward: number;
  terminateWhenUnhealthy: boolean;
  /** Open interval for the torso height qpos[1]. */
  healthyZRange: readonly [number, number];
  /** Open interval for the torso pitch qpos[2]. */
  healthyAngleRange: readonly [number, number];
  /** Half-width of the uniform reset noise on qpos and qvel. */
  resetNoiseScale: number;
  /** Drop the root x position from the observation. */
  excludeCurrentPositionsFromObservation: boolean;
}

/** Velocities enter the observation clipped to [-10, 10], as in Gymnasium v4. */
const OBS_VELOCITY_LIMIT = 10;

export abstract class PlanarWalkerEnv<O extends PlanarWalkerOptions> extends MujocoEnv<number> {
  protected constructor(
    mujoco: MujocoModule,
    definition: Omit<MujocoTaskDefinition, 'observationSize'> & { readonly nq: number; readonly nv: number },
    readonly options: O,
  ) {
    const skip = options.excludeCurrentPositionsFromObservation ? 1 : 0;
    super(mujoco, { ...definition, observationSize: definition.nq - skip + definition.nv });
  }

  /** Whether the current state is inside the task's healthy set. */
  abstract isHealthy(): boolean;

  protected applyResetNoise(rng: Rng, qpos: Float64Array, qvel: Float64Array): void {
    const scale = this.options.resetNoiseScale;
    for (let i = 0; i < qpos.length; i++) qpos[i] += rng.uniformRange(-scale, scale);
    for (let i = 0; i < qvel.length; i++) qvel[i] += rng.uniformRange(-scale, scale);
  }

  protected observe(out: Float64Array): void {
    const qpos = this.data.qpos as Float64Array;
    const qvel = this.data.qvel as Float64Array;
    const skip = this.options.excludeCurrentPositionsFromObservation ? 1 : 0;
    out.set(qpos.subarray(skip), 0);
    const offset = qpos.length - skip;
    for (let i = 0; i < qvel.length; i++) {
      out[offset + i] = Math.min(OBS_VELOCITY_LIMIT, Math.max(-OBS_VELOCITY_LIMIT, qvel[i]));
    }
  }

  /** Root x position. */
  protected measure(): number {
    return (this.data.qpos as Float64Array)[0];
  }

  protected evaluate(xBefore: number, xAfter: number, action: Float64Array): StepOutcome {
    const o = this.options;
    const healthy = this.isHealthy();
    const xVelocity = (xAfter - xBefore) / this.dt;
    const forwardReward = o.forwardRewardWeight * xVelocity;
    // As in Gymnasium: with termination on, the healthy reward is paid on every step (the
    // episode ends on the first unhealthy one); without it, only on healthy steps.
    const healthyReward = healthy || o.terminateWhenUnhealthy ? o.healthyReward : 0;
    const ctrlCost = o.ctrlCostWeight * sumOfSquares(action);
    return {
      reward: forwardReward + healthyReward - ctrlCost,
      terminated: o.terminateWhenUnhealthy && !healthy,
      info: { x_position: xAfter, x_velocity: xVelocity, reward_forward: forwardReward, reward_ctrl: -ctrlCost, reward_healthy: healthyReward },
    };
  }
}

/** a < x < b, the open intervals of Gymnasium's healthy checks. */
export function inOpenRange(x: number, range: readonly [number, number]): boolean {
  return range[0] < x && x < range[1];
}
