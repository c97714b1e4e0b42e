import type { ImprovementDirection, SpcRuleSet, XmrLimits } from './xmr.js';

/**
 * The four Making Data Count special-cause rules, applied to the points of one segment as
 * NHSRplotthedots applies them (R/ptd_calculate_point_type.R): a point beyond a process limit; a
 * run of points all on one side of the mean (a shift); a run of points each higher, or each lower,
 * than the one before (a trend); and two of three points in a row beyond the same two-sigma line,
 * all three on the same side of the mean. Every point of a qualifying run is flagged, not only
 * the last.
 */

export type SpecialCause = 'none' | 'outside' | 'trend' | 'twoInThree' | 'shift';

export type Variation = 'common' | 'improvement' | 'concern' | 'neutral';

/** Which way a special cause points: above the mean or rising, or below it or falling. */
export type SignalSide = 'high' | 'low';

export interface PointSignal {
  special: SpecialCause;
  /** null when there is no special cause. */
  side: SignalSide | null;
}

/**
 * When several rules flag a point, one is reported, in NHSRplotthedots' order
 * (`ptd_special_cause_type`): outside the limits, then trend, then two in three, then shift. The
 * order decides the side too: a point in a falling trend that is still above the mean reads as a
 * falling (low) signal.
 */
export const SPECIAL_CAUSE_PRECEDENCE: readonly Exclude<SpecialCause, 'none'>[] = [
  'outside',
  'trend',
  'twoInThree',
  'shift',
];

const sign = (x: number): -1 | 0 | 1 => (x > 0 ? 1 : x < 0 ? -1 : 0);

/** Marks every point of each window of `length` points that ends at a flagged point. */
function spreadBack(ends: readonly boolean[], length: number): boolean[] {
  return ends.map((_, i) => ends.slice(i, i + length).some(Boolean));
}

/** Points that belong to a run of `length` or more all on one side of the mean; a point on the mean breaks a run. */
export function shiftPoints(sides: readonly (-1 | 0 | 1)[], length: number): boolean[] {
  const ends = sides.map(
    (side, i) => side !== 0 && i >= length - 1 && sides.slice(i - length + 1, i).every((s) => s === side),
  );
  return spreadBack(ends, length);
}

/**
 * Points that belong to a run of `length` or more each strictly higher (or each strictly lower)
 * than the one before; a repeated value breaks a trend, as in ptd.
 */
export function trendPoints(values: readonly number[], length: number): boolean[] {
  const steps = values.map((v, i) => (i === 0 ? 0 : sign(v - (values[i - 1] as number))));
  const ends = values.map((_, i) => {
    if (i < length - 1) return false;
    const window = steps.slice(i - length + 2, i + 1);
    return window.every((s) => s === 1) || window.every((s) => s === -1);
  });
  return spreadBack(ends, length);
}

/**
 * Points beyond two sigma that, with another such point, make two of three points in a row beyond
 * two sigma with all three on the same side of the mean. Only the points beyond two sigma are
 * flagged, not the third point of the window (ptd `ptd_part_of_two_in_three`).
 */
export function twoInThreePoints(
  beyondTwoSigma: readonly boolean[],
  sides: readonly (-1 | 0 | 1)[],
): boolean[] {
  const windowFlagged = beyondTwoSigma.map((_, start) => {
    if (start + 3 > beyondTwoSigma.length) return false;
    const count = beyondTwoSigma.slice(start, start + 3).filter(Boolean).length;
    const sideSum = sides.slice(start, start + 3).reduce<number>((sum, s) => sum + s, 0);
    return count >= 2 && Math.abs(sideSum) === 3;
  });
  return beyondTwoSigma.map(
    (beyond, i) => beyond && [i - 2, i - 1, i].some((start) => start >= 0 && windowFlagged[start]),
  );
}

/** The special cause (if any) of each point of one segment, judged against that segment's limits. */
export function detectSpecialCauses(
  values: readonly number[],
  limits: XmrLimits,
  ruleSet: SpcRuleSet,
): PointSignal[] {
  const sides = values.map((v) => sign(v - limits.mean));
  const outside = values.map((v) => v > limits.upl || v < limits.lpl);
  const beyondTwoSigma = values.map(
    (v, i) =>
      (ruleSet.twoInThreeCountsOutside || !outside[i]) &&
      (v > limits.upperTwoSigma || v < limits.lowerTwoSigma),
  );
  const inShift = shiftPoints(sides, ruleSet.shiftPoints);
  const inTrend = trendPoints(values, ruleSet.trendPoints);
  const inTwoInThree = twoInThreePoints(beyondTwoSigma, sides);
  const sideOfMean = (i: number): SignalSide => ((sides[i] as number) > 0 ? 'high' : 'low');

  return values.map((value, i): PointSignal => {
    if (outside[i]) return { special: 'outside', side: sideOfMean(i) };
    if (inTrend[i]) {
      // The direction of the trend this point belongs to: the step after it when the next point is
      // in the trend too, else the step into it (ptd's `sdy`), so a point where a rise turns into a
      // fall takes the direction of the run that continues.
      const next = values[i + 1];
      const step =
        next !== undefined && inTrend[i + 1]
          ? sign(next - value)
          : i > 0
            ? sign(value - (values[i - 1] as number))
            : 0;
      return { special: 'trend', side: step === 1 ? 'high' : 'low' };
    }
    if (inTwoInThree[i]) return { special: 'twoInThree', side: sideOfMean(i) };
    if (inShift[i]) return { special: 'shift', side: sideOfMean(i) };
    return { special: 'none', side: null };
  });
}

/**
 * Whether a signal is good news: improvement when it points the way improvement lies, concern when
 * it points the other way, neutral when neither way is better.
 */
export function variationOf(signal: PointSignal, improvement: ImprovementDirection): Variation {
  if (signal.special === 'none' || signal.side === null) return 'common';
  if (improvement === 'neutral') return 'neutral';
  const good: SignalSide = improvement === 'increase' ? 'high' : 'low';
  return signal.side === good ? 'improvement' : 'concern';
}
