/**
 * XmR (individuals and moving range) charts as NHS England's Making Data Count programme draws
 * them, and as the R package NHSRplotthedots computes them (R/ptd_spc_standard.R,
 * https://github.com/nhs-r-community/NHSRplotthedots).
 *
 * The centre line is the mean of the values. The moving range is the absolute difference between
 * each value and the one before; its mean, times 2.66, is the distance from the mean to each
 * process limit (2.66 = 3 / d2, with d2 = 1.128 for ranges of two, so the limits sit three sigma
 * away). The one- and two-sigma lines are a third and two thirds of that distance.
 */

export type ImprovementDirection = 'increase' | 'decrease' | 'neutral';

export const IMPROVEMENT_DIRECTIONS: readonly ImprovementDirection[] = ['increase', 'decrease', 'neutral'];

/** Mean moving range × 2.66 is three sigma (NHSRplotthedots `limit <- 2.66`). */
export const PROCESS_LIMIT_FACTOR = 2.66;

/**
 * Moving ranges of at least 3.267 × their mean are screened out before the mean moving range is
 * taken again (NHSRplotthedots `screen_outliers`): 3.267 is the D4 constant, the upper limit of a
 * moving range chart, so one wild value does not widen the limits for everyone.
 */
export const MOVING_RANGE_SCREEN_FACTOR = 3.267;

/** NHSRplotthedots refuses `fix_after_n_points` below 12 (R/ptd_spc_options.R). */
export const MIN_FIX_AFTER = 12;

export type SpcRuleSetName = 'ptd' | 'nhse2024';

export const SPC_RULE_SET_NAMES: readonly SpcRuleSetName[] = ['ptd', 'nhse2024'];

/** How many points each rule needs, and the choices where the two rule sets differ. */
export interface SpcRuleSet {
  name: SpcRuleSetName;
  /** Points in a row on one side of the mean that make a shift. */
  shiftPoints: number;
  /** Points in a row each higher (or each lower) than the last that make a trend. */
  trendPoints: number;
  /** Below this many points in a segment its limits are trial limits. */
  minimumPoints: number;
  /** Whether trial segments are still tested for special causes. */
  rulesOnTrialLimits: boolean;
  /** Whether points beyond the process limits count towards two of three beyond two sigma. */
  twoInThreeCountsOutside: boolean;
  /** Whether moving-range outliers are screened out unless the caller says otherwise. */
  screenOutliersByDefault: boolean;
  /** Whether a target exactly on a process limit counts as met or missed rather than inconsistent. */
  assuranceIncludesLimit: boolean;
}

export const SPC_RULE_SETS: Readonly<Record<SpcRuleSetName, SpcRuleSet>> = {
  /**
   * NHSRplotthedots exactly: 7-point shifts and trends (R/ptd_calculate_point_type.R); two of three
   * counts only points between two sigma and the limits (`close_to_limits` excludes
   * `outside_limits`, R/ptd_spc_standard.R); screening on by default (R/ptd_spc.R); a segment of
   * fewer than 13 points is flagged as having trial limits but is still tested
   * (R/ptd_add_short_group_warnings.R, `warning_threshold` 13); assurance needs the target strictly
   * beyond a limit (R/ptd_calculate_assurance_type.R).
   */
  ptd: {
    name: 'ptd',
    shiftPoints: 7,
    trendPoints: 7,
    minimumPoints: 13,
    rulesOnTrialLimits: true,
    twoInThreeCountsOutside: false,
    screenOutliersByDefault: true,
    assuranceIncludesLimit: false,
  },
  /**
   * NHS England's Making Data Count rules as its tools apply them from 2024: runs and trends of
   * six; two of three counts every point beyond two sigma, including those beyond the limits (the
   * change the Making Data Count team announced in NHSRplotthedots issue #194, November 2023); no
   * moving-range screening (off by default in NHS England's SPC SQL query,
   * `@ExcludeMovingRangeOutliers = 0`); a target on a limit is a pass or fail (change log of that
   * query, version 2.1). Below 13 points NHS England's tools draw a run chart with the SPC elements
   * removed, so here the limits are returned as trial limits and no point is tested or given an
   * assurance.
   */
  nhse2024: {
    name: 'nhse2024',
    shiftPoints: 6,
    trendPoints: 6,
    minimumPoints: 13,
    rulesOnTrialLimits: false,
    twoInThreeCountsOutside: true,
    screenOutliersByDefault: false,
    assuranceIncludesLimit: true,
  },
};

/** The centre line and limits of one segment of a chart (all the points between two rebases). */
export interface XmrLimits {
  mean: number;
  /** The mean moving range the limits are built on, after any screening. */
  movingRangeMean: number;
  lpl: number;
  upl: number;
  lowerTwoSigma: number;
  upperTwoSigma: number;
  lowerOneSigma: number;
  upperOneSigma: number;
  /** How many values the mean and moving ranges were taken from (fewer than all when fixed). */
  basedOn: number;
  /** Moving ranges left out of the mean moving range by screening. */
  screenedOut: number;
}

/** |x[i] − x[i−1]| for each value after the first; the first has none. */
export function movingRanges(values: readonly number[]): (number | null)[] {
  return values.map((value, i) => (i === 0 ? null : Math.abs(value - (values[i - 1] as number))));
}

const average = (xs: readonly number[]): number => xs.reduce((sum, x) => sum + x, 0) / xs.length;

/**
 * The limits for one segment. With `fixAfter`, only the first `fixAfter` values set the mean and
 * moving ranges (NHSRplotthedots `fix_after_n_points`); the limits then hold for every later value.
 */
export function xmrLimits(
  values: readonly number[],
  options: { screenOutliers: boolean; fixAfter?: number },
): XmrLimits {
  if (values.length < 2) throw new RangeError('values: an XmR chart needs at least 2 values');
  const basis = options.fixAfter === undefined ? values : values.slice(0, options.fixAfter);
  const mean = average(basis);
  const ranges = movingRanges(basis).filter((r): r is number => r !== null);
  const firstMean = average(ranges);
  // ptd keeps a moving range only when it is strictly below 3.267 × the mean moving range. When every
  // range is zero (a flat series) ptd would keep none and give no limits; the unscreened mean (0)
  // is kept instead so a flat series still has limits, at the mean.
  const kept = options.screenOutliers
    ? ranges.filter((r) => r < MOVING_RANGE_SCREEN_FACTOR * firstMean)
    : ranges;
  const movingRangeMean = kept.length > 0 ? average(kept) : firstMean;
  // Computed in the same order as ptd (`limitclose <- 2 * (limit / 3)`), so a value exactly on a
  // line falls on the same side of it here as there.
  const limit = PROCESS_LIMIT_FACTOR * movingRangeMean;
  const twoSigma = 2 * (PROCESS_LIMIT_FACTOR / 3) * movingRangeMean;
  const sigma = (PROCESS_LIMIT_FACTOR / 3) * movingRangeMean;
  return {
    mean,
    movingRangeMean,
    lpl: mean - limit,
    upl: mean + limit,
    lowerTwoSigma: mean - twoSigma,
    upperTwoSigma: mean + twoSigma,
    lowerOneSigma: mean - sigma,
    upperOneSigma: mean + sigma,
    basedOn: basis.length,
    screenedOut: kept.length > 0 ? ranges.length - kept.length : 0,
  };
}
