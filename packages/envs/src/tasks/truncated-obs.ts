/**
 * The truncated-observation Ant and Humanoid of the model-based RL benchmark (Wang et al. 2019,
 * used by MBPO and by the ALM paper's Table 1 as T-Ant-v2 and T-Humanoid-v2): the v2 tasks with
 * the contact / body quantities removed from the observation but kept in the reward.
 *
 * AntTruncatedObs-v2
 *   observation (27) = qpos[2:] (13) ++ qvel (14)
 *   reward = dx/dt + 1 - 0.5 |a|^2 - 5e-4 |clip(cfrc_ext, -1, 1)|^2, dt = 0.05 s
 *   terminated unless every state entry is finite and torso z is in [0.2, 1.0]
 *   reset: qpos0 + U(-0.1, 0.1), qvel 0.1 * N(0, 1)
 * HumanoidTruncatedObs-v2
 *   observation (45) = qpos[2:] (22) ++ qvel (23)
 *   reward = 1.25 * dx_com/dt + 5 - 0.1 |a|^2 - min(5e-7 |cfrc_ext|^2, 10), dt = 0.015 s
 *     (the v2 code writes the velocity term as 0.25 * dx_com / timestep: the same number)
 *   terminated when torso z < 1.0 or z > 2.0 (healthy range closed)
 *   reset: qpos0 + U(-0.01, 0.01), qvel U(-0.01, 0.01)
 *
 * Contact forces are real (mj_rnePostConstraint after each step), as on MuJoCo 1.50 under
 * mujoco-py 1.50, which the ALM authors' code pins; on mujoco-py >= 2.0 these contact costs were
 * silently zero. Pass `contactCostWeight: 0` to reproduce that behaviour.
 */
import { resolveOptions } from '../core/options';
import { loadMujoco, type MujocoModule } from '../mujoco';
import { AntBase, type AntOptions } from './ant';
import { HumanoidBase, type HumanoidOptions } from './humanoid';

/** AntTruncatedObs-v2 options: Ant-v4's, minus the observation layout switches (fixed by the task). */
export type AntTruncatedObsOptions = Omit<
  AntOptions,
  'useContactForces' | 'excludeCurrentPositionsFromObservation'
>;

export const ANT_TRUNCATED_OBS_DEFAULTS: AntTruncatedObsOptions = {
  ctrlCostWeight: 0.5,
  contactCostWeight: 0.5 * 1e-3,
  healthyReward: 1.0,
  terminateWhenUnhealthy: true,
  healthyZRange: [0.2, 1.0],
  contactForceRange: [-1.0, 1.0],
  resetNoiseScale: 0.1,
};

/** AntTruncatedObs-v2: 27 observations, contact cost charged on forces it does not observe. */
export class AntTruncatedObsEnv extends AntBase {
  constructor(mujoco: MujocoModule, options: Partial<AntTruncatedObsOptions> = {}) {
    const resolved = resolveOptions('AntTruncatedObs-v2', ANT_TRUNCATED_OBS_DEFAULTS, options);
    super(
      mujoco,
      { id: 'AntTruncatedObs-v2', observeContactForces: false, chargeContactCost: true },
      { ...resolved, useContactForces: false, excludeCurrentPositionsFromObservation: true },
    );
  }
}

export async function createAntTruncatedObs(
  options: Partial<AntTruncatedObsOptions> = {},
): Promise<AntTruncatedObsEnv> {
  return new AntTruncatedObsEnv(await loadMujoco(), options);
}

/** HumanoidTruncatedObs-v2 options: Humanoid's, minus the observation layout switch (fixed by the task). */
export type HumanoidTruncatedObsOptions = Omit<HumanoidOptions, 'excludeCurrentPositionsFromObservation'>;

export const HUMANOID_TRUNCATED_OBS_DEFAULTS: HumanoidTruncatedObsOptions = {
  forwardRewardWeight: 1.25,
  ctrlCostWeight: 0.1,
  contactCostWeight: 0.5e-6,
  contactCostMax: 10,
  healthyReward: 5.0,
  terminateWhenUnhealthy: true,
  healthyZRange: [1.0, 2.0],
  resetNoiseScale: 1e-2,
};

/** HumanoidTruncatedObs-v2: 45 observations (qpos[2:], qvel), v2 reward with the impact cost. */
export class HumanoidTruncatedObsEnv extends HumanoidBase {
  constructor(mujoco: MujocoModule, options: Partial<HumanoidTruncatedObsOptions> = {}) {
    const resolved = resolveOptions('HumanoidTruncatedObs-v2', HUMANOID_TRUNCATED_OBS_DEFAULTS, options);
    super(
      mujoco,
      { id: 'HumanoidTruncatedObs-v2', observeBodyQuantities: false, closedHealthyRange: true },
      { ...resolved, excludeCurrentPositionsFromObservation: true },
    );
  }
}

export async function createHumanoidTruncatedObs(
  options: Partial<HumanoidTruncatedObsOptions> = {},
): Promise<HumanoidTruncatedObsEnv> {
  return new HumanoidTruncatedObsEnv(await loadMujoco(), options);
}
