import { describe, expect, it } from 'vitest';
import { funnelCurves, funnelLimitsAt, funnelPlot, outsideLimits } from './funnel-plot.js';
import { poissonRatioLimits } from './limits.js';

// FunnelPlotR's test data set (tests/testthat/test-funnel_plot.R and test-classes_methods.R):
// six units, observed and expected counts.
const OBSERVED = [100, 150, 180, 80, 120, 225];
const EXPECTED = [108, 112, 165, 95, 100, 220];
const SR_UNITS = OBSERVED.map((numerator, i) => ({
  id: 'abcdef'[i] as string,
  numerator,
  denominator: EXPECTED[i] as number,
}));

// A proportions data set of our own; the expected values below were computed independently (in
// Python, from the formulas in FunnelPlotR R/od_adjustment.R and R/calculate_limits.R).
const PR_NUMERATORS = [12, 30, 45, 8, 60, 20, 90, 15];
const PR_DENOMINATORS = [100, 150, 200, 60, 240, 130, 300, 50];
const PR_UNITS = PR_NUMERATORS.map((numerator, i) => ({
  id: `team-${i + 1}`,
  numerator,
  denominator: PR_DENOMINATORS[i] as number,
}));

describe('funnelPlot: standardised ratios', () => {
  it('reproduces FunnelPlotR’s published φ = 2.948033 (SHMI method, 10% truncation)', () => {
    // tests/testthat/test-classes_methods.R: expect_equal(round(phi.funnelplot(a), 6), 2.948033)
    const plot = funnelPlot(SR_UNITS, { type: 'sr', overdispersion: true, srMethod: 'shmi' });
    expect(Math.round((plot.phi as number) * 1e6) / 1e6).toBe(2.948033);
    expect(plot.adjusted).toBe(true);
    expect(plot.tau2).toBeCloseTo(0.01947753057802157, 12);
    // SHMI limits at E = 100: exp(±z√(1/100 + τ²))
    const e = plot.units[4];
    expect(e?.limits['95'][0]).toBeCloseTo(0.7142611397126696, 9);
    expect(e?.limits['95'][1]).toBeCloseTo(1.4000481678203527, 9);
    expect(e?.limits['99.8'][1]).toBeCloseTo(1.699888490193579, 9);
  });

  it('without overdispersion uses exact Poisson limits around 1, at each unit’s expected count', () => {
    const plot = funnelPlot(SR_UNITS, { type: 'sr', overdispersion: false });
    expect(plot).toMatchObject({ target: 1, phi: 1, tau2: 0, adjusted: false, estimatedPhi: null });
    plot.units.forEach((unit, i) => {
      expect(unit.value).toBe((OBSERVED[i] as number) / (EXPECTED[i] as number));
      expect(unit.limits['95']).toEqual(poissonRatioLimits(EXPECTED[i] as number, '95'));
      expect(unit.limits['99.8']).toEqual(poissonRatioLimits(EXPECTED[i] as number, '99.8'));
    });
    // b: 150/112 = 1.339 is above the 99.8% Poisson limit at 112; e: 120/100 = 1.2 is just under
    // the 95% upper limit at 100 (SciPy: chi2.ppf(0.975, 202) / 200 = 1.2162679379242638).
    expect(plot.units[4]?.limits['95'][1]).toBeCloseTo(1.2162679379242638, 12);
    expect(plot.units.map((u) => u.outside)).toEqual(['none', '99.8', 'none', 'none', 'none', 'none']);
  });

  it('with overdispersion (Spiegelhalter/CQC, Winsorised) widens the limits by τ²', () => {
    const plot = funnelPlot(SR_UNITS, { type: 'sr', overdispersion: true });
    expect(plot.srMethod).toBe('cqc');
    expect(plot.phi).toBeCloseTo(2.327178257594119, 12);
    expect(plot.tau2).toBeCloseTo(0.0034397801541862735, 12);
    const b = plot.units[1];
    expect(b?.limits['95'][0]).toBeCloseTo(0.7265701754938246, 9);
    expect(b?.limits['95'][1]).toBeCloseTo(1.3170067418705118, 9);
    expect(b?.limits['99.8'][0]).toBeCloseTo(0.5887000272436306, 9);
    expect(b?.limits['99.8'][1]).toBeCloseTo(1.5196284353940548, 9);
    expect(b?.outside).toBe('95');
    // FunnelPlotR's own check: the unadjusted 95% lower limit of unit e is above the adjusted one.
    const unadjusted = funnelPlot(SR_UNITS, { type: 'sr', overdispersion: false });
    expect(unadjusted.units[4]?.limits['95'][0]).toBeGreaterThan(plot.units[4]?.limits['95'][0] as number);
  });

  it('refuses an observed count of 0 into the SHMI log-scale estimate, naming the unit', () => {
    const units = [...SR_UNITS.slice(0, 5), { id: 'z', numerator: 0, denominator: 10 }];
    expect(() => funnelPlot(units, { type: 'sr', overdispersion: true, srMethod: 'shmi' })).toThrow(
      /units\.5\.numerator/,
    );
    expect(funnelPlot(units, { type: 'sr', overdispersion: true }).units[5]?.outside).toBe('99.8');
  });
});

describe('funnelPlot: proportions', () => {
  it('centres on the pooled proportion with arcsine limits at each denominator', () => {
    const plot = funnelPlot(PR_UNITS, { type: 'proportion', overdispersion: false });
    expect(plot.target).toBeCloseTo(280 / 1230, 15);
    const first = plot.units[0];
    expect(first?.limits['95'][0]).toBeCloseTo(0.15119862787806276, 12);
    expect(first?.limits['95'][1]).toBeCloseTo(0.31451498487081286, 12);
    expect(first?.limits['99.8'][0]).toBeCloseTo(0.11301939319050086, 12);
    expect(first?.limits['99.8'][1]).toBeCloseTo(0.368067738022808, 12);
    expect(first?.zScore).toBeCloseTo(-2.8726334813150114, 12);
    expect(plot.units.map((u) => u.outside)).toEqual([
      '95',
      'none',
      'none',
      'none',
      'none',
      '95',
      '95',
      'none',
    ]);
  });

  it('with overdispersion reports φ and τ² and widens the limits', () => {
    const plot = funnelPlot(PR_UNITS, { type: 'proportion', overdispersion: true });
    expect(plot.phi).toBeCloseTo(2.4232633659248504, 12);
    expect(plot.tau2).toBeCloseTo(0.0029994706884352907, 12);
    const last = plot.units[7];
    expect(last?.limits['95'][0]).toBeCloseTo(0.10019449415099926, 12);
    expect(last?.limits['95'][1]).toBeCloseTo(0.388226356451897, 12);
    expect(last?.limits['99.8'][0]).toBeCloseTo(0.04804401623456248, 12);
    expect(last?.limits['99.8'][1]).toBeCloseTo(0.4883658027875894, 12);
    expect(plot.units.map((u) => u.outside)).toEqual([
      'none',
      'none',
      'none',
      'none',
      'none',
      'none',
      'none',
      'none',
    ]);
  });

  it('reports φ = 1 and τ² = 0 when the units are no more dispersed than chance (φ ≤ 1)', () => {
    const units = [
      { id: 'a', numerator: 50, denominator: 100 },
      { id: 'b', numerator: 52, denominator: 100 },
      { id: 'c', numerator: 48, denominator: 100 },
    ];
    const plot = funnelPlot(units, { type: 'proportion', overdispersion: true });
    expect(plot).toMatchObject({ phi: 1, tau2: 0, adjusted: false });
    expect(plot.estimatedPhi).toBeGreaterThan(0);
    expect(plot.estimatedPhi).toBeLessThanOrEqual(1);
    expect(plot.units[0]?.limits).toEqual(
      funnelPlot(units, { type: 'proportion', overdispersion: false }).units[0]?.limits,
    );
  });

  it('cannot estimate overdispersion from one unit, and says so with a null estimate', () => {
    const plot = funnelPlot([{ id: 'a', numerator: 5, denominator: 10 }], {
      type: 'proportion',
      overdispersion: true,
    });
    expect(plot).toMatchObject({ phi: 1, tau2: 0, estimatedPhi: null, target: 0.5 });
  });
});

describe('outsideLimits', () => {
  // FunnelPlotR tests/testthat/test-outliers_func.R: ten ratios against fixed limits; a point on a
  // limit is inside. There, 95% limits 0.9–1.1 / 99.8% 0.59–1.41, and adjusted 0.79–1.21 / 0.38–1.62.
  const rr = [1, 0.95, 1.05, 0.8, 1.2, 0.6, 1.4, 0.4, 1.6, 0];
  it('marks the same outliers as FunnelPlotR, unadjusted', () => {
    const limits = { '95': [0.9, 1.1], '99.8': [0.59, 1.41] } as const;
    expect(rr.map((v) => outsideLimits(v, limits))).toEqual([
      ...['none', 'none', 'none'],
      ...['95', '95', '95', '95'],
      ...['99.8', '99.8', '99.8'],
    ]);
  });
  it('marks the same outliers as FunnelPlotR, adjusted', () => {
    const limits = { '95': [0.79, 1.21], '99.8': [0.38, 1.62] } as const;
    expect(rr.map((v) => outsideLimits(v, limits))).toEqual([
      ...['none', 'none', 'none', 'none', 'none'],
      ...['95', '95', '95', '95'],
      '99.8',
    ]);
  });
});

describe('refusing bad units, naming the field', () => {
  const plot =
    (
      units: { id: string; numerator: number; denominator: number }[],
      type: 'sr' | 'proportion' = 'proportion',
    ) =>
    () =>
      funnelPlot(units, { type, overdispersion: false });
  it.each([
    [[], /^units: /],
    [[{ id: 'a', numerator: -1, denominator: 5 }], /^units\.0\.numerator: /],
    [[{ id: 'a', numerator: 1, denominator: 0 }], /^units\.0\.denominator: /],
    [[{ id: 'a', numerator: 1, denominator: -3 }], /^units\.0\.denominator: /],
    [[{ id: 'a', numerator: 6, denominator: 5 }], /^units\.0\.numerator: .*more than its denominator/],
    [
      [
        { id: 'a', numerator: 1, denominator: 5 },
        { id: 'a', numerator: 1, denominator: 5 },
      ],
      /^units\.1\.id: "a"/,
    ],
    [[{ id: ' ', numerator: 1, denominator: 5 }], /^units\.0\.id: /],
    [[{ id: 'a', numerator: Number.NaN, denominator: 5 }], /^units\.0\.numerator: /],
  ])('%j', (units, message) => {
    expect(plot(units)).toThrow(RangeError);
    expect(plot(units)).toThrow(message);
  });

  it('lets a standardised ratio’s observed count exceed its expected count', () => {
    expect(plot([{ id: 'a', numerator: 6, denominator: 5 }], 'sr')).not.toThrow();
  });
});

describe('funnelCurves', () => {
  const plot = funnelPlot(PR_UNITS, { type: 'proportion', overdispersion: true });

  it('draws the limits from FunnelPlotR’s start (3 for proportions) to the largest denominator', () => {
    const curves = funnelCurves(plot, { points: 50 });
    expect(curves[0]?.denominator).toBe(3);
    expect(curves.at(-1)?.denominator).toBe(300);
    // the grid plus each unit's denominator that is not already on it
    expect(curves.length).toBeGreaterThanOrEqual(50);
    for (const unit of plot.units) {
      expect(curves.find((c) => c.denominator === unit.denominator)?.limits).toEqual(unit.limits);
    }
  });

  it('gives funnel-shaped limits: the band narrows as the denominator grows', () => {
    const curves = funnelCurves(plot, { from: 10, to: 1000, points: 100 });
    for (let k = 1; k < curves.length; k++) {
      const [previous, current] = [curves[k - 1], curves[k]];
      expect(current?.limits['99.8'][0]).toBeGreaterThanOrEqual(previous?.limits['99.8'][0] as number);
      expect(current?.limits['99.8'][1]).toBeLessThanOrEqual(previous?.limits['99.8'][1] as number);
    }
  });

  it('matches funnelLimitsAt at every drawn denominator, for ratios too', () => {
    const sr = funnelPlot(SR_UNITS, { type: 'sr', overdispersion: false });
    const curves = funnelCurves(sr, { points: 10 });
    expect(curves[0]?.denominator).toBe(1.1);
    for (const point of curves) expect(point.limits).toEqual(funnelLimitsAt(sr, point.denominator));
  });

  it('refuses a range that is not one', () => {
    expect(() => funnelCurves(plot, { from: 10, to: 5 })).toThrow(/^to: /);
    expect(() => funnelCurves(plot, { from: 0 })).toThrow(/^from: /);
    expect(() => funnelCurves(plot, { points: 1 })).toThrow(/^points: /);
  });
});
