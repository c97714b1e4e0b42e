import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_GAS_RHO,
  defaultGasWeight,
  GAS_LEVEL_LABELS,
  GAS_LEVELS,
  gasLevelText,
  gasLevelWithLabel,
  gasScoresByReview,
  gasTScore,
  gasWeight,
  gasWeightProblem,
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

describe('gasWeight', () => {
  it('takes the weight given, even when importance and difficulty are rated too', () => {
    expect(gasWeight({ weight: 4, importance: 3, difficulty: 3 })).toBe(4);
    expect(gasWeight({ weight: 0 })).toBe(0);
  });

  it('is importance × difficulty when both are rated and no weight is given', () => {
    expect(gasWeight({ importance: 3, difficulty: 2 })).toBe(6);
    expect(gasWeight({ weight: null, importance: 1, difficulty: 0 })).toBe(0);
  });

  it('is 1 when only one of importance and difficulty is rated, or neither', () => {
    expect(gasWeight({})).toBe(1);
    expect(gasWeight({ importance: 3 })).toBe(1);
    expect(gasWeight({ importance: null, difficulty: 2 })).toBe(1);
  });

  it('refuses importance or difficulty outside 0 to 3', () => {
    expect(() => gasWeight({ importance: 4, difficulty: 1 })).toThrow(RangeError);
    expect(() => gasWeight({ importance: 1, difficulty: 1.5 })).toThrow(RangeError);
  });
});

describe('gasScoresByReview', () => {
  const goal = (goalId: string, setOn: string, weight = 1, baselineLevel: -1 | -2 = -1) => ({
    goalId,
    setOn,
    weight,
    baselineLevel,
  });

  it('is empty with no goals or no reviews', () => {
    expect(gasScoresByReview([], [])).toEqual([]);
    expect(gasScoresByReview([goal('a', '2026-01-01')], [])).toEqual([]);
  });

  it('scores one weighted goal at +1 as 60 (Kiresuk–Sherman)', () => {
    // T = 50 + 10·6·1 / √(0.7·36 + 0.3·36) = 60.
    expect(
      gasScoresByReview(
        [goal('a', '2026-09-01', 6)],
        [{ goalId: 'a', level: 1, conversationId: 'r1', heldOn: '2026-10-15' }],
      ),
    ).toEqual([{ conversationId: 'r1', heldOn: '2026-10-15', goals: 1, t: 60 }]);
  });

  it('carries a goal not scored at a review forward at its latest level, or its baseline', () => {
    const goals = [goal('a', '2026-01-01'), goal('b', '2026-01-01', 1, -2)];
    const scores = gasScoresByReview(goals, [
      { goalId: 'a', level: 0, conversationId: 'r1', heldOn: '2026-02-01' },
      { goalId: 'b', level: 1, conversationId: 'r2', heldOn: '2026-03-01' },
    ]);
    expect(scores.map((s) => s.conversationId)).toEqual(['r1', 'r2']);
    // r1: a at 0, b at its baseline −2. r2: a carried forward at 0, b at +1.
    expect(scores[0]?.t).toBeCloseTo(gasTScore({ scores: [0, -2] }), 10);
    expect(scores[1]?.t).toBeCloseTo(gasTScore({ scores: [0, 1] }), 10);
    expect(scores.every((s) => s.goals === 2)).toBe(true);
  });

  it('leaves out a goal set after the review unless it was scored at it', () => {
    const goals = [goal('a', '2026-01-01'), goal('late', '2026-06-01')];
    const [early] = gasScoresByReview(goals, [
      { goalId: 'a', level: 1, conversationId: 'r1', heldOn: '2026-02-01' },
    ]);
    expect(early?.goals).toBe(1);
    const [scored] = gasScoresByReview(goals, [
      { goalId: 'a', level: 1, conversationId: 'r1', heldOn: '2026-02-01' },
      { goalId: 'late', level: 2, conversationId: 'r1', heldOn: '2026-02-01' },
    ]);
    expect(scored?.goals).toBe(2);
  });

  it('orders reviews by date whatever order the levels come in', () => {
    const scores = gasScoresByReview(
      [goal('a', '2026-01-01')],
      [
        { goalId: 'a', level: 2, conversationId: 'late', heldOn: '2026-05-01' },
        { goalId: 'a', level: -1, conversationId: 'early', heldOn: '2026-02-01' },
      ],
    );
    expect(scores.map((s) => s.conversationId)).toEqual(['early', 'late']);
  });

  it('scores unweighted when every weight is zero', () => {
    const [score] = gasScoresByReview(
      [goal('a', '2026-01-01', 0), goal('b', '2026-01-01', 0)],
      [{ goalId: 'a', level: 1, conversationId: 'r1', heldOn: '2026-02-01' }],
    );
    expect(score?.t).toBeCloseTo(gasTScore({ scores: [1, -1] }), 10);
  });
});

describe('gasWeightProblem', () => {
  it('refuses a goal that would weigh nothing, whether weighted directly or by importance and difficulty', () => {
    expect(gasWeightProblem({ weight: 0 })?.field).toBe('weight');
    expect(gasWeightProblem({ importance: 0, difficulty: 3 })?.field).toBe('importance');
    expect(gasWeightProblem({ importance: 2, difficulty: 0 })?.field).toBe('importance');
  });

  it('accepts a positive weight, positive ratings, or no weighting at all', () => {
    expect(gasWeightProblem({ weight: 0.5 })).toBeNull();
    expect(gasWeightProblem({ importance: 1, difficulty: 1 })).toBeNull();
    expect(gasWeightProblem({})).toBeNull();
    expect(gasWeightProblem({ importance: 0 })).toBeNull();
  });
});

describe('gasLevelText', () => {
  it('shows every level signed, with a true minus sign, so labels never mix "-1" and "−1"', () => {
    expect(GAS_LEVELS.map(gasLevelText)).toEqual(['\u22122', '\u22121', '0', '+1', '+2']);
    expect(gasLevelWithLabel(-1)).toBe('\u22121 (Somewhat less than expected)');
  });
});
