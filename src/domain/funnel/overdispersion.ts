/**
 * Overdispersion for funnel plots, as FunnelPlotR (Mainey, nhs-r-community/FunnelPlotR,
 * R/od_adjustment.R) implements Spiegelhalter's method: each unit's z-score on a
 * variance-stabilising scale is Winsorised (or, for NHS Digital's SHMI, truncated), the dispersion
 * ratio φ is the mean squared z-score, and the between-unit variance τ² is the DerSimonian–Laird
 * additive random-effects estimate that widens the limits.
 *
 * Sources: Spiegelhalter DJ. Handling over-dispersion of performance indicators. Qual Saf Health
 * Care 2005;14:347–351. DerSimonian R, Laird N. Meta-analysis in clinical trials. Control Clin
 * Trials 1986;7:177–188. NHS Digital, SHMI methodology (truncation of the z-scores).
 */

/**
 * The sample quantile R computes by default (`quantile(x, p)`, type 7): linear interpolation
 * between order statistics at position (n − 1)p. FunnelPlotR Winsorises at these quantiles, so the
 * same definition is needed to reproduce its φ.
 */
export function sampleQuantile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new RangeError('A quantile needs at least one value');
  if (!(p >= 0 && p <= 1)) throw new RangeError(`A quantile's probability must be from 0 to 1, not ${p}`);
  const sorted = [...values].sort((a, b) => a - b);
  const h = (sorted.length - 1) * p;
  const below = Math.floor(h);
  const low = sorted[below] as number;
  const high = sorted[Math.min(below + 1, sorted.length - 1)] as number;
  return low + (h - below) * (high - low);
}

function checkTrim(trimBy: number): void {
  if (!(trimBy > 0 && trimBy < 0.5)) {
    throw new RangeError(`The trim must be more than 0 and less than 0.5 at each end, not ${trimBy}`);
  }
}

/**
 * Winsorised z-scores: those below the `trimBy` quantile are raised to it, those above the
 * 1 − `trimBy` quantile lowered to it (FunnelPlotR `winsorisation`, 10% at each end by default).
 */
export function winsorise(zScores: readonly number[], trimBy = 0.1): number[] {
  checkTrim(trimBy);
  const lower = sampleQuantile(zScores, trimBy);
  const upper = sampleQuantile(zScores, 1 - trimBy);
  return zScores.map((z) => Math.min(Math.max(z, lower), upper));
}

/**
 * SHMI's truncation instead of Winsorising: units are ranked (ties take the average rank), put in
 * 1/`trimBy` groups by floor(rank × k / (n + 1)), and those in the lowest and highest groups are
 * left out (null) of the dispersion estimate (FunnelPlotR `truncation`).
 */
export function truncate(zScores: readonly number[], trimBy = 0.1): (number | null)[] {
  checkTrim(trimBy);
  const groups = 1 / trimBy;
  const n = zScores.length;
  return zScores.map((z) => {
    const smaller = zScores.filter((other) => other < z).length;
    const equal = zScores.filter((other) => other === z).length;
    const rank = smaller + (equal + 1) / 2;
    const group = Math.floor((rank * groups) / (n + 1));
    return group > 0 && group < groups - 1 ? z : null;
  });
}

/** The dispersion ratio φ: the mean squared (Winsorised or truncated) z-score. Above 1 is overdispersion. */
export function dispersionRatio(zScores: readonly number[]): number {
  if (zScores.length === 0) throw new RangeError('The dispersion ratio needs at least one z-score');
  return zScores.reduce((sum, z) => sum + z * z, 0) / zScores.length;
}

/**
 * The DerSimonian–Laird between-unit variance τ² from φ and each unit's standard error s on the
 * transformed scale, with weights w = 1/s²: τ² = (nφ − (n − 1)) / (Σw − Σw²/Σw), and 0 when
 * nφ < n − 1 (FunnelPlotR `tau_func`). Needs two units or more: with one the denominator is 0.
 */
export function betweenUnitVariance(phi: number, standardErrors: readonly number[]): number {
  const n = standardErrors.length;
  if (n < 2) throw new RangeError('The between-unit variance needs at least two units');
  if (n * phi < n - 1) return 0;
  const weights = standardErrors.map((s) => 1 / (s * s));
  const sumW = weights.reduce((a, w) => a + w, 0);
  const sumW2 = weights.reduce((a, w) => a + w * w, 0);
  return Math.max(0, (n * phi - (n - 1)) / (sumW - sumW2 / sumW));
}
