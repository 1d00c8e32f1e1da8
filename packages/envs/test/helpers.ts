import { Rng } from '@mbrl-ts/rng';
import type { Env } from '../src/index';

export interface Rollout {
  observations: Float64Array[];
  rewards: number[];
  terminated: boolean[];
  truncated: boolean[];
}

/** Roll `steps` uniformly random actions (drawn from `actionSeed`), resetting on episode end. */
export function rollout(env: Env, steps: number, actionSeed: number, resetSeed?: number): Rollout {
  const rng = new Rng(actionSeed);
  const out: Rollout = {
    observations: [env.reset({ seed: resetSeed }).obs],
    rewards: [],
    terminated: [],
    truncated: [],
  };
  for (let t = 0; t < steps; t++) {
    const s = env.step(env.actionSpace.sample(rng));
    out.observations.push(s.obs);
    out.rewards.push(s.reward);
    out.terminated.push(s.terminated);
    out.truncated.push(s.truncated);
    if (s.terminated || s.truncated) out.observations.push(env.reset().obs);
  }
  return out;
}
