/**
 * Bias of a value estimate against Monte Carlo returns, as the ALM paper's Appendix E defines it:
 *
 *   bias(s, a)            = estimate(s, a) - G(s, a)
 *   normalised bias(s, a) = bias(s, a) / | mean over the sample of G |
 *
 * where G is the discounted Monte Carlo return of the current policy. Dividing by the magnitude of
 * the average return makes runs with different return scales (and the same run as its returns
 * grow) comparable. The mean of the normalised bias says whether the estimate over- (> 0) or
 * under-estimates (< 0); its standard deviation is the paper's measure of how well the estimate
 * ranks actions (Figure 4, Figure 8).
 *
 * The authors' code differs in two details, reported beside the paper's numbers: its bias is
 * G - estimate (the opposite sign), and it normalises each pair by its own |G| clipped below at 10
 * (as the REDQ code does) instead of by |mean G|. Standard deviations are population ones (divide
 * by n), as numpy's default that both codes use.
 */

export interface BiasStatistics {
  readonly n: number;
  /** Mean of the Monte Carlo returns G. */
  readonly returnMean: number;
  /** Mean of the estimates. */
  readonly estimateMean: number;
  /** Mean and population std of estimate - G. */
  readonly biasMean: number;
  readonly biasStd: number;
  /** The paper's normaliser, |mean G|. */
  readonly normaliser: number;
  /** Mean and population std of (estimate - G) / |mean G| (the paper's Appendix E). */
  readonly normalisedBiasMean: number;
  readonly normalisedBiasStd: number;
  /** Mean and population std of (estimate - G) / max(|G|, 10) per pair (the authors' code, our sign). */
  readonly perPairNormalisedBiasMean: number;
  readonly perPairNormalisedBiasStd: number;
}

/** The clip of the per-pair normaliser in the authors' (and REDQ's) code. */
export const PER_PAIR_NORMALISER_FLOOR = 10;

function meanOf(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return sum / values.length;
}

/** Population standard deviation (denominator n). */
function populationStd(values: ArrayLike<number>, mean: number): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += (values[i] - mean) ** 2;
  return Math.sqrt(sum / values.length);
}

export function biasStatistics(estimates: ArrayLike<number>, returns: ArrayLike<number>): BiasStatistics {
  const n = returns.length;
  if (n === 0) throw new RangeError('biasStatistics: no state-action pairs');
  if (estimates.length !== n)
    throw new RangeError(`biasStatistics: ${estimates.length} estimates for ${n} Monte Carlo returns`);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(estimates[i]) || !Number.isFinite(returns[i]))
      throw new RangeError(
        `biasStatistics: pair ${i} is not finite (estimate ${estimates[i]}, return ${returns[i]})`,
      );
  }
  const bias = new Float64Array(n);
  const perPair = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    bias[i] = estimates[i] - returns[i];
    perPair[i] = bias[i] / Math.max(Math.abs(returns[i]), PER_PAIR_NORMALISER_FLOOR);
  }
  const returnMean = meanOf(returns);
  const normaliser = Math.abs(returnMean);
  if (normaliser === 0)
    throw new RangeError(
      'biasStatistics: the mean Monte Carlo return is 0, so the normalised bias is undefined',
    );
  const biasMean = meanOf(bias);
  const biasStd = populationStd(bias, biasMean);
  const perPairMean = meanOf(perPair);
  return {
    n,
    returnMean,
    estimateMean: meanOf(estimates),
    biasMean,
    biasStd,
    normaliser,
    normalisedBiasMean: biasMean / normaliser,
    normalisedBiasStd: biasStd / normaliser,
    perPairNormalisedBiasMean: perPairMean,
    perPairNormalisedBiasStd: populationStd(perPair, perPairMean),
  };
}
