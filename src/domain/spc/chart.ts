import {
  type Assurance,
  type AssuranceIconKey,
  assuranceIcon,
  type SpcIcon,
  type VariationIconKey,
  variationIcon,
} from './icons.js';
import {
  detectSpecialCauses,
  type SignalSide,
  type SpecialCause,
  type Variation,
  variationOf,
} from './rules.js';
import {
  type ImprovementDirection,
  MIN_FIX_AFTER,
  movingRanges,
  SPC_RULE_SETS,
  type SpcRuleSetName,
  type XmrLimits,
  xmrLimits,
} from './xmr.js';

export interface XmrChartOptions {
  improvement: ImprovementDirection;
  /** A target for assurance; none if left out. */
  target?: number | null;
  /** 'ptd' (NHSRplotthedots, the default) or 'nhse2024'. */
  rules?: SpcRuleSetName;
  /** Screen out moving-range outliers; the rule set's default if left out. */
  screenOutliers?: boolean;
  /** Fix each segment's limits on its first n points (ptd `fix_after_n_points`); at least 12. */
  fixAfter?: number;
  /** Indexes (0-based) of the points from which the limits are calculated afresh. */
  rebase?: readonly number[];
}

/** One segment of the chart: the points from one rebase up to the next, with their limits. */
export interface SpcSegment extends XmrLimits {
  /** Index of the segment's first point. */
  start: number;
  /** Index after the segment's last point. */
  end: number;
  /** Fewer points than the rule set's minimum: the limits will move as points are added. */
  trial: boolean;
}

export interface SpcPoint {
  index: number;
  value: number;
  /** |value − previous value| within the same segment; null for a segment's first point. */
  movingRange: number | null;
  /** Which segment (0-based) the point belongs to. */
  segment: number;
  mean: number;
  lpl: number;
  upl: number;
  lowerTwoSigma: number;
  upperTwoSigma: number;
  lowerOneSigma: number;
  upperOneSigma: number;
  special: SpecialCause;
  side: SignalSide | null;
  variation: Variation;
}

export interface SpcChart {
  rules: SpcRuleSetName;
  improvement: ImprovementDirection;
  target: number | null;
  screenOutliers: boolean;
  points: SpcPoint[];
  segments: SpcSegment[];
  /** The latest segment has trial limits. */
  trial: boolean;
  assurance: Assurance | null;
  variationIcon: SpcIcon<VariationIconKey>;
  assuranceIcon: SpcIcon<AssuranceIconKey> | null;
}

/**
 * Whether the process, as its latest limits describe it, will meet the target: pass when both
 * limits are on the good side of it, fail when both are on the bad side, inconsistent when the
 * target lies between them (NHSRplotthedots R/ptd_calculate_assurance_type.R). None without a
 * target or when neither direction is better. `includeLimit` counts a target exactly on a limit as
 * beyond it (NHS England's rule).
 */
export function assuranceOf(
  limits: Pick<XmrLimits, 'lpl' | 'upl'>,
  target: number | null | undefined,
  improvement: ImprovementDirection,
  includeLimit = false,
): Assurance | null {
  if (target === null || target === undefined || improvement === 'neutral') return null;
  const above = includeLimit ? target >= limits.upl : target > limits.upl;
  const below = includeLimit ? target <= limits.lpl : target < limits.lpl;
  const increasing = improvement === 'increase';
  if (above) return increasing ? 'fail' : 'pass';
  if (below) return increasing ? 'pass' : 'fail';
  return 'inconsistent';
}

function segmentBounds(length: number, rebase: readonly number[]): [number, number][] {
  const starts = [...new Set(rebase)].sort((a, b) => a - b);
  for (const start of starts) {
    if (!Number.isInteger(start) || start < 1 || start >= length) {
      throw new RangeError(
        `rebase: ${start} is not the index of a point after the first (1 to ${length - 1})`,
      );
    }
  }
  const edges = [0, ...starts, length];
  const bounds = edges.slice(0, -1).map((start, i): [number, number] => [start, edges[i + 1] as number]);
  for (const [start, end] of bounds) {
    if (end - start < 2)
      throw new RangeError(`rebase: the segment starting at ${start} has fewer than 2 values`);
  }
  return bounds;
}

/**
 * An XmR chart with its special causes, variation and assurance: everything a chart, its data
 * table and its icons need. Throws RangeError, naming the option at fault, for input no chart can
 * be drawn from.
 */
export function xmrChart(values: readonly number[], options: XmrChartOptions): SpcChart {
  const ruleSet = SPC_RULE_SETS[options.rules ?? 'ptd'];
  if (!ruleSet) throw new RangeError(`rules: unknown rule set "${options.rules}"`);
  if (values.length < 2) throw new RangeError('values: an XmR chart needs at least 2 values');
  const bad = values.findIndex((v) => typeof v !== 'number' || !Number.isFinite(v));
  if (bad >= 0) throw new RangeError(`values.${bad}: not a finite number`);
  const { fixAfter } = options;
  if (
    fixAfter !== undefined &&
    (!Number.isInteger(fixAfter) || fixAfter < MIN_FIX_AFTER || fixAfter > values.length)
  ) {
    throw new RangeError(
      `fixAfter: must be a whole number from ${MIN_FIX_AFTER} to the number of values (${values.length})`,
    );
  }
  const target = options.target ?? null;
  if (target !== null && !Number.isFinite(target)) throw new RangeError('target: not a finite number');
  const screenOutliers = options.screenOutliers ?? ruleSet.screenOutliersByDefault;

  const segments: SpcSegment[] = [];
  const points: SpcPoint[] = [];
  for (const [start, end] of segmentBounds(values.length, options.rebase ?? [])) {
    const segmentValues = values.slice(start, end);
    const limits = xmrLimits(segmentValues, {
      screenOutliers,
      fixAfter: fixAfter === undefined ? undefined : Math.min(fixAfter, segmentValues.length),
    });
    const trial = segmentValues.length < ruleSet.minimumPoints;
    const segment: SpcSegment = { ...limits, start, end, trial };
    segments.push(segment);
    const signals =
      trial && !ruleSet.rulesOnTrialLimits
        ? segmentValues.map(() => ({ special: 'none' as const, side: null }))
        : detectSpecialCauses(segmentValues, limits, ruleSet);
    const ranges = movingRanges(segmentValues);
    segmentValues.forEach((value, i) => {
      const signal = signals[i] ?? { special: 'none' as const, side: null };
      points.push({
        index: start + i,
        value,
        movingRange: ranges[i] ?? null,
        segment: segments.length - 1,
        mean: limits.mean,
        lpl: limits.lpl,
        upl: limits.upl,
        lowerTwoSigma: limits.lowerTwoSigma,
        upperTwoSigma: limits.upperTwoSigma,
        lowerOneSigma: limits.lowerOneSigma,
        upperOneSigma: limits.upperOneSigma,
        special: signal.special,
        side: signal.side,
        variation: variationOf(signal, options.improvement),
      });
    });
  }

  const latest = segments[segments.length - 1] as SpcSegment;
  const assurance =
    latest.trial && !ruleSet.rulesOnTrialLimits
      ? null
      : assuranceOf(latest, target, options.improvement, ruleSet.assuranceIncludesLimit);
  return {
    rules: ruleSet.name,
    improvement: options.improvement,
    target,
    screenOutliers,
    points,
    segments,
    trial: latest.trial,
    assurance,
    variationIcon: variationIcon(points[points.length - 1]),
    assuranceIcon: assuranceIcon(assurance),
  };
}
