/**
 * Aggregation over seeds: the numbers a results table reports.
 *
 * `std` is the sample standard deviation (n - 1 in the denominator); the 95% confidence interval of
 * the mean uses Student's t with n - 1 degrees of freedom. With a single value, std and the interval
 * are undefined and reported as NaN rather than as a misleading zero.
 */
import { mean as mathMean, std as mathStd } from 'mathjs';
import { studentTQuantile } from './student-t';

export interface Summary {
  readonly n: number;
  readonly mean: number;
  /** Sample standard deviation (denominator n - 1); NaN when n < 2. */
  readonly std: number;
  /** Standard error of the mean, std / sqrt(n); NaN when n < 2. */
  readonly sem: number;
  /** 95% confidence interval of the mean (Student's t); [NaN, NaN] when n < 2. */
  readonly ci95: readonly [number, number];
  readonly min: number;
  readonly max: number;
}

export function summarize(values: readonly number[], confidence = 0.95): Summary {
  if (values.length === 0) throw new RangeError('summarize: no values to aggregate');
  const bad = values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new RangeError(`summarize: value ${bad} is not finite (${values[bad]})`);
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`summarize: confidence must be in (0, 1)`);
  const n = values.length;
  const mean = mathMean([...values]) as number;
  const min = Math.min(...values);
  const max = Math.max(...values);
  if (n < 2) return { n, mean, std: NaN, sem: NaN, ci95: [NaN, NaN], min, max };
  const std = mathStd([...values], 'unbiased') as unknown as number;
  const sem = std / Math.sqrt(n);
  const half = studentTQuantile(0.5 + confidence / 2, n - 1) * sem;
  return { n, mean, std, sem, ci95: [mean - half, mean + half], min, max };
}
