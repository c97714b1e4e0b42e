/**
 * Funnel control limits at one denominator, as FunnelPlotR (Mainey, nhs-r-community/FunnelPlotR,
 * R/calculate_limits.R) draws them, at 95% and 99.8% (two-sided, so the normal deviates and
 * chi-square tails are at 0.025/0.975 and 0.001/0.999).
 *
 * - Indirectly standardised ratios (observed/expected, target 1): exact Poisson limits from
 *   chi-square quantiles, lower χ²(α/2; 2E)/2E and upper χ²(1 − α/2; 2(E + 1))/2E, where E is the
 *   expected count (Spiegelhalter 2005, Stat Med 24:1185–1202, appendix).
 * - Proportions: limits around the pooled proportion on the arcsine square-root scale, where the
 *   standard error is 1/(2√n) whatever the proportion.
 * - With overdispersion, limits on the transformed scale are target ± z√(s² + τ²), transformed back.
 */
import { chiSquareQuantile, standardNormalQuantile } from './distributions.js';

export type FunnelDataType = 'proportion' | 'sr';

/**
 * How a standardised ratio's z-score and overdispersed limits are computed (FunnelPlotR
 * `sr_method`): "cqc" is Spiegelhalter's square-root scale with Winsorised z-scores; "shmi" is
 * NHS Digital's log scale with truncated z-scores (FunnelPlotR's default).
 */
export type SrMethod = 'cqc' | 'shmi';

/** The two funnel limits FunnelPlotR draws, named by their coverage. */
export const FUNNEL_COVERAGES = ['95', '99.8'] as const;
export type FunnelCoverage = (typeof FUNNEL_COVERAGES)[number];

export type LimitPair = readonly [lower: number, upper: number];
export type FunnelLimits = Readonly<Record<FunnelCoverage, LimitPair>>;

/** The upper-tail probability on each side for each coverage: (1 − coverage) / 2. */
const TAIL: Record<FunnelCoverage, number> = { '95': 0.025, '99.8': 0.001 };

/**
 * A variance-stabilising scale: the value and the target are compared there, where a unit's
 * standard error depends on its denominator alone.
 */
export interface TransformedScale {
  transform(value: number): number;
  /** Back to the value's own scale; clamps where the transform has no inverse (e.g. below 0). */
  invert(y: number): number;
  standardError(denominator: number): number;
}

/** Proportions: y = asin(√p), s = 1/(2√n); back-transformed limits are kept inside [0, 1]. */
export const ARCSINE_SCALE: TransformedScale = {
  transform: (p) => Math.asin(Math.sqrt(p)),
  // Clamping the angle to [0, π/2] is where FunnelPlotR sets limits to 0 or 1 because sin² stops
  // being monotonic at small denominators (its "non-monotonic transformation" fix, v0.4.0).
  invert: (y) => Math.sin(Math.min(Math.max(y, 0), Math.PI / 2)) ** 2,
  standardError: (n) => 1 / (2 * Math.sqrt(n)),
};

/**
 * Standardised ratios, Spiegelhalter/CQC: y = √(O/E), s = 1/(2√E). Limits are squared back onto
 * the ratio scale, as Spiegelhalter and FunnelPlotR up to v0.3 do (v0.6 leaves 1 ± z√(s² + τ²)
 * unsquared, which is not the inverse of the transform its own z-scores use).
 */
export const SQUARE_ROOT_SCALE: TransformedScale = {
  transform: (ratio) => Math.sqrt(ratio),
  invert: (y) => Math.max(y, 0) ** 2,
  standardError: (expected) => 1 / (2 * Math.sqrt(expected)),
};

/** Standardised ratios, SHMI: y = log(O/E), s = 1/√E. */
export const LOG_SCALE: TransformedScale = {
  transform: (ratio) => Math.log(ratio),
  invert: (y) => Math.exp(y),
  standardError: (expected) => 1 / Math.sqrt(expected),
};

export function scaleFor(type: FunnelDataType, srMethod: SrMethod): TransformedScale {
  if (type === 'proportion') return ARCSINE_SCALE;
  return srMethod === 'shmi' ? LOG_SCALE : SQUARE_ROOT_SCALE;
}

function checkDenominator(denominator: number): void {
  if (!(denominator > 0 && Number.isFinite(denominator))) {
    throw new RangeError(`A funnel limit needs a denominator above 0, not ${denominator}`);
  }
}

/** Exact Poisson limits for a ratio O/E with target 1, at expected count E (FunnelPlotR, unadjusted "SR"). */
export function poissonRatioLimits(expected: number, coverage: FunnelCoverage): LimitPair {
  checkDenominator(expected);
  const tail = TAIL[coverage];
  return [
    chiSquareQuantile(tail, 2 * expected) / 2 / expected,
    chiSquareQuantile(1 - tail, 2 * (expected + 1)) / 2 / expected,
  ];
}

/**
 * Limits around `target` on a transformed scale, widened by the between-unit variance τ²
 * (0 for no overdispersion): invert(transform(target) ∓ z√(s² + τ²)).
 */
export function transformedScaleLimits(
  scale: TransformedScale,
  target: number,
  denominator: number,
  tau2: number,
  coverage: FunnelCoverage,
): LimitPair {
  checkDenominator(denominator);
  const z = standardNormalQuantile(1 - TAIL[coverage]);
  const centre = scale.transform(target);
  const halfWidth = z * Math.sqrt(scale.standardError(denominator) ** 2 + tau2);
  return [scale.invert(centre - halfWidth), scale.invert(centre + halfWidth)];
}
