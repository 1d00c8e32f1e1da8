/**
 * The tasks of the ALM paper's Table 1 (the model-based benchmark of Wang et al. 2019) and the
 * Gymnasium ids mbrl-ts runs them as. The paper used the MuJoCo-py `-v2` tasks; mbrl-ts has the
 * `-v4` tasks on the official MuJoCo bindings (same observations, rewards and terminations; see
 * the envs package README) and the truncated-observation Ant / Humanoid of the benchmark.
 */
export interface Table1Task {
  /** The registered environment id passed to `--env`. */
  readonly envId: string;
  /** The column name of the paper's Table 1. */
  readonly paperName: string;
}

export const TABLE1_TASKS: readonly Table1Task[] = [
  { envId: 'HumanoidTruncatedObs-v2', paperName: 'T-Humanoid-v2' },
  { envId: 'AntTruncatedObs-v2', paperName: 'T-Ant-v2' },
  { envId: 'HalfCheetah-v4', paperName: 'HalfCheetah-v2' },
  { envId: 'Walker2d-v4', paperName: 'Walker2d-v2' },
  { envId: 'Hopper-v4', paperName: 'Hopper-v2' },
];

/** The paper's column for an environment id, if the task is one of Table 1's. */
export function paperTaskName(envId: string): string | undefined {
  return TABLE1_TASKS.find((t) => t.envId === envId)?.paperName;
}
