/**
 * Goal Attainment Scaling (GAS).
 *
 * Each goal gets five described levels of attainment, scored −2 to +2 with 0 as the expected
 * outcome; at review the level reached is recorded and the goals are summarised as one T-score.
 *
 * Source: Kiresuk TJ, Sherman RE. Goal attainment scaling: a general method for evaluating
 * comprehensive community mental health programs. Community Mental Health Journal
 * 1968;4(6):443–453.
 */

export type GasLevel = -2 | -1 | 0 | 1 | 2;

export const GAS_LEVELS: readonly GasLevel[] = [-2, -1, 0, 1, 2];

export const GAS_LEVEL_LABELS: Record<GasLevel, string> = {
  [-2]: 'Much less than expected',
  [-1]: 'Somewhat less than expected',
  0: 'Expected outcome',
  1: 'Somewhat more than expected',
  2: 'Much more than expected',
};

/**
 * The assumed correlation between goal scores. Kiresuk and Sherman proposed 0.3 as a working
 * value because the true inter-goal correlation is rarely known; it is the figure in general use.
 */
export const DEFAULT_GAS_RHO = 0.3;

export function isGasLevel(n: unknown): n is GasLevel {
  return typeof n === 'number' && Number.isInteger(n) && n >= -2 && n <= 2;
}

/**
 * Whether a level may be recorded as the starting point. The original method puts the baseline
 * at −1 so that getting worse (−2) can be recorded; many rehabilitation services start at −2 when
 * the person cannot realistically get worse. Both are in use, so both are accepted.
 */
export function isGasBaseline(n: unknown): boolean {
  return n === -1 || n === -2;
}

/**
 * Weight of a goal as importance × difficulty, each rated 0 (not at all) to 3 (very). This is the
 * multiplicative weighting popularised by Turner-Stokes (Clinical Rehabilitation 2009;23:362–370)
 * on Kiresuk's 0–3 ratings. A zero weight is allowed (a goal that matters not at all), but a set of
 * goals whose weights are all zero has no T-score (see gasTScore).
 */
export function defaultGasWeight(importance: number, difficulty: number): number {
  for (const [name, value] of [
    ['importance', importance],
    ['difficulty', difficulty],
  ] as const) {
    if (!Number.isInteger(value) || value < 0 || value > 3) {
      throw new RangeError(`GAS ${name} must be a whole number from 0 to 3, got ${value}`);
    }
  }
  return importance * difficulty;
}

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/**
 * Kiresuk–Sherman T-score:
 *
 *   T = 50 + 10·Σwᵢxᵢ / √((1−ρ)·Σwᵢ² + ρ·(Σwᵢ)²)
 *
 * where xᵢ is the attainment level of goal i, wᵢ its weight and ρ the assumed correlation between
 * goal scores. The scaling makes T have mean 50 and standard deviation 10 when the levels are
 * distributed as expected, so 50 means "goals met as expected overall".
 */
export function gasTScore(input: {
  scores: readonly number[];
  weights?: readonly number[];
  rho?: number;
}): number {
  const { scores, weights, rho = DEFAULT_GAS_RHO } = input;
  if (scores.length === 0) {
    throw new RangeError('GAS needs at least one goal score');
  }
  scores.forEach((score, i) => {
    if (!isGasLevel(score)) {
      throw new RangeError(`GAS score ${i + 1} must be a whole number from -2 to 2, got ${score}`);
    }
  });
  if (weights !== undefined && weights.length !== scores.length) {
    throw new RangeError(
      `GAS needs one weight per score: got ${count(weights.length, 'weight')} for ${count(scores.length, 'score')}`,
    );
  }
  const w = weights ?? scores.map(() => 1);
  w.forEach((weight, i) => {
    if (!Number.isFinite(weight) || weight < 0) {
      throw new RangeError(`GAS weight ${i + 1} must be a finite number of 0 or more, got ${weight}`);
    }
  });
  if (w.every((weight) => weight === 0)) {
    // The denominator would be zero: there is nothing to weigh the goals by.
    throw new RangeError('GAS weights are all zero: at least one goal must have a weight above 0');
  }
  // ρ = 1 would say the goals are one and the same measure, which GAS assumes they are not;
  // a negative ρ can make the quantity under the square root zero or negative.
  if (!(rho >= 0 && rho < 1)) {
    throw new RangeError(
      `GAS rho (correlation between goals) must be at least 0 and less than 1, got ${rho}`,
    );
  }

  let weightedSum = 0;
  let sumOfWeights = 0;
  let sumOfSquaredWeights = 0;
  scores.forEach((score, i) => {
    const weight = w[i] ?? 0;
    weightedSum += weight * score;
    sumOfWeights += weight;
    sumOfSquaredWeights += weight * weight;
  });
  const denominator = Math.sqrt((1 - rho) * sumOfSquaredWeights + rho * sumOfWeights * sumOfWeights);
  return 50 + (10 * weightedSum) / denominator;
}
