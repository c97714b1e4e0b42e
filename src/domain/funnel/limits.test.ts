import { describe, expect, it } from 'vitest';
import { standardNormalQuantile } from './distributions.js';
import {
  ARCSINE_SCALE,
  LOG_SCALE,
  poissonRatioLimits,
  SQUARE_ROOT_SCALE,
  transformedScaleLimits,
} from './limits.js';

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

describe('poissonRatioLimits', () => {
  // FunnelPlotR tests/testthat/test-poisson_limits.R (nhs-r-community/FunnelPlotR; the same in the
  // CRAN release 0.6.0): unadjusted SR limits at expected counts 15, 20 and 30, rounded as there.
  const expected = [15, 20, 30];
  it.each([
    ['95', 0, 7, [0.5596924, 0.610826, 0.6746958]],
    ['95', 1, 6, [1.649348, 1.544419, 1.427562]],
    ['99.8', 0, 7, [0.386265, 0.4479107, 0.5289724]],
    ['99.8', 1, 6, [2.082907, 1.902094, 1.702771]],
  ] as const)(
    'reproduces FunnelPlotR’s %s%% limits (side %i) to %i places',
    (coverage, side, digits, values) => {
      expect(expected.map((e) => round(poissonRatioLimits(e, coverage)[side], digits))).toEqual(values);
    },
  );

  it('narrows as the expected count grows and always brackets 1', () => {
    const [l1, u1] = poissonRatioLimits(5, '95');
    const [l2, u2] = poissonRatioLimits(500, '95');
    expect(l1).toBeLessThan(l2);
    expect(u1).toBeGreaterThan(u2);
    expect(l2).toBeLessThan(1);
    expect(u2).toBeGreaterThan(1);
  });

  it('takes expected counts that are not whole numbers, and refuses 0', () => {
    // SciPy 1.17: chi2.ppf(q, df) / 2 / E at E = 2.5, for q = 0.025, 0.975, 0.001, 0.999.
    const [l95, u95] = poissonRatioLimits(2.5, '95');
    const [l998, u998] = poissonRatioLimits(2.5, '99.8');
    expect(l95).toBeCloseTo(0.1662423226973325, 12);
    expect(u95).toBeCloseTo(3.202552854925865, 12);
    expect(l998).toBeCloseTo(0.04204252052584384, 12);
    expect(u998).toBeCloseTo(4.864377269571371, 12);
    expect(() => poissonRatioLimits(0, '95')).toThrow(RangeError);
  });
});

describe('transformedScaleLimits', () => {
  it('uses the exact normal deviates FunnelPlotR rounds to 1.959964 and 3.090232', () => {
    expect(round(standardNormalQuantile(0.975), 6)).toBe(1.959964);
    expect(round(standardNormalQuantile(0.999), 6)).toBe(3.090232);
  });

  it('gives arcsine limits around one half in closed form: sin²(π/4 ± x) = (1 ± sin 2x)/2', () => {
    for (const [coverage, p] of [
      ['95', 0.975],
      ['99.8', 0.999],
    ] as const) {
      const x = standardNormalQuantile(p) / (2 * Math.sqrt(100));
      const [lower, upper] = transformedScaleLimits(ARCSINE_SCALE, 0.5, 100, 0, coverage);
      expect(lower).toBeCloseTo((1 - Math.sin(2 * x)) / 2, 12);
      expect(upper).toBeCloseTo((1 + Math.sin(2 * x)) / 2, 12);
    }
  });

  it('keeps proportion limits at 0 and 1 where the arcsine would turn back (small denominators)', () => {
    const [lower, upper] = transformedScaleLimits(ARCSINE_SCALE, 0.02, 3, 0, '99.8');
    expect(lower).toBe(0);
    expect(upper).toBeLessThan(1);
    expect(transformedScaleLimits(ARCSINE_SCALE, 0.98, 3, 0, '99.8')[1]).toBe(1);
  });

  it('widens by the between-unit variance τ²', () => {
    const plain = transformedScaleLimits(LOG_SCALE, 1, 100, 0, '95');
    const wide = transformedScaleLimits(LOG_SCALE, 1, 100, 0.02, '95');
    expect(wide[0]).toBeLessThan(plain[0]);
    expect(wide[1]).toBeGreaterThan(plain[1]);
    // log scale: exp(±z√(1/E + τ²))
    expect(wide[1]).toBeCloseTo(Math.exp(standardNormalQuantile(0.975) * Math.sqrt(0.01 + 0.02)), 12);
  });

  it('squares square-root-scale limits back, and never below 0', () => {
    const [lower, upper] = transformedScaleLimits(SQUARE_ROOT_SCALE, 1, 100, 0, '95');
    const half = standardNormalQuantile(0.975) / 20;
    expect(lower).toBeCloseTo((1 - half) ** 2, 12);
    expect(upper).toBeCloseTo((1 + half) ** 2, 12);
    expect(transformedScaleLimits(SQUARE_ROOT_SCALE, 1, 1, 1, '99.8')[0]).toBe(0);
  });
});
