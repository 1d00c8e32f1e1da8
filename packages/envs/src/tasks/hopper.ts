/**
 * Hopper-v4: hop forward without falling.
 *
 * Gymnasium's v4 definition:
 *   observation (11) = qpos[1:] (5) ++ clip(qvel, -10, 10) (6)
 *   reward = dx/dt + 1 (healthy) - 1e-3 * |a|^2, dt = 0.002 s * 4 = 0.008 s
 *   healthy: every entry of (qpos[2:], qvel) in (-100, 100), height qpos[1] > 0.7,
 *            pitch qpos[2] in (-0.2, 0.2); terminated when not healthy
 *   reset: qpos, qvel += U(-5e-3, 5e-3)
 */
import { resolveOptions } from '../core/options';
import { loadMujoco, type MujocoModule } from '../mujoco';
import { HOPPER_XML } from '../assets/hopper';
import { PlanarWalkerEnv, inOpenRange, type PlanarWalkerOptions } from './planar-walker';

export interface HopperOptions extends PlanarWalkerOptions {
  /** Open interval for every entry of (qpos[2:], qvel). */
  healthyStateRange: readonly [number, number];
}

export const HOPPER_DEFAULTS: HopperOptions = {
  forwardRewardWeight: 1.0,
  ctrlCostWeight: 1e-3,
  healthyReward: 1.0,
  terminateWhenUnhealthy: true,
  healthyStateRange: [-100, 100],
  healthyZRange: [0.7, Infinity],
  healthyAngleRange: [-0.2, 0.2],
  resetNoiseScale: 5e-3,
  excludeCurrentPositionsFromObservation: true,
};

export class HopperEnv extends PlanarWalkerEnv<HopperOptions> {
  constructor(mujoco: MujocoModule, options: Partial<HopperOptions> = {}) {
    super(mujoco, { id: 'Hopper-v4', xml: HOPPER_XML, frameSkip: 4, nq: 6, nv: 6 }, resolveOptions('Hopper-v4', HOPPER_DEFAULTS, options));
  }

  isHealthy(): boolean {
    const qpos = this.data.qpos as Float64Array;
    const qvel = this.data.qvel as Float64Array;
    const o = this.options;
    for (let i = 2; i < qpos.length; i++) if (!inOpenRange(qpos[i], o.healthyStateRange)) return false;
    for (let i = 0; i < qvel.length; i++) if (!inOpenRange(qvel[i], o.healthyStateRange)) return false;
    return inOpenRange(qpos[1], o.healthyZRange) && inOpenRange(qpos[2], o.healthyAngleRange);
  }
}

export async function createHopper(options: Partial<HopperOptions> = {}): Promise<HopperEnv> {
  return new HopperEnv(await loadMujoco(), options);
}
