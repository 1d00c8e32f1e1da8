/**
 * Pendulum-v1: swing a pendulum up and hold it, in plain TypeScript (no MuJoCo), as Gymnasium's
 * classic-control task.
 *
 *   state (theta, thetaDot); observation (3) = (cos theta, sin theta, thetaDot)
 *   action: torque u, clipped to [-2, 2]
 *   reward = -(normalize(theta)^2 + 0.1 * thetaDot^2 + 0.001 * u^2), from the state before the step
 *   dynamics (dt = 0.05, g = 10, m = 1, l = 1, semi-implicit Euler):
 *     thetaDot' = clip(thetaDot + (3g/(2l) sin theta + 3/(m l^2) u) dt, -8, 8)
 *     theta'    = theta + thetaDot' dt
 *   never terminates; episodes end at 200 steps (TimeLimit); reset: theta ~ U(-pi, pi),
 *   thetaDot ~ U(-1, 1).
 */
import type { Rng } from '@mbrl-ts/rng';
import { readAction } from '../core/action';
import type { ActionInput, Env, EnvState, ResetOptions, ResetResult, StepResult } from '../core/env';
import { EnvClosedError, InvalidStateError, ResetNeededError } from '../core/errors';
import { resolveOptions } from '../core/options';
import { DEFAULT_SEED, seededRng } from '../core/seeding';
import { Box } from '../core/space';

export interface PendulumOptions {
  /** Gravitational acceleration (m/s^2). */
  g: number;
}

export const PENDULUM_DEFAULTS: PendulumOptions = { g: 10.0 };

const MAX_SPEED = 8;
const MAX_TORQUE = 2;
const DT = 0.05;
const MASS = 1;
const LENGTH = 1;

/** Angle wrapped to [-pi, pi). */
export function angleNormalize(x: number): number {
  return ((((x + Math.PI) % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI)) - Math.PI;
}

export class PendulumEnv implements Env {
  readonly id = 'Pendulum-v1';
  readonly observationSpace = new Box([-1, -1, -MAX_SPEED], [1, 1, MAX_SPEED], 'float32');
  readonly actionSpace = new Box([-MAX_TORQUE], [MAX_TORQUE], 'float32');
  readonly dt = DT;
  readonly options: PendulumOptions;

  private theta = 0;
  private thetaDot = 0;
  private rngInstance: Rng;
  private elapsed = 0;
  private everReset = false;
  private closed = false;
  private readonly action = new Float64Array(1);

  constructor(options: Partial<PendulumOptions> = {}) {
    this.options = resolveOptions(this.id, PENDULUM_DEFAULTS, options);
    this.rngInstance = seededRng(this.id, DEFAULT_SEED);
  }

  get unwrapped(): Env {
    return this;
  }

  get rng(): Rng {
    return this.rngInstance;
  }

  reset(options: ResetOptions = {}): ResetResult {
    this.assertOpen();
    if (options.seed !== undefined) this.rngInstance = seededRng(this.id, options.seed);
    this.theta = this.rngInstance.uniformRange(-Math.PI, Math.PI);
    this.thetaDot = this.rngInstance.uniformRange(-1, 1);
    this.elapsed = 0;
    this.everReset = true;
    return { obs: this.observation(), info: {} };
  }

  step(action: ActionInput): StepResult {
    this.assertOpen();
    if (!this.everReset) throw new ResetNeededError(this.id, 'step() called before reset(); call reset() first');
    const u = Math.min(MAX_TORQUE, Math.max(-MAX_TORQUE, readAction(this.id, action, this.action)[0]));
    const { g } = this.options;
    const th = this.theta;
    const thDot = this.thetaDot;
    const cost = angleNormalize(th) ** 2 + 0.1 * thDot ** 2 + 0.001 * u ** 2;
    const accel = ((3 * g) / (2 * LENGTH)) * Math.sin(th) + (3 / (MASS * LENGTH ** 2)) * u;
    this.thetaDot = Math.min(MAX_SPEED, Math.max(-MAX_SPEED, thDot + accel * DT));
    this.theta = th + this.thetaDot * DT;
    this.elapsed += 1;
    return { obs: this.observation(), reward: -cost, terminated: false, truncated: false, info: {} };
  }

  observation(): Float64Array {
    return Float64Array.of(Math.cos(this.theta), Math.sin(this.theta), this.thetaDot);
  }

  getState(): EnvState {
    this.assertOpen();
    return {
      envId: this.id,
      physics: { theta: this.theta, thetaDot: this.thetaDot },
      rng: this.rngInstance.getState(),
      elapsedSteps: this.elapsed,
      needsReset: !this.everReset,
    };
  }

  setState(state: EnvState): void {
    this.assertOpen();
    const { theta, thetaDot } = state?.physics ?? {};
    if (state?.envId !== this.id || typeof theta !== 'number' || typeof thetaDot !== 'number') {
      throw new InvalidStateError(this.id, 'expected a state saved by Pendulum-v1 getState() (physics.theta, physics.thetaDot)');
    }
    this.rngInstance.setState(state.rng);
    this.theta = theta;
    this.thetaDot = thetaDot;
    this.elapsed = state.elapsedSteps;
    this.everReset = !state.needsReset;
  }

  close(): void {
    this.closed = true;
  }

  private assertOpen(): void {
    if (this.closed) throw new EnvClosedError(this.id, 'the env was closed; make a new one with makeEnv()');
  }
}

export async function createPendulum(options: Partial<PendulumOptions> = {}): Promise<PendulumEnv> {
  return new PendulumEnv(options);
}
