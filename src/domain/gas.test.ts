import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_GAS_RHO,
  defaultGasWeight,
  GAS_LEVEL_LABELS,
  GAS_LEVELS,
  gasTScore,
  isGasBaseline,
  isGasLevel,
} from './gas.js';

const level = fc.constantFrom(...GAS_LEVELS);
// Weights stay away from zero and from huge values so that rounding cannot decide a property.
const weight = fc.double({ min: 0.01, max: 100, noNaN: true });

describe('GAS levels', () => {
  it('runs from -2 to +2 with a British English label for each', () => {
    expect(GAS_LEVELS).toEqual([-2, -1, 0, 1, 2]);
    expect(GAS_LEVEL_LABELS[-2]).toBe('Much less than expected');
    expect(GAS_LEVEL_LABELS[0]).toBe('Expected outcome');
    expect(GAS_LEVEL_LABELS[2]).toBe('Much more than expected');
    expect(Object.keys(GAS_LEVEL_LABELS)).toHaveLength(5);
  });

  it('recognises levels and nothing else', () => {
    for (const n of GAS_LEVELS) expect(isGasLevel(n)).toBe(true);
    for (const n of [-3, 3, 0.5, Number.NaN, '1', null, undefined]) expect(isGasLevel(n)).toBe(false);
  });

  it('accepts both conventions for the baseline, -1 and -2', () => {
    expect(isGasBaseline(-1)).toBe(true);
    expect(isGasBaseline(-2)).toBe(true);
    expect(isGasBaseline(0)).toBe(false);
    expect(isGasBaseline('-1')).toBe(false);
  });
});

describe('defaultGasWeight', () => {
  it('multiplies importance by difficulty', () => {
    expect(defaultGasWeight(3, 2)).toBe(6);
    expect(defaultGasWeight(0, 3)).toBe(0);
    expect(defaultGasWeight(3, 3)).toBe(9);
  });

  it.each([
    [4, 1, /importance/],
    [-1, 1, /importance/],
    [1.5, 1, /importance/],
    [1, 4, /difficulty/],
    [1, Number.NaN, /difficulty/],
  ])('refuses importance %s, difficulty %s', (importance, difficulty, message) => {
    expect(() => defaultGasWeight(importance, difficulty)).toThrow(RangeError);
    expect(() => defaultGasWeight(importance, difficulty)).toThrow(message);
  });
});

describe('gasTScore', () => {
  it('gives 55 for the weighted reference case', () => {
    // Σwx = -6 + 0 - 1 + 8 + 0 + 6 = 7; Σw = 21; Σw² = 91;
    // 0.7 × 91 + 0.3 × 441 = 196; √196 = 14; T = 50 + 70 / 14 = 55.
    const t = gasTScore({ scores: [-2, 0, -1, 2, 0, 1], weights: [3, 5, 1, 4, 2, 6] });
    expect(Math.abs(t - 55)).toBeLessThan(1e-9);
  });

  it('gives 50 when every goal is met as expected', () => {
    expect(gasTScore({ scores: [0, 0, 0] })).toBe(50);
  });

  it('gives 70 for a single goal at +2', () => {
    // One goal: Σw² = (Σw)² = 1, so the denominator is √(0.7 + 0.3) = 1 and T = 50 + 10 × 2.
    expect(gasTScore({ scores: [2] })).toBe(70);
  });

  it('works out three unweighted goals at +1 by hand', () => {
    // Σwx = 3; Σw² = 3; (Σw)² = 9; 0.7 × 3 + 0.3 × 9 = 4.8; T = 50 + 30 / √4.8 ≈ 63.6931.
    expect(gasTScore({ scores: [1, 1, 1] })).toBeCloseTo(63.693063937629155, 12);
  });

  it('uses ρ = 0.3 unless told otherwise', () => {
    expect(DEFAULT_GAS_RHO).toBe(0.3);
    expect(gasTScore({ scores: [1, 1, 1], rho: 0.3 })).toBe(gasTScore({ scores: [1, 1, 1] }));
    // With ρ = 0 the denominator is √Σw² = √3.
    expect(gasTScore({ scores: [1, 1, 1], rho: 0 })).toBeCloseTo(50 + 30 / Math.sqrt(3), 12);
  });

  it('lets a zero weight leave a goal out, as long as another goal has weight', () => {
    expect(gasTScore({ scores: [2, -2], weights: [1, 0] })).toBe(70);
  });

  it.each([
    [{ scores: [] }, /at least one goal/],
    [{ scores: [3] }, /score 1 must be a whole number from -2 to 2, got 3/],
    [{ scores: [0, 0.5] }, /score 2/],
    [{ scores: [Number.NaN] }, /score 1/],
    [{ scores: [0, 1], weights: [1] }, /one weight per score: got 1 weight for 2 scores/],
    [{ scores: [0, 1], weights: [1, -1] }, /weight 2 must be a finite number of 0 or more/],
    [{ scores: [0], weights: [Number.POSITIVE_INFINITY] }, /weight 1/],
    [{ scores: [0, 1], weights: [0, 0] }, /all zero/],
    [{ scores: [0], rho: 1 }, /rho/],
    [{ scores: [0], rho: -0.1 }, /rho/],
    [{ scores: [0], rho: Number.NaN }, /rho/],
  ])('refuses %o with a clear message', (input, message) => {
    expect(() => gasTScore(input)).toThrow(RangeError);
    expect(() => gasTScore(input)).toThrow(message);
  });

  it('is 50 whenever all scores are 0, whatever the weights and ρ', () => {
    fc.assert(
      fc.property(
        fc.array(weight, { minLength: 1, maxLength: 20 }),
        fc.double({ min: 0, max: 0.99, noNaN: true }),
        (weights, rho) => {
          expect(gasTScore({ scores: weights.map(() => 0), weights, rho })).toBe(50);
        },
      ),
    );
  });

  it('never goes down when one goal scores higher', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(level, weight), { minLength: 1, maxLength: 20 }),
        fc.nat(),
        (goals, pick) => {
          const scores = goals.map(([score]) => score);
          const weights = goals.map(([, w]) => w);
          const i = pick % goals.length;
          fc.pre((scores[i] ?? 2) < 2);
          const raised = scores.map((score, j) => (j === i ? score + 1 : score));
          expect(gasTScore({ scores: raised, weights })).toBeGreaterThanOrEqual(
            gasTScore({ scores, weights }),
          );
        },
      ),
    );
  });

  it('does not change when every weight is multiplied by the same positive number', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(level, weight), { minLength: 1, maxLength: 20 }),
        fc.double({ min: 0.01, max: 100, noNaN: true }),
        (goals, factor) => {
          const scores = goals.map(([score]) => score);
          const weights = goals.map(([, w]) => w);
          const scaled = weights.map((w) => w * factor);
          expect(gasTScore({ scores, weights: scaled })).toBeCloseTo(gasTScore({ scores, weights }), 9);
        },
      ),
    );
  });
});
