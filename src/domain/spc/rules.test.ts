import { describe, expect, it } from 'vitest';
import {
  detectSpecialCauses,
  SPECIAL_CAUSE_PRECEDENCE,
  shiftPoints,
  trendPoints,
  twoInThreePoints,
  variationOf,
} from './rules.js';
import { SPC_RULE_SETS, xmrLimits } from './xmr.js';

const flags = (xs: readonly boolean[]) => xs.map((x) => (x ? 1 : 0));
const ones = (n: number) => Array.from({ length: n }, () => 1 as const);
const minusOnes = (n: number) => Array.from({ length: n }, () => -1 as const);
const range = (from: number, to: number) =>
  Array.from({ length: Math.abs(to - from) + 1 }, (_, i) => (to >= from ? from + i : from - i));

// The cases of tests/testthat/test-ptd_calculate_point_type.R (NHSRplotthedots), run through
// ptd's two steps at once: find the run ends, then mark every point of each run.
describe('shift: 7 points on one side of the mean (ptd_seven_point_one_side_mean)', () => {
  it('needs seven', () => {
    expect(flags(shiftPoints([], 7))).toEqual([]);
    expect(flags(shiftPoints(ones(6), 7))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(flags(shiftPoints([...ones(6), -1], 7))).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });

  it('marks every point of a run of eight, above or below', () => {
    expect(flags(shiftPoints([...ones(8), -1], 7))).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 0]);
    expect(flags(shiftPoints([...minusOnes(8), 1], 7))).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 0]);
  });

  it('is broken by a point on the mean', () => {
    expect(flags(shiftPoints([1, 1, 1, 0, 1, 1, 1, 1], 7))).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('takes six under the 2024 rules', () => {
    expect(flags(shiftPoints([-1, ...ones(6)], SPC_RULE_SETS.nhse2024.shiftPoints))).toEqual([
      0, 1, 1, 1, 1, 1, 1,
    ]);
  });
});

describe('trend: 7 points each higher or each lower (ptd_seven_point_trend)', () => {
  it('needs seven, and a repeated value breaks it', () => {
    expect(flags(trendPoints([], 7))).toEqual([]);
    expect(flags(trendPoints(range(1, 6), 7))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(flags(trendPoints([1, 2, 3, 3, 4, 5, 6], 7))).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });

  it('finds rising and falling runs', () => {
    expect(flags(trendPoints(range(1, 7), 7))).toEqual([1, 1, 1, 1, 1, 1, 1]);
    expect(flags(trendPoints([2, ...range(1, 7), 3], 7))).toEqual([0, 1, 1, 1, 1, 1, 1, 1, 0]);
    expect(flags(trendPoints(range(7, 1), 7))).toEqual([1, 1, 1, 1, 1, 1, 1]);
    expect(flags(trendPoints([2, ...range(7, 1), 3], 7))).toEqual([0, 1, 1, 1, 1, 1, 1, 1, 0]);
  });
});

describe('two of three beyond two sigma (ptd_two_in_three, ptd_part_of_two_in_three)', () => {
  const b = (xs: number[]) => xs.map((x) => x === 1);

  it('marks only the points beyond two sigma, when all three are on one side', () => {
    const same = (n: number) => ones(n);
    expect(flags(twoInThreePoints([], []))).toEqual([]);
    expect(flags(twoInThreePoints(b([1, 0, 1]), same(3)))).toEqual([1, 0, 1]);
    expect(flags(twoInThreePoints(b([0, 1, 1]), same(3)))).toEqual([0, 1, 1]);
    expect(flags(twoInThreePoints(b([1, 1, 0]), same(3)))).toEqual([1, 1, 0]);
    expect(flags(twoInThreePoints(b([0, 0, 1, 0, 1, 0, 0]), same(7)))).toEqual([0, 0, 1, 0, 1, 0, 0]);
    expect(flags(twoInThreePoints(b([0, 0, 1, 1, 0, 0, 0]), same(7)))).toEqual([0, 0, 1, 1, 0, 0, 0]);
    expect(flags(twoInThreePoints(b([1, 0, 0, 1]), same(4)))).toEqual([0, 0, 0, 0]);
    expect(flags(twoInThreePoints(b([1, 0, 0, 1, 1]), same(5)))).toEqual([0, 0, 0, 1, 1]);
  });

  it('marks nothing when the three straddle the mean', () => {
    expect(flags(twoInThreePoints(b([1, 0, 1]), [1, -1, 1]))).toEqual([0, 0, 0]);
    expect(flags(twoInThreePoints(b([0, 1, 1]), [1, -1, 1]))).toEqual([0, 0, 0]);
    expect(flags(twoInThreePoints(b([1, 1, 0]), [1, -1, 1]))).toEqual([0, 0, 0]);
    expect(flags(twoInThreePoints(b([0, 0, 1, 0, 1, 0, 0]), [1, -1, 1, -1, 1, -1, 1]))).toEqual([
      0, 0, 0, 0, 0, 0, 0,
    ]);
    expect(flags(twoInThreePoints(b([0, 0, 1, 1, 0, 0, 0]), [-1, 1, -1, 1, -1, 1, -1]))).toEqual([
      0, 0, 0, 0, 0, 0, 0,
    ]);
  });
});

describe('detectSpecialCauses', () => {
  // test-ptd_spc_standard.R "it only reports special cause for 2of3 points close to limits when
  // they are on the same side of the mean".
  it('does not count two points near opposite limits', () => {
    const values: number[] = Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? 1 : -1));
    values[14] = 5.5;
    values[15] = -5.5;
    const signals = detectSpecialCauses(
      values,
      xmrLimits(values, { screenOutliers: true }),
      SPC_RULE_SETS.ptd,
    );
    expect(signals.slice(-2).map((s) => s.special)).toEqual(['none', 'none']);
  });

  // The rule as the Making Data Count team changed it (NHSRplotthedots issue #194): a point beyond
  // two sigma followed by one beyond the limit is two of three under the 2024 rules, not under ptd.
  it('counts points beyond the limits towards two of three only under the 2024 rules', () => {
    const limits = { ...xmrLimits([0, 1], { screenOutliers: false }), mean: 0, lpl: -3, upl: 3 };
    const withSigma = { ...limits, lowerTwoSigma: -2, upperTwoSigma: 2, lowerOneSigma: -1, upperOneSigma: 1 };
    const values = [0.5, -0.5, 2.5, 3.5, 0.5, -0.5];
    const ptd = detectSpecialCauses(values, withSigma, SPC_RULE_SETS.ptd).map((s) => s.special);
    const nhse = detectSpecialCauses(values, withSigma, SPC_RULE_SETS.nhse2024).map((s) => s.special);
    expect(ptd).toEqual(['none', 'none', 'none', 'outside', 'none', 'none']);
    expect(nhse).toEqual(['none', 'none', 'twoInThree', 'outside', 'none', 'none']);
  });

  it('reports one cause per point: outside, then trend, then two in three, then shift', () => {
    expect(SPECIAL_CAUSE_PRECEDENCE).toEqual(['outside', 'trend', 'twoInThree', 'shift']);
    const limits = {
      ...xmrLimits([0, 1], { screenOutliers: false }),
      mean: 0,
      lpl: -30,
      upl: 30,
      lowerTwoSigma: -20,
      upperTwoSigma: 20,
    };
    // Seven rising points above the mean, the last beyond the limit: a shift and a trend at once.
    const values = [1, 2, 3, 4, 5, 6, 31, -1];
    const signals = detectSpecialCauses(values, limits, SPC_RULE_SETS.ptd);
    expect(signals.map((s) => s.special)).toEqual([
      'trend',
      'trend',
      'trend',
      'trend',
      'trend',
      'trend',
      'outside',
      'none',
    ]);
    expect(signals[0]?.side).toBe('high');
  });

  it('gives a trend point the direction of the trend, not its side of the mean', () => {
    const limits = { ...xmrLimits([0, 1], { screenOutliers: false }), mean: 0, lpl: -30, upl: 30 };
    const falling = [6, 5, 4, 3, 2, 1, 0.5];
    const signals = detectSpecialCauses(
      falling,
      { ...limits, lowerTwoSigma: -20, upperTwoSigma: 20 },
      SPC_RULE_SETS.ptd,
    );
    expect(signals.map((s) => `${s.special}:${s.side}`)).toEqual(
      Array.from({ length: 7 }, () => 'trend:low'),
    );
  });
});

describe('variationOf', () => {
  it('reads a signal against the direction of improvement', () => {
    expect(variationOf({ special: 'none', side: null }, 'increase')).toBe('common');
    expect(variationOf({ special: 'shift', side: 'high' }, 'increase')).toBe('improvement');
    expect(variationOf({ special: 'shift', side: 'high' }, 'decrease')).toBe('concern');
    expect(variationOf({ special: 'outside', side: 'low' }, 'decrease')).toBe('improvement');
    expect(variationOf({ special: 'trend', side: 'low' }, 'neutral')).toBe('neutral');
  });
});
