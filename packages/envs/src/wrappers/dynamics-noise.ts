/**
 * DynamicsNoise: aleatoric noise in the transition, for the paper's Figure 17 study
 * ("HalfCheetah with varying levels of aleatoric noise").
 *
 * After each physics step the next state is perturbed, s' = f(s, a) + eps with
 * eps ~ N(0, std^2) added independently to every entry of qpos and qvel, before the reward,
 * termination and observation are computed, so all three see the same noisy next state. The
 * draws come from the env's own Rng, so a seeded run stays reproducible. The paper does not
 * state its std values; choose a grid (e.g. 0.01, 0.05, 0.1) and report it.
 */
import type { Env } from '../core/env';
import { InvalidOptionError } from '../core/errors';
import { MujocoEnv } from '../core/mujoco-env';
import { Wrapper } from './wrapper';

export interface DynamicsNoiseOptions {
  /** Standard deviation of the Gaussian noise on qpos. */
  std: number;
  /** Standard deviation on qvel (defaults to `std`). */
  qvelStd?: number;
}

export class DynamicsNoise extends Wrapper {
  readonly qposStd: number;
  readonly qvelStd: number;

  constructor(env: Env, options: DynamicsNoiseOptions) {
    super(env);
    const task = env.unwrapped;
    if (!(task instanceof MujocoEnv)) {
      throw new InvalidOptionError(env.id, 'DynamicsNoise needs a MuJoCo task (it perturbs qpos and qvel)');
    }
    this.qposStd = options.std;
    this.qvelStd = options.qvelStd ?? options.std;
    for (const [name, v] of [['std', this.qposStd], ['qvelStd', this.qvelStd]] as const) {
      if (!Number.isFinite(v) || v < 0) throw new InvalidOptionError(env.id, `DynamicsNoise ${name} must be a finite number >= 0, got ${v}`);
    }
    task.setTransitionNoise((rng, qpos, qvel) => {
      for (let i = 0; i < qpos.length; i++) qpos[i] += this.qposStd * rng.normal();
      for (let i = 0; i < qvel.length; i++) qvel[i] += this.qvelStd * rng.normal();
    });
  }
}
