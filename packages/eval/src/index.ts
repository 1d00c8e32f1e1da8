export { summarize, type Summary } from './aggregate';
export { aggregateCurves, toCsv, type AggregatedPoint, type CurvePoint, type SeedCurve } from './curves';
export { regularizedIncompleteBeta, studentTCdf, studentTQuantile } from './student-t';
export {
  evaluate,
  type EvaluateOptions,
  type EvaluationEnv,
  type EvaluationPolicy,
  type EvaluationResult,
} from './evaluate';
