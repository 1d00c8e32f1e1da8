/**
 * Evaluation episodes: run a policy deterministically for whole episodes and record the
 * undiscounted return and length of each. Episode `i` is reset with seed `seed + i`, so an
 * evaluation is reproducible and does not depend on what the training env did before.
 *
 * The types are structural: any env with Gymnasium's reset/step and any policy with `act` fit,
 * so this package needs neither @mbrl-ts/envs nor a tensor library.
 */
export interface EvaluationEnv {
  reset(options?: { seed?: number }): { obs: Float64Array };
  step(action: Float32Array | Float64Array | readonly number[]): {
    obs: Float64Array;
    reward: number;
    terminated: boolean;
    truncated: boolean;
  };
}

export interface EvaluationPolicy {
  act(
    obs: Float64Array,
    context: { step: number; deterministic: boolean },
  ): Float32Array | Float64Array | readonly number[];
}

export interface EvaluationResult {
  readonly returns: number[];
  readonly lengths: number[];
}

export interface EvaluateOptions {
  /** Seed of the first episode's reset; episode i uses seed + i. */
  readonly seed: number;
  /** The training step the policy is evaluated at (passed through to `act`). */
  readonly step?: number;
  /** Safety cap on episode length for envs without a time limit. */
  readonly maxEpisodeSteps?: number;
}

export function evaluate(
  policy: EvaluationPolicy,
  env: EvaluationEnv,
  episodes: number,
  options: EvaluateOptions,
): EvaluationResult {
  if (!Number.isInteger(episodes) || episodes < 1) {
    throw new RangeError(`evaluate: episodes must be a positive integer, got ${episodes}`);
  }
  const maxSteps = options.maxEpisodeSteps ?? 100_000;
  const returns: number[] = [];
  const lengths: number[] = [];
  for (let i = 0; i < episodes; i++) {
    let { obs } = env.reset({ seed: (options.seed + i) >>> 0 });
    let total = 0;
    let length = 0;
    for (;;) {
      const action = policy.act(obs, { step: options.step ?? 0, deterministic: true });
      const result = env.step(action);
      total += result.reward;
      length += 1;
      obs = result.obs;
      if (result.terminated || result.truncated) break;
      if (length >= maxSteps) {
        throw new RangeError(
          `evaluate: episode ${i} ran ${maxSteps} steps without ending; wrap the env in a TimeLimit`,
        );
      }
    }
    returns.push(total);
    lengths.push(length);
  }
  return { returns, lengths };
}
