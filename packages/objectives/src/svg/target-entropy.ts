/**
 * SAC-SVG's target-entropy schedule (the authors' `LearnTemp`): the SAC temperature's target moves
 * from an initial to a final entropy over the run,
 *
 *   t = (1 - step / totalSteps)^decay,   target = (initial - final) t + final
 *
 * decay 0 keeps the initial target throughout (their default: -|A| both ends); their HalfCheetah
 * setting goes from -2 to -3 with decay 1 (linear).
 */
export interface TargetEntropySchedule {
  readonly initial: number;
  readonly final: number;
  readonly decay: number;
  readonly totalSteps: number;
}

export function scheduledTargetEntropy(schedule: TargetEntropySchedule, step: number): number {
  const { initial, final, decay, totalSteps } = schedule;
  if (!(final <= initial)) {
    throw new RangeError(`scheduledTargetEntropy: final target ${final} must not exceed initial ${initial}`);
  }
  const progress = Math.min(1, Math.max(0, step / totalSteps));
  const t = decay === 0 ? 1 : (1 - progress) ** decay;
  return (initial - final) * t + final;
}
