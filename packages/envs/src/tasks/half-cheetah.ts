/**
 * HalfCheetah-v4: run forward as fast as possible.
 *
 * Gymnasium's v4 definition:
 *   observation (17) = qpos[1:] (8: root z, root pitch, 6 joint angles) ++ qvel (9)
 *   reward = forward_reward_weight * dx/dt - ctrl_cost_weight * |a|^2, dt = 0.01 s * 5 = 0.05 s
 *   never terminates (episodes end by the 1000-step TimeLimit)
 *   reset: qpos = qpos0 + U(-0.1, 0.1), qvel = 0 + 0.1 * N(0, 1)
 */
import type { Rng } from '@mbrl-ts/rng';
import { HALF_CHEETAH_XML } from '../assets/half-cheetah';
import { MujocoEnv, type StepOutcome } from '../core/mujoco-env';
import { sumOfSquares } from '../core/math';
import { resolveOptions } from '../core/options';
import { loadMujoco, type MujocoModule } from '../mujoco';

export interface HalfCheetahOptions {
  /** Weight of the forward velocity reward. */
  forwardRewardWeight: number;
  /** Weight of the squared-action control cost. */
  ctrlCostWeight: number;
  /** Half-width of the uniform qpos noise and std of the normal qvel noise at reset. */
  resetNoiseScale: number;
  /** Drop the root x position from the observation (17 entries instead of 18). */
  excludeCurrentPositionsFromObservation: boolean;
}

export const HALF_CHEETAH_DEFAULTS: HalfCheetahOptions = {
  forwardRewardWeight: 1.0,
  ctrlCostWeight: 0.1,
  resetNoiseScale: 0.1,
  excludeCurrentPositionsFromObservation: true,
};

export class HalfCheetahEnv extends MujocoEnv<number> {
  readonly options: HalfCheetahOptions;

  constructor(mujoco: MujocoModule, options: Partial<HalfCheetahOptions> = {}) {
    const resolved = resolveOptions('HalfCheetah-v4', HALF_CHEETAH_DEFAULTS, options);
    super(mujoco, {
      id: 'HalfCheetah-v4',
      xml: HALF_CHEETAH_XML,
      frameSkip: 5,
      observationSize: resolved.excludeCurrentPositionsFromObservation ? 17 : 18,
    });
    this.options = resolved;
  }

  protected applyResetNoise(rng: Rng, qpos: Float64Array, qvel: Float64Array): void {
    const scale = this.options.resetNoiseScale;
    for (let i = 0; i < qpos.length; i++) qpos[i] += rng.uniformRange(-scale, scale);
    for (let i = 0; i < qvel.length; i++) qvel[i] += scale * rng.normal();
  }

  protected observe(out: Float64Array): void {
    const qpos = this.data.qpos as Float64Array;
    const qvel = this.data.qvel as Float64Array;
    const skip = this.options.excludeCurrentPositionsFromObservation ? 1 : 0;
    out.set(qpos.subarray(skip), 0);
    out.set(qvel, qpos.length - skip);
  }

  /** Root x position. */
  protected measure(): number {
    return (this.data.qpos as Float64Array)[0];
  }

  protected evaluate(xBefore: number, xAfter: number, action: Float64Array): StepOutcome {
    const xVelocity = (xAfter - xBefore) / this.dt;
    const forwardReward = this.options.forwardRewardWeight * xVelocity;
    const ctrlCost = this.options.ctrlCostWeight * sumOfSquares(action);
    return {
      reward: forwardReward - ctrlCost,
      terminated: false,
      info: { x_position: xAfter, x_velocity: xVelocity, reward_run: forwardReward, reward_forward: forwardReward, reward_ctrl: -ctrlCost },
    };
  }
}

export async function createHalfCheetah(options: Partial<HalfCheetahOptions> = {}): Promise<HalfCheetahEnv> {
  return new HalfCheetahEnv(await loadMujoco(), options);
}

