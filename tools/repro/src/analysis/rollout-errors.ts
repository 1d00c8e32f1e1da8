/**
 * The arithmetic of the latent rollout analysis (Figure 7), on plain arrays: per-step distances
 * between the model's rollout and the encoder's latents, a reference that needs no model (the
 * distance of each true latent from the first one: what predicting "no change" would score), and
 * per-step aggregation over trajectories of different lengths.
 *
 * Latents are row-major [steps * latentSize].
 */

function checkShape(name: string, values: ArrayLike<number>, latentSize: number): number {
  if (!Number.isInteger(latentSize) || latentSize < 1)
    throw new RangeError(`latentSize must be >= 1, got ${latentSize}`);
  const steps = values.length / latentSize;
  if (!Number.isInteger(steps))
    throw new RangeError(`${name}: ${values.length} values are not whole rows of ${latentSize}`);
  return steps;
}

/** || predicted_t - encoded_t ||_2 for every step t. */
export function stepDistances(
  predicted: ArrayLike<number>,
  encoded: ArrayLike<number>,
  latentSize: number,
): Float64Array {
  const steps = checkShape('predicted', predicted, latentSize);
  if (checkShape('encoded', encoded, latentSize) !== steps)
    throw new RangeError(`predicted has ${steps} steps, encoded ${encoded.length / latentSize}`);
  const out = new Float64Array(steps);
  for (let t = 0; t < steps; t++) {
    let sum = 0;
    for (let j = 0; j < latentSize; j++)
      sum += (predicted[t * latentSize + j] - encoded[t * latentSize + j]) ** 2;
    out[t] = Math.sqrt(sum);
  }
  return out;
}

/** || encoded_0 - encoded_t ||_2: the error of predicting that the latent never changes. */
export function noChangeDistances(encoded: ArrayLike<number>, latentSize: number): Float64Array {
  const steps = checkShape('encoded', encoded, latentSize);
  const first = Array.from({ length: steps * latentSize }, (_, i) => encoded[i % latentSize]);
  return stepDistances(first, encoded, latentSize);
}

/** Mean L2 distance of the latents from their mean: the spread the errors can be read against. */
export function latentSpread(encoded: ArrayLike<number>, latentSize: number): number {
  const steps = checkShape('encoded', encoded, latentSize);
  if (steps === 0) throw new RangeError('latentSpread: no latents');
  const centre = new Float64Array(latentSize);
  for (let t = 0; t < steps; t++)
    for (let j = 0; j < latentSize; j++) centre[j] += encoded[t * latentSize + j] / steps;
  let total = 0;
  for (let t = 0; t < steps; t++) {
    let sum = 0;
    for (let j = 0; j < latentSize; j++) sum += (encoded[t * latentSize + j] - centre[j]) ** 2;
    total += Math.sqrt(sum);
  }
  return total / steps;
}

export interface StepSummary {
  readonly step: number;
  /** Trajectories that reach this step. */
  readonly n: number;
  readonly mean: number;
  /** Population std over those trajectories (0 for one). */
  readonly std: number;
}

/** Mean and std per step over trajectories; step t is aggregated over those that reach it. */
export function summarizeSteps(perTrajectory: readonly ArrayLike<number>[]): StepSummary[] {
  const longest = Math.max(0, ...perTrajectory.map((v) => v.length));
  const out: StepSummary[] = [];
  for (let t = 0; t < longest; t++) {
    const values = perTrajectory.filter((v) => v.length > t).map((v) => v[t]);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
    out.push({ step: t, n: values.length, mean, std });
  }
  return out;
}
