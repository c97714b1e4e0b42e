import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PTD_AE_ATTENDANCES, PTD_AE_PERFORMANCE, PTD_RNORM_20 } from './reference-data.js';
import { MOVING_RANGE_SCREEN_FACTOR, movingRanges, PROCESS_LIMIT_FACTOR, xmrLimits } from './xmr.js';

const ptd = { screenOutliers: true };

describe('movingRanges', () => {
  it('is the absolute step from the value before, with none for the first', () => {
    expect(movingRanges([3, 5, 2, 2])).toEqual([null, 2, 3, 0]);
  });
});

describe('xmrLimits reproduces NHSRplotthedots', () => {
  // tests/testthat/test-ptd_spc_standard.R "it returns expected values", values from
  // tests/testthat/_snaps/ptd_spc_standard.md (printed to 7 significant figures).
  it('gives mean 0.1416238 and limits -3.01138 to 3.294627 for set.seed(123); rnorm(20)', () => {
    const limits = xmrLimits(PTD_RNORM_20, ptd);
    expect(limits.mean).toBeCloseTo(0.1416238, 7);
    expect(limits.lpl).toBeCloseTo(-3.01138, 5);
    expect(limits.upl).toBeCloseTo(3.294627, 6);
  });

  it('screens the outlier y[15] = 10 out of the moving ranges: limits -2.383666 to 3.722497', () => {
    const values = PTD_RNORM_20.map((v, i) => (i === 14 ? 10 : v));
    const screened = xmrLimits(values, ptd);
    expect(screened.mean).toBeCloseTo(0.6694159, 7);
    expect(screened.lpl).toBeCloseTo(-2.383666, 6);
    expect(screened.upl).toBeCloseTo(3.722497, 6);
    expect(screened.screenedOut).toBe(2);

    // …and without screening the limits are wider: -4.596625 to 5.935457.
    const unscreened = xmrLimits(values, { screenOutliers: false });
    expect(unscreened.mean).toBeCloseTo(0.6694159, 7);
    expect(unscreened.lpl).toBeCloseTo(-4.596625, 6);
    expect(unscreened.upl).toBeCloseTo(5.935457, 6);
    expect(unscreened.screenedOut).toBe(0);
  });

  // tests/testthat/test-integration_tests.R "ae_all attendances spc returns expected values": the
  // serialised result in _snaps/integration_tests.md holds the mean and limits as doubles.
  it('gives the ae_all attendances mean and limits to full precision', () => {
    const limits = xmrLimits(PTD_AE_ATTENDANCES, ptd);
    expect(limits.mean).toBeCloseTo(2000538.9444444445, 8);
    expect(limits.lpl).toBeCloseTo(1731844.3644444444, 8);
    expect(limits.upl).toBeCloseTo(2269233.5244444446, 8);
  });

  // "ae_all performance spc returns expected values": ptd_spc(..., fix_after_n_points = 12).
  it('fixes the ae_all performance limits on the first 12 points', () => {
    const limits = xmrLimits(PTD_AE_PERFORMANCE, { ...ptd, fixAfter: 12 });
    expect(limits.mean).toBeCloseTo(0.8908915564349236, 14);
    expect(limits.lpl).toBeCloseTo(0.8614049789074258, 14);
    expect(limits.upl).toBeCloseTo(0.9203781339624213, 14);
    expect(limits.basedOn).toBe(12);
  });
});

describe('xmrLimits', () => {
  it('puts the process limits 2.66 mean moving ranges from the mean, and sigma lines at thirds', () => {
    const limits = xmrLimits([10, 12, 11, 13], { screenOutliers: false });
    expect(limits.mean).toBe(11.5);
    expect(limits.movingRangeMean).toBeCloseTo(5 / 3, 12);
    expect(limits.upl).toBeCloseTo(11.5 + PROCESS_LIMIT_FACTOR * (5 / 3), 12);
    expect(limits.upperTwoSigma - limits.mean).toBeCloseTo(((limits.upl - limits.mean) * 2) / 3, 12);
    expect(limits.mean - limits.lowerOneSigma).toBeCloseTo((limits.upl - limits.mean) / 3, 12);
  });

  it('gives a flat series limits on its mean rather than none', () => {
    const limits = xmrLimits([4, 4, 4], ptd);
    expect([limits.lpl, limits.mean, limits.upl]).toEqual([4, 4, 4]);
  });

  it('needs two values for a moving range', () => {
    expect(() => xmrLimits([1], ptd)).toThrow(/values: .*at least 2/);
  });

  const series = fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 2, maxLength: 60 });

  it('has limits symmetric about the mean, in order', () => {
    fc.assert(
      fc.property(series, fc.boolean(), (values, screenOutliers) => {
        const l = xmrLimits(values, { screenOutliers });
        const scale = Math.max(1, Math.abs(l.mean), l.upl - l.mean);
        expect(Math.abs(l.upl - l.mean - (l.mean - l.lpl)) / scale).toBeLessThan(1e-9);
        expect(l.lpl).toBeLessThanOrEqual(l.lowerTwoSigma);
        expect(l.lowerTwoSigma).toBeLessThanOrEqual(l.lowerOneSigma);
        expect(l.lowerOneSigma).toBeLessThanOrEqual(l.mean);
        expect(l.mean).toBeLessThanOrEqual(l.upperOneSigma);
        expect(l.upperOneSigma).toBeLessThanOrEqual(l.upperTwoSigma);
        expect(l.upperTwoSigma).toBeLessThanOrEqual(l.upl);
      }),
    );
  });

  it('moves the mean and limits by a constant added to every value', () => {
    fc.assert(
      fc.property(series, fc.double({ min: -1e6, max: 1e6, noNaN: true }), (values, c) => {
        const before = xmrLimits(values, { screenOutliers: false });
        const after = xmrLimits(
          values.map((v) => v + c),
          { screenOutliers: false },
        );
        const tolerance = 1e-6 * Math.max(1, Math.abs(c), ...values.map(Math.abs));
        expect(Math.abs(after.mean - (before.mean + c))).toBeLessThan(tolerance);
        expect(Math.abs(after.upl - (before.upl + c))).toBeLessThan(tolerance);
        expect(Math.abs(after.lpl - (before.lpl + c))).toBeLessThan(tolerance);
      }),
    );
  });

  it('never widens the limits by screening', () => {
    fc.assert(
      fc.property(series, (values) => {
        const screened = xmrLimits(values, { screenOutliers: true });
        const unscreened = xmrLimits(values, { screenOutliers: false });
        expect(screened.movingRangeMean).toBeLessThanOrEqual(unscreened.movingRangeMean);
        // Whatever was kept lies below the screening line of the unscreened mean.
        expect(screened.movingRangeMean).toBeLessThan(
          MOVING_RANGE_SCREEN_FACTOR * unscreened.movingRangeMean + Number.MIN_VALUE,
        );
      }),
    );
  });
});
