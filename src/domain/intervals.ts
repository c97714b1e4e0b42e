import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';

/**
 * Confidence intervals for comparing groups (the analyst's equality breakdowns): a proportion, the
 * difference between two proportions, and a mean. The normal quantile comes from @stdlib, not from
 * a hand-written approximation.
 *
 * Sources:
 * - Wilson EB. Probable inference, the law of succession, and statistical inference. JASA
 *   1927;22:209–212 (the score interval).
 * - Newcombe RG. Two-sided confidence intervals for the single proportion: comparison of seven
 *   methods. Statistics in Medicine 1998;17:857–872 (method 3 is Wilson's; worked examples).
 * - Newcombe RG. Interval estimation for the difference between independent proportions:
 *   comparison of eleven methods. Statistics in Medicine 1998;17:873–890 (method 10, the hybrid
 *   score interval built from the two Wilson intervals; worked examples).
 * - Altman DG, Machin D, Bryant TN, Gardner MJ (eds). Statistics with Confidence, 2nd edn. BMJ Books
 *   2000, chapter 6 (Newcombe and Altman: both methods above, recommended for routine use).
 */

export interface Interval {
  lower: number;
  upper: number;
}

export interface ProportionInterval extends Interval {
  /** successes / trials */
  proportion: number;
}

export interface DifferenceInterval extends Interval {
  /** first proportion minus second */
  difference: number;
}

export interface MeanInterval extends Interval {
  mean: number;
  /** The sample standard deviation (divisor n − 1). */
  standardDeviation: number;
}

export const DEFAULT_CONFIDENCE = 0.95;

/** The two-sided standard normal quantile for a confidence level: 1.959964… for 0.95. */
export function zForConfidence(confidence: number = DEFAULT_CONFIDENCE): number {
  if (typeof confidence !== 'number' || !(confidence > 0 && confidence < 1)) {
    throw new RangeError(
      `confidence: must be between 0 and 1 (for example 0.95), not ${String(confidence)}.`,
    );
  }
  return normalQuantile(1 - (1 - confidence) / 2, 0, 1);
}

function checkCounts(successes: number, trials: number, which = ''): void {
  if (!Number.isSafeInteger(trials) || trials < 1) {
    throw new RangeError(`trials${which}: must be a whole number of 1 or more, not ${String(trials)}.`);
  }
  if (!Number.isSafeInteger(successes) || successes < 0 || successes > trials) {
    throw new RangeError(
      `successes${which}: must be a whole number from 0 to trials (${trials}), not ${String(successes)}.`,
    );
  }
}

/**
 * Wilson's score interval for a proportion (no continuity correction): the proportions p whose
 * score test at this level does not reject, (2np̂ + z² ± z√(z² + 4np̂(1 − p̂))) / (2(n + z²)).
 * Unlike the simple p̂ ± z·SE it stays within 0..1 and behaves for small counts and for 0 and n.
 */
export function wilsonInterval(
  successes: number,
  trials: number,
  confidence: number = DEFAULT_CONFIDENCE,
): ProportionInterval {
  checkCounts(successes, trials);
  const z = zForConfidence(confidence);
  const n = trials;
  const p = successes / n;
  const centre = 2 * n * p + z * z;
  const spread = z * Math.sqrt(z * z + 4 * n * p * (1 - p));
  const divisor = 2 * (n + z * z);
  // At 0 and n one limit is exactly 0 or 1; computed, it can come out a rounding error away.
  return {
    proportion: p,
    lower: successes === 0 ? 0 : (centre - spread) / divisor,
    upper: successes === n ? 1 : (centre + spread) / divisor,
  };
}

/**
 * Newcombe's method 10 for the difference p₁ − p₂ between two independent proportions: with
 * (l₁, u₁) and (l₂, u₂) the Wilson intervals of each,
 *   lower = p₁ − p₂ − √((p₁ − l₁)² + (u₂ − p₂)²),  upper = p₁ − p₂ + √((u₁ − p₁)² + (p₂ − l₂)²).
 */
export function proportionDifferenceInterval(
  successes1: number,
  trials1: number,
  successes2: number,
  trials2: number,
  confidence: number = DEFAULT_CONFIDENCE,
): DifferenceInterval {
  checkCounts(successes1, trials1, '1');
  checkCounts(successes2, trials2, '2');
  const a = wilsonInterval(successes1, trials1, confidence);
  const b = wilsonInterval(successes2, trials2, confidence);
  const difference = a.proportion - b.proportion;
  return {
    difference,
    lower: difference - Math.hypot(a.proportion - a.lower, b.upper - b.proportion),
    upper: difference + Math.hypot(a.upper - a.proportion, b.proportion - b.lower),
  };
}

/**
 * The normal-approximation interval for a mean, mean ± z·s/√n, from the running totals a rollup
 * keeps: the number of values, their sum and the sum of their squares. It suits the sample sizes
 * shown on dashboards (small groups are suppressed anyway); for a handful of values a t interval
 * would be wider.
 */
export function meanInterval(
  n: number,
  sum: number,
  sumOfSquares: number,
  confidence: number = DEFAULT_CONFIDENCE,
): MeanInterval {
  if (!Number.isSafeInteger(n) || n < 2) {
    throw new RangeError(`n: a spread needs at least 2 values, not ${String(n)}.`);
  }
  if (!Number.isFinite(sum)) throw new RangeError(`sum: must be a finite number, not ${String(sum)}.`);
  if (!Number.isFinite(sumOfSquares) || sumOfSquares < 0) {
    throw new RangeError(`sumOfSquares: must be a finite number of 0 or more, not ${String(sumOfSquares)}.`);
  }
  const mean = sum / n;
  const deviations = sumOfSquares - (sum * sum) / n;
  // Totals from real values can never give a sum of squares below sum²/n, beyond rounding error;
  // further below, the inputs do not come from one set of values.
  const tolerance = 1e-9 * Math.max(1, sumOfSquares);
  if (deviations < -tolerance) {
    throw new RangeError('sumOfSquares: is less than sum²/n, which no set of values can give.');
  }
  const standardDeviation = Math.sqrt(Math.max(0, deviations) / (n - 1));
  const half = (zForConfidence(confidence) * standardDeviation) / Math.sqrt(n);
  return { mean, standardDeviation, lower: mean - half, upper: mean + half };
}
