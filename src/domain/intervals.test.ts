import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { meanInterval, proportionDifferenceInterval, wilsonInterval, zForConfidence } from './intervals.js';

// Published values are given to 4 decimal places; a computed limit matches when it rounds to them.
const to4 = (x: number) => Math.round(x * 1e4) / 1e4;

describe('zForConfidence', () => {
  it('gives the familiar normal quantiles', () => {
    expect(zForConfidence()).toBeCloseTo(1.959964, 6);
    expect(zForConfidence(0.9)).toBeCloseTo(1.644854, 6);
    expect(zForConfidence(0.99)).toBeCloseTo(2.575829, 6);
    expect(zForConfidence(0.998)).toBeCloseTo(3.090232, 6);
  });

  it.each([0, 1, 95, -0.5, Number.NaN])('refuses a confidence of %s, naming it', (c) => {
    expect(() => zForConfidence(c)).toThrow(/^confidence:/);
  });
});

describe('wilsonInterval', () => {
  // Newcombe RG, Statistics in Medicine 1998;17:857–872, Table II, method 3 (Wilson score, no
  // continuity correction); the same examples in Altman et al., Statistics with Confidence (2000),
  // ch. 6. 81/263 and 15/148 are also the values the propint R package tests against.
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])('%i/%i: %f to %f (Newcombe 1998)', (r, n, lower, upper) => {
    const ci = wilsonInterval(r, n);
    expect(ci.proportion).toBe(r / n);
    expect(to4(ci.lower)).toBe(lower);
    expect(to4(ci.upper)).toBe(upper);
  });

  it('is exactly 0 or 1 at the ends', () => {
    expect(wilsonInterval(0, 5).lower).toBe(0);
    expect(wilsonInterval(5, 5).upper).toBe(1);
  });

  it('holds the proportion, stays within 0..1, and widens with confidence', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (n, share) => {
          const r = Math.round(share * n);
          const ci95 = wilsonInterval(r, n);
          const ci99 = wilsonInterval(r, n, 0.99);
          return (
            ci95.lower >= 0 &&
            ci95.upper <= 1 &&
            ci95.lower <= ci95.proportion + 1e-12 &&
            ci95.proportion <= ci95.upper + 1e-12 &&
            ci99.lower <= ci95.lower + 1e-12 &&
            ci99.upper >= ci95.upper - 1e-12
          );
        },
      ),
    );
  });

  it('is the same interval for failures as for successes, mirrored', () => {
    const a = wilsonInterval(12, 40);
    const b = wilsonInterval(28, 40);
    expect(a.lower).toBeCloseTo(1 - b.upper, 12);
    expect(a.upper).toBeCloseTo(1 - b.lower, 12);
  });

  it('refuses impossible counts, naming them', () => {
    expect(() => wilsonInterval(5, 0)).toThrow(/^trials:/);
    expect(() => wilsonInterval(6, 5)).toThrow(/^successes:/);
    expect(() => wilsonInterval(-1, 5)).toThrow(/^successes:/);
    expect(() => wilsonInterval(1.5, 5)).toThrow(/^successes:/);
  });
});

describe('proportionDifferenceInterval: Newcombe method 10', () => {
  // Newcombe RG, Statistics in Medicine 1998;17:873–890, Table II, method 10 (the hybrid score
  // interval). (a) and (b) are also the values the propint R package tests against; (a) is the
  // worked example of Altman et al., Statistics with Confidence (2000), ch. 6.
  it.each([
    [56, 70, 48, 80, 0.0524, 0.3339],
    [9, 10, 3, 10, 0.1705, 0.809],
    [5, 56, 0, 29, -0.0381, 0.1926],
    [0, 10, 0, 20, -0.1611, 0.2775],
    [0, 10, 0, 10, -0.2775, 0.2775],
    [10, 10, 0, 20, 0.6791, 1],
    [10, 10, 0, 10, 0.6075, 1],
  ])('%i/%i − %i/%i: %f to %f (Newcombe 1998)', (a, m, b, n, lower, upper) => {
    const ci = proportionDifferenceInterval(a, m, b, n);
    expect(ci.difference).toBeCloseTo(a / m - b / n, 12);
    expect(to4(ci.lower)).toBe(lower);
    expect(to4(ci.upper)).toBe(upper);
  });

  it('contains the difference, stays within −1..1, and swaps sign when the groups swap', () => {
    const group = fc
      .integer({ min: 1, max: 2000 })
      .chain((n) => fc.tuple(fc.integer({ min: 0, max: n }), fc.constant(n)));
    fc.assert(
      fc.property(group, group, ([a, m], [b, n]) => {
        const ci = proportionDifferenceInterval(a, m, b, n);
        const swapped = proportionDifferenceInterval(b, n, a, m);
        return (
          ci.lower >= -1 - 1e-12 &&
          ci.upper <= 1 + 1e-12 &&
          ci.lower <= ci.difference + 1e-12 &&
          ci.difference <= ci.upper + 1e-12 &&
          Math.abs(ci.lower + swapped.upper) < 1e-12 &&
          Math.abs(ci.upper + swapped.lower) < 1e-12
        );
      }),
    );
  });

  it('names which group is wrong', () => {
    expect(() => proportionDifferenceInterval(3, 10, 11, 10)).toThrow(/^successes2:/);
    expect(() => proportionDifferenceInterval(3, 0, 1, 10)).toThrow(/^trials1:/);
  });
});

describe('meanInterval from running totals', () => {
  it('matches the interval worked from the values themselves', () => {
    // Systolic blood pressures of 10 people (any set of values will do: the check is that the
    // totals a rollup keeps give the same mean, SD and limits as the values).
    const values = [128, 134, 117, 140, 122, 131, 126, 139, 119, 144];
    const n = values.length;
    const sum = values.reduce((a, b) => a + b, 0);
    const sumOfSquares = values.reduce((a, b) => a + b * b, 0);
    const ci = meanInterval(n, sum, sumOfSquares);
    const mean = 130;
    const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1));
    expect(ci.mean).toBe(mean);
    expect(ci.standardDeviation).toBeCloseTo(sd, 10);
    // Squared deviations from 130 add up to 768, so sd = √(768/9) = 9.2376 and the half-width is
    // 1.959964 × 9.2376 / √10 = 5.7254.
    expect(to4(ci.standardDeviation)).toBe(9.2376);
    expect(to4(ci.upper - ci.mean)).toBe(5.7254);
    expect(ci.lower).toBeCloseTo(mean - (1.959963984540054 * sd) / Math.sqrt(n), 10);
  });

  it('agrees with a two-pass calculation on any values', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -100, max: 100 }), { minLength: 2, maxLength: 200 }),
        fc.constantFrom(0.9, 0.95, 0.99),
        (values, confidence) => {
          const n = values.length;
          const sum = values.reduce((a, b) => a + b, 0);
          const ci = meanInterval(
            n,
            sum,
            values.reduce((a, b) => a + b * b, 0),
            confidence,
          );
          const mean = sum / n;
          const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1));
          const half = (zForConfidence(confidence) * sd) / Math.sqrt(n);
          return Math.abs(ci.lower - (mean - half)) < 1e-9 && Math.abs(ci.upper - (mean + half)) < 1e-9;
        },
      ),
    );
  });

  it('gives a zero-width interval when every value is the same', () => {
    expect(meanInterval(4, 200, 10_000)).toEqual({ mean: 50, standardDeviation: 0, lower: 50, upper: 50 });
  });

  it('refuses totals no set of values could give, naming them', () => {
    expect(() => meanInterval(1, 5, 25)).toThrow(/^n:/);
    expect(() => meanInterval(3, 30, 200)).toThrow(/^sumOfSquares:/);
    expect(() => meanInterval(3, Number.NaN, 200)).toThrow(/^sum:/);
    expect(() => meanInterval(3, 30, 400, 1.5)).toThrow(/^confidence:/);
  });
});
