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
 * A GAS level as people read it: the sign always shown, with a true minus sign (U+2212) rather than
 * a hyphen, so "−1", "0" and "+1" line up and read the same on every page.
 */
export function gasLevelText(level: number): string {
  return signedNumber(level);
}

/** A change or level with its sign always shown, and a true minus sign (U+2212), never a hyphen. */
export function signedNumber(n: number): string {
  if (n > 0) return `+${n}`;
  if (n < 0) return `\u2212${-n}`;
  return '0';
}

/** A GAS level as a choice on a form, e.g. "−1: Somewhat less than expected". */
export function gasLevelChoice(level: GasLevel): string {
  return `${gasLevelText(level)}: ${GAS_LEVEL_LABELS[level]}`;
}

/** A GAS level with its meaning, e.g. "−1 (Somewhat less than expected)". */
export function gasLevelWithLabel(level: GasLevel): string {
  return `${gasLevelText(level)} (${GAS_LEVEL_LABELS[level]})`;
}

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

/** How a goal's weight is given: an explicit weight, or importance and difficulty (0–3 each), or neither. */
export interface GasWeighting {
  weight?: number | null;
  importance?: number | null;
  difficulty?: number | null;
}

/**
 * A goal's weight: the weight given, else importance × difficulty when both are rated
 * (`defaultGasWeight`, which refuses ratings outside 0–3), else 1 — an unweighted goal counts
 * the same as every other, as in Kiresuk and Sherman's unweighted T-score.
 */
export function gasWeight(goal: GasWeighting): number {
  if (goal.weight !== undefined && goal.weight !== null) return goal.weight;
  if (goal.importance != null && goal.difficulty != null) {
    return defaultGasWeight(goal.importance, goal.difficulty);
  }
  return 1;
}

/**
 * Why a goal's weight cannot be used, or null. A goal is set because it matters to the person, so
 * its weight must be above 0: a zero weight (given, or from importance or difficulty rated 0)
 * would leave it out of the T-score, and a set of such goals would be scored as if unweighted.
 */
export function gasWeightProblem(
  goal: GasWeighting,
): { field: 'weight' | 'importance'; message: string } | null {
  if (goal.weight !== undefined && goal.weight !== null) {
    return goal.weight > 0 ? null : { field: 'weight', message: 'A goal’s weight must be more than 0.' };
  }
  if (goal.importance != null && goal.difficulty != null && gasWeight(goal) === 0) {
    return {
      field: 'importance',
      message:
        'Importance and difficulty must each be at least 1 for a goal that counts, or leave both blank.',
    };
  }
  return null;
}

/** A goal as the per-review T-score needs it. */
export interface GasGoalForScoring {
  goalId: string;
  /** The UK calendar date the goal was set, YYYY-MM-DD. */
  setOn: string;
  baselineLevel: GasLevel;
  weight: number;
}

/** A level recorded for a goal at a review. */
export interface GasAttainmentAtReview {
  goalId: string;
  level: GasLevel;
  conversationId: string;
  /** The review's date, YYYY-MM-DD. */
  heldOn: string;
}

export interface GasReviewScore {
  conversationId: string;
  heldOn: string;
  /** The Kiresuk–Sherman T-score over every goal set by then. */
  t: number;
  /** How many goals the score is over. */
  goals: number;
}

/**
 * The person's T-score at each review that scored a goal, in the order of the reviews (by date,
 * then as recorded). A goal counts at a review when it was set on or before the review's date, or
 * was scored at it. A goal not scored at a review is carried forward at its latest earlier level
 * (its baseline before any), so every goal set so far is in each score, and a review that scores
 * only some goals does not make the others vanish. When every weight is zero the goals are scored
 * unweighted, so a set of goals whose weights were all left at zero still has a T-score.
 */
export function gasScoresByReview(
  goals: readonly GasGoalForScoring[],
  attainments: readonly GasAttainmentAtReview[],
): GasReviewScore[] {
  if (!goals.length) return [];
  const ordered = attainments
    .map((a, i) => ({ a, i }))
    .sort((x, y) => (x.a.heldOn < y.a.heldOn ? -1 : x.a.heldOn > y.a.heldOn ? 1 : x.i - y.i))
    .map(({ a }) => a);
  const reviews = [...new Map(ordered.map((a) => [a.conversationId, a.heldOn])).entries()];
  return reviews.map(([conversationId, heldOn]) => {
    const included = goals.filter(
      (g) =>
        g.setOn <= heldOn ||
        ordered.some((a) => a.goalId === g.goalId && a.conversationId === conversationId),
    );
    const scores = included.map((g) => {
      const upTo = ordered.filter((a) => a.goalId === g.goalId && a.heldOn <= heldOn);
      const atThis = upTo.filter((a) => a.conversationId === conversationId).at(-1);
      return (atThis ?? upTo.at(-1))?.level ?? g.baselineLevel;
    });
    const weights = included.map((g) => g.weight);
    const usable = weights.some((w) => w > 0);
    return {
      conversationId,
      heldOn,
      goals: included.length,
      t: gasTScore({ scores, weights: usable ? weights : undefined }),
    };
  });
}
