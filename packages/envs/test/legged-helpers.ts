import type { ActionInput, Env } from '../src/index';

/** Step a fixed action up to `steps` times, stopping at the episode's end; rewards and observations per step. */
export function stepsUntilDone(env: Env, action: ActionInput, steps: number): number[][] {
  const out: number[][] = [];
  for (let t = 0; t < steps; t++) {
    const s = env.step(action);
    out.push([s.reward, Number(s.terminated), ...s.obs]);
    if (s.terminated || s.truncated) break;
  }
  return out;
}

export const sumOfSquares = (a: ArrayLike<number>): number => Array.from(a).reduce((s, x) => s + x * x, 0);
