import { describe, expect, it } from 'vitest';
import { gasTScore } from '../gas.js';
import {
  addSums,
  cellStandardDeviation,
  cellValue,
  EMPTY_SUMS,
  formatValue,
  serviceGasTScore,
} from './value.js';

const sums = (s: Partial<typeof EMPTY_SUMS>) => ({ ...EMPTY_SUMS, ...s });

describe('a cell’s value from its summed columns', () => {
  it('is a percentage for a proportion, and nothing when nobody is counted', () => {
    expect(cellValue('proportion', sums({ numerator: 3, denominator: 4 }))).toBe(75);
    expect(cellValue('proportion', sums({ numerator: 0, denominator: 9 }))).toBe(0);
    expect(cellValue('proportion', sums({}))).toBeNull();
  });

  it('is the sum over the count for a mean', () => {
    expect(cellValue('mean', sums({ valueSum: 10, denominator: 4 }))).toBe(2.5);
    expect(cellValue('mean', sums({ valueSum: -3, denominator: 2 }))).toBe(-1.5);
    expect(cellValue('mean', sums({}))).toBeNull();
  });

  it('is the count of facts for a count', () => {
    expect(cellValue('count', sums({ denominator: 12 }))).toBe(12);
    expect(cellValue('count', sums({}))).toBe(0);
  });

  it('is one Kiresuk–Sherman T-score over every goal for a service, the same as over the goals themselves', () => {
    const levels = [-1, 0, 1, 2, -2];
    const weights = [1, 2, 1, 3, 0.5];
    const cell = sums({
      denominator: levels.length,
      valueSum: levels.reduce((a, x, i) => a + (weights[i] ?? 0) * x, 0),
      valueSumSq: weights.reduce((a, w) => a + w * w, 0),
      weightSum: weights.reduce((a, w) => a + w, 0),
    });
    expect(cellValue('gas-service', cell)).toBeCloseTo(gasTScore({ scores: levels, weights }), 12);
  });

  it('gives the published T-scores: one goal one level above expected is 60, all as expected is 50', () => {
    // T = 50 + 10·Σwx / √(0.7Σw² + 0.3(Σw)²): one goal at +1 with weight 1 is 50 + 10/√1 = 60.
    expect(serviceGasTScore(sums({ denominator: 1, valueSum: 1, valueSumSq: 1, weightSum: 1 }))).toBeCloseTo(
      60,
      12,
    );
    expect(serviceGasTScore(sums({ denominator: 3, valueSum: 0, valueSumSq: 3, weightSum: 3 }))).toBe(50);
    // Two equally weighted goals both at −2: 50 + 10·(−4)/√(0.7·2 + 0.3·4) = 50 − 40/√2.6.
    expect(serviceGasTScore(sums({ denominator: 2, valueSum: -4, valueSumSq: 2, weightSum: 2 }))).toBeCloseTo(
      50 - 40 / Math.sqrt(2.6),
      12,
    );
  });

  it('has no service T-score when no goal has weight', () => {
    expect(cellValue('gas-service', sums({ denominator: 2 }))).toBeNull();
    expect(cellValue('gas-service', sums({}))).toBeNull();
  });

  it('adds cells column by column', () => {
    expect(
      addSums(sums({ denominator: 2, numerator: 1, valueSum: 3 }), sums({ denominator: 1, weightSum: 2 })),
    ).toEqual(sums({ denominator: 3, numerator: 1, valueSum: 3, weightSum: 2 }));
  });
});

describe('the spread behind a mean', () => {
  it('is the sample standard deviation from Σx and Σx²', () => {
    const values = [1, 2, 3, 4];
    const cell = sums({
      denominator: 4,
      valueSum: values.reduce((a, b) => a + b, 0),
      valueSumSq: values.reduce((a, b) => a + b * b, 0),
    });
    // var = Σ(x − 2.5)² / 3 = 5/3
    expect(cellStandardDeviation(cell)).toBeCloseTo(Math.sqrt(5 / 3), 12);
  });

  it('is 0 for equal values and absent below two', () => {
    expect(cellStandardDeviation(sums({ denominator: 3, valueSum: 0.3, valueSumSq: 0.03 }))).toBeCloseTo(
      0,
      6,
    );
    expect(cellStandardDeviation(sums({ denominator: 1, valueSum: 2, valueSumSq: 4 }))).toBeNull();
  });
});

describe('a value as shown', () => {
  it('has one decimal place and a % for a proportion, none for a count, a true minus sign', () => {
    expect(formatValue('proportion', 66.666, '%')).toBe('66.7%');
    expect(formatValue('count', 15, 'outcomes')).toBe('15');
    expect(formatValue('mean', -0.46, 'points')).toBe('−0.5');
    expect(formatValue('mean', -0.04, 'points')).toBe('0.0');
    expect(formatValue('gas-service', 48.25, 'T-score')).toBe('48.3');
  });
});
