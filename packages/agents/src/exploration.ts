/**
 * The exploration noise schedule ALM and MnM share (ALM Table 3: linear(1.0, 0.1, 100000)), read by
 * both agents from their own config keys of the same names.
 */
export interface ExplorationSchedule {
  readonly explorationStdStart: number;
  readonly explorationStdEnd: number;
  /** Gradient updates from start to end. */
  readonly explorationStdDuration: number;
}

/**
 * The linear exploration-std schedule of Table 3 after `step` gradient updates (the authors'
 * `linear_schedule`): start + min(step / duration, 1) (end - start). Their count starts at the
 * end of warm-up: acting after k updates uses step k, the n-th update uses step n.
 */
export function explorationStd(config: ExplorationSchedule, step: number): number {
  const progress = Math.min(Math.max(step, 0) / config.explorationStdDuration, 1);
  return config.explorationStdEnd + (1 - progress) * (config.explorationStdStart - config.explorationStdEnd);
}
