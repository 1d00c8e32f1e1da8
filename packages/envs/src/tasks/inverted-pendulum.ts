/**
 * InvertedPendulum-v4: keep the pole upright by pushing the cart.
 *
 * Gymnasium's v4 definition:
 *   observation (4) = qpos (cart x, pole angle) ++ qvel
 *   reward = 1 per step; terminated when the observation is not finite or |pole angle| > 0.2
 *   dt = 0.02 s * 2 = 0.04 s; reset: qpos, qvel += U(-0.01, 0.01)
 */
import type { Rng } from '@mbrl-ts/rng';
import { MujocoEnv, type StepOutcome } from '../core/mujoco-env';
import { resolveOptions } from '../core/options';
import { loadMujoco, type MujocoModule } from '../mujoco';
import { INVERTED_PENDULUM_XML } from '../assets/inverted-pendulum';

export interface InvertedPendulumOptions {
  /** Half-width of the uniform reset noise on qpos and qvel. */
  resetNoiseScale: number;
}

export const INVERTED_PENDULUM_DEFAULTS: InvertedPendulumOptions = { resetNoiseScale: 0.01 };

/** |pole angle| beyond which the episode terminates (radians). */
const MAX_POLE_ANGLE = 0.2;

export class InvertedPendulumEnv extends MujocoEnv<null> {
  readonly options: InvertedPendulumOptions;

  constructor(mujoco: MujocoModule, options: Partial<InvertedPendulumOptions> = {}) {
    const resolved = resolveOptions('InvertedPendulum-v4', INVERTED_PENDULUM_DEFAULTS, options);
    super(mujoco, { id: 'InvertedPendulum-v4', xml: INVERTED_PENDULUM_XML, frameSkip: 2, observationSize: 4 });
    this.options = resolved;
  }

  protected applyResetNoise(rng: Rng, qpos: Float64Array, qvel: Float64Array): void {
    const scale = this.options.resetNoiseScale;
    for (let i = 0; i < qpos.length; i++) qpos[i] += rng.uniformRange(-scale, scale);
    for (let i = 0; i < qvel.length; i++) qvel[i] += rng.uniformRange(-scale, scale);
  }

  protected observe(out: Float64Array): void {
    out.set(this.data.qpos as Float64Array, 0);
    out.set(this.data.qvel as Float64Array, 2);
  }

  /** The reward does not compare states across the step. */
  protected measure(): null {
    return null;
  }

  protected evaluate(): StepOutcome {
    const obs = this.observation();
    const terminated = !obs.every(Number.isFinite) || Math.abs(obs[1]) > MAX_POLE_ANGLE;
    return { reward: 1, terminated, info: {} };
  }
}

export async function createInvertedPendulum(options: Partial<InvertedPendulumOptions> = {}): Promise<InvertedPendulumEnv> {
  return new InvertedPendulumEnv(await loadMujoco(), options);
}
