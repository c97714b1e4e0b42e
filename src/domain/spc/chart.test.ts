import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assuranceOf, type SpcChart, xmrChart } from './chart.js';
import { PTD_AE_ATTENDANCES, PTD_AE_PERFORMANCE, PTD_RNORM_20 } from './reference-data.js';
import type { ImprovementDirection } from './xmr.js';

const code = (chart: SpcChart) =>
  chart.points
    .map((p) => ({ common: 'c', improvement: 'I', concern: 'X', neutral: 'N' })[p.variation])
    .join('');

describe('xmrChart reproduces NHSRplotthedots', () => {
  // tests/testthat/test-integration_tests.R "ae_all performance spc returns expected values",
  // ptd_spc(ae_all(), performance, period, fix_after_n_points = 12): the point types serialised in
  // _snaps/integration_tests.md, month by month (c common cause, I improvement, X concern).
  it('classifies every month of ae_all performance as ptd does', () => {
    const chart = xmrChart(PTD_AE_PERFORMANCE, { improvement: 'increase', fixAfter: 12 });
    expect(code(chart)).toBe('cccccccccXcIIIIIIIIcXXXXcccccXXXXXXX');
    expect(chart.points.map((p) => p.special[0]).join('')).toBe('nnnnnnnnnonssssssssnoooonnnnnssssoos');
    expect(chart.points[0]?.mean).toBeCloseTo(0.8908915564349236, 14);
    expect(chart.trial).toBe(false);
    expect(chart.variationIcon.key).toBe('concern-low');
  });

  // "ae_all attendances spc with rebase returns expected values": rebase = 2017-04-01, the 13th month.
  it('recalculates the ae_all attendances limits from the rebase', () => {
    const chart = xmrChart(PTD_AE_ATTENDANCES, { improvement: 'increase', rebase: [12] });
    const [first, second] = chart.segments;
    expect(first?.mean).toBeCloseTo(1946858.4166666667, 8);
    expect(first?.lpl).toBeCloseTo(1639947.374848485, 8);
    expect(first?.upl).toBeCloseTo(2253769.4584848485, 8);
    expect(second?.mean).toBeCloseTo(2027379.2083333333, 8);
    expect(second?.lpl).toBeCloseTo(1772921.0639855072, 8);
    expect(second?.upl).toBeCloseTo(2281837.3526811595, 8);
    expect(chart.points[11]?.upl).toBe(first?.upl);
    expect(chart.points[12]?.upl).toBe(second?.upl);
    expect(chart.points.every((p) => p.special === 'none')).toBe(true);
    // 12 points before the rebase: fewer than 13, so trial limits there.
    expect([first?.trial, second?.trial]).toEqual([true, false]);
  });

  // tests/testthat/_snaps/ptd_spc.md: summary by facet of rnorm(20) in two halves of 10, printed to
  // three significant figures: 0.0746 (-2.60, 2.75) and 0.209 (-3.28, 3.70).
  it('gives each half of rnorm(20) the limits ptd prints for its facets', () => {
    const chart = xmrChart(PTD_RNORM_20, { improvement: 'increase', rebase: [10] });
    const [a, b] = chart.segments;
    expect(a?.mean).toBeCloseTo(0.0746, 4);
    expect(a?.lpl).toBeCloseTo(-2.6, 2);
    expect(a?.upl).toBeCloseTo(2.75, 2);
    expect(b?.mean).toBeCloseTo(0.209, 3);
    expect(b?.lpl).toBeCloseTo(-3.28, 2);
    expect(b?.upl).toBeCloseTo(3.7, 2);
    expect(chart.trial).toBe(true);
  });
});

describe('assuranceOf (tests/testthat/test-ptd_calculate_assurance_type.R)', () => {
  const cases = [
    { lpl: 1, upl: 3 },
    { lpl: 5, upl: 7 },
    { lpl: 1, upl: 5 },
  ];
  it.each([
    ['increase', ['fail', 'pass', 'inconsistent']],
    ['decrease', ['pass', 'fail', 'inconsistent']],
    ['neutral', [null, null, null]],
  ] as const)('against a target of 4 when improvement is %s', (improvement, expected) => {
    expect(cases.map((limits) => assuranceOf(limits, 4, improvement))).toEqual(expected);
  });

  it('has none without a target', () => {
    expect(assuranceOf({ lpl: 1, upl: 3 }, null, 'increase')).toBeNull();
  });

  it('counts a target on a limit as inconsistent under ptd and as beyond it under NHS England rules', () => {
    expect(assuranceOf({ lpl: 1, upl: 4 }, 4, 'increase')).toBe('inconsistent');
    expect(assuranceOf({ lpl: 1, upl: 4 }, 4, 'increase', true)).toBe('fail');
    expect(assuranceOf({ lpl: 4, upl: 9 }, 4, 'increase', true)).toBe('pass');
  });

  it('uses the latest limits when rebased (the r1/r2/r3 case)', () => {
    const values = [
      ...Array.from({ length: 13 }, (_, i) => 1 + (i % 2)),
      ...Array.from({ length: 13 }, (_, i) => 6 + 0.5 * (i % 2)),
    ];
    const chart = xmrChart(values, { improvement: 'decrease', target: 4, rebase: [13] });
    expect(chart.segments[1]?.lpl).toBeGreaterThan(4);
    expect(chart.assurance).toBe('fail');
    expect(chart.assuranceIcon?.key).toBe('fail');
    expect(xmrChart(values, { improvement: 'decrease', target: 4 }).assurance).toBe('inconsistent');
  });
});

describe('xmrChart', () => {
  it('applies the 2024 rules: six-point runs, no screening', () => {
    const values = [5, 4, 6, 5, 4, 6, 5, 4, 6, 5, 7, 7.5, 8, 7, 7.2, 6.5, 5, 4];
    const ptd = xmrChart(values, { improvement: 'increase' });
    const nhse = xmrChart(values, { improvement: 'increase', rules: 'nhse2024' });
    expect(ptd.screenOutliers).toBe(true);
    expect(nhse.screenOutliers).toBe(false);
    // Six points (10 to 15) above the mean: a shift under the 2024 rules, not under ptd's seven.
    expect(nhse.points.slice(10, 16).every((p) => p.special !== 'none')).toBe(true);
    expect(ptd.points.slice(10, 16).some((p) => p.special === 'shift')).toBe(false);
  });

  it('tests no point and gives no assurance on trial limits under the 2024 rules, but does under ptd', () => {
    const values = [1, 1.2, 1, 1.2, 1, 1.2, 1, 2, 2.2, 2, 2.2, 2];
    const nhse = xmrChart(values, { improvement: 'increase', rules: 'nhse2024', target: 0 });
    expect(nhse.trial).toBe(true);
    expect(nhse.points.every((p) => p.special === 'none' && p.variation === 'common')).toBe(true);
    expect(nhse.assurance).toBeNull();
    const ptd = xmrChart(values, { improvement: 'increase', target: 0 });
    expect(ptd.trial).toBe(true);
    expect(ptd.points.some((p) => p.special === 'shift')).toBe(true);
    expect(ptd.assurance).not.toBeNull();
  });

  it('lets screening be turned off under ptd', () => {
    const values = PTD_RNORM_20.map((v, i) => (i === 14 ? 10 : v));
    expect(xmrChart(values, { improvement: 'increase', screenOutliers: false }).segments[0]?.upl).toBeCloseTo(
      5.935457,
      6,
    );
  });

  it('gives each point its moving range within its segment', () => {
    const chart = xmrChart([1, 3, 2, 8, 9, 7], { improvement: 'neutral', rebase: [3] });
    expect(chart.points.map((p) => p.movingRange)).toEqual([null, 2, 1, null, 1, 2]);
    expect(chart.points.map((p) => p.segment)).toEqual([0, 0, 0, 1, 1, 1]);
  });

  it.each([
    [[1], {}, /values: .*at least 2/],
    [[1, Number.NaN], {}, /values\.1/],
    [[1, 2, 3], { rules: 'shewhart' }, /rules: unknown rule set "shewhart"/],
    [[1, 2, 3], { fixAfter: 12 }, /fixAfter/],
    [Array.from({ length: 20 }, (_, i) => i), { fixAfter: 11 }, /fixAfter/],
    [Array.from({ length: 20 }, (_, i) => i), { fixAfter: 12.5 }, /fixAfter/],
    [[1, 2, 3, 4], { rebase: [0] }, /rebase: 0/],
    [[1, 2, 3, 4], { rebase: [3] }, /rebase: the segment starting at 3/],
    [[1, 2, 3, 4], { target: Number.POSITIVE_INFINITY }, /target/],
  ])('refuses %o with %o, naming the field', (values, options, message) => {
    expect(() => xmrChart(values, { improvement: 'increase', ...(options as object) })).toThrow(message);
  });

  const value = fc.integer({ min: -1000, max: 1000 });
  const series = fc.array(value, { minLength: 2, maxLength: 40 });
  const improvement = fc.constantFrom<ImprovementDirection>('increase', 'decrease', 'neutral');
  const rules = fc.constantFrom('ptd' as const, 'nhse2024' as const);
  const flip = { increase: 'decrease', decrease: 'increase', neutral: 'neutral' } as const;

  it('finds the same causes in a mirrored series with improvement flipped', () => {
    fc.assert(
      fc.property(series, improvement, rules, (values, direction, ruleSet) => {
        // ptd reads a flat step where a rising trend meets a falling one as falling, whichever
        // way up the chart is; that one case is not symmetric.
        fc.pre(values.every((v, i) => i === 0 || v !== values[i - 1]));
        const chart = xmrChart(values, { improvement: direction, rules: ruleSet });
        const mirror = xmrChart(
          values.map((v) => -v),
          { improvement: flip[direction], rules: ruleSet },
        );
        expect(mirror.points.map((p) => p.special)).toEqual(chart.points.map((p) => p.special));
        expect(mirror.points.map((p) => p.variation)).toEqual(chart.points.map((p) => p.variation));
        expect(mirror.points.map((p) => p.side)).toEqual(
          chart.points.map((p) => (p.side === null ? null : p.side === 'high' ? 'low' : 'high')),
        );
      }),
    );
  });

  it('finds the same causes after a constant is added, when no value sits on a line', () => {
    fc.assert(
      fc.property(series, value, rules, (values, c, ruleSet) => {
        const chart = xmrChart(values, { improvement: 'increase', rules: ruleSet });
        const lines = chart.segments.flatMap((s) => [s.mean, s.lpl, s.upl, s.lowerTwoSigma, s.upperTwoSigma]);
        // Floating-point rounding may put a value exactly on a line on either side of it.
        fc.pre(values.every((v) => lines.every((line) => Math.abs(v - line) > 1e-6)));
        const moved = xmrChart(
          values.map((v) => v + c),
          { improvement: 'increase', rules: ruleSet },
        );
        expect(moved.points.map((p) => p.special)).toEqual(chart.points.map((p) => p.special));
        expect(moved.assurance).toBe(chart.assurance);
      }),
    );
  });

  it('gives every value one point, and special causes only with a side', () => {
    fc.assert(
      fc.property(series, improvement, rules, (values, direction, ruleSet) => {
        const chart = xmrChart(values, { improvement: direction, rules: ruleSet });
        expect(chart.points.map((p) => p.value)).toEqual(values);
        for (const p of chart.points) expect(p.special === 'none').toBe(p.side === null);
        for (const p of chart.points) expect(p.variation === 'common').toBe(p.special === 'none');
      }),
    );
  });
});
