/**
 * Walker2d-v4: walk forward without falling.
 *
 * Gymnasium's v4 definition:
 *   observation (17) = qpos[1:] (8) ++ clip(qvel, -10, 10) (9)
 *   reward = dx/dt + 1 (healthy) - 1e-3 * |a|^2, dt = 0.002 s * 4 = 0.008 s
 *   healthy: height qpos[1] in (0.8, 2.0) and pitch qpos[2] in (-1, 1); terminated when not
 *   reset: qpos, qvel += U(-5e-3, 5e-3)
 */
import { resolveOptions } from '../core/options';
import { loadMujoco, type MujocoModule } from '../mujoco';
import { WALKER2D_XML } from '../assets/walker2d';
import { PlanarWalkerEnv, inOpenRange, type PlanarWalkerOptions } from './planar-walker';

export type Walker2dOptions = PlanarWalkerOptions;

export const WALKER2D_DEFAULTS: Walker2dOptions = {
  forwardRewardWeight: 1.0,
  ctrlCostWeight: 1e-3,
  healthyReward: 1.0,
  terminateWhenUnhealthy: true,
  healthyZRange: [0.8, 2.0],
  healthyAngleRange: [-1.0, 1.0],
  resetNoiseScale: 5e-3,
  excludeCurrentPositionsFromObservation: true,
};

export class Walker2dEnv extends PlanarWalkerEnv<Walker2dOptions> {
  constructor(mujoco: MujocoModule, options: Partial<Walker2dOptions> = {}) {
    super(mujoco, { id: 'Walker2d-v4', xml: WALKER2D_XML, frameSkip: 4, nq: 9, nv: 9 }, resolveOptions('Walker2d-v4', WALKER2D_DEFAULTS, options));
  }

  isHealthy(): boolean {
    const qpos = this.data.qpos as Float64Array;
    return inOpenRange(qpos[1], this.options.healthyZRange) && inOpenRange(qpos[2], this.options.healthyAngleRange);
  }
}

export async function createWalker2d(options: Partial<Walker2dOptions> = {}): Promise<Walker2dEnv> {
  return new Walker2dEnv(await loadMujoco(), options);
}
