import { DEFAULT_GAS_RHO } from '../gas.js';
import type { SourceKind } from './sources.js';

/** A cell's columns of `indicator_rollup`, summed over the rows the cell covers. */
export interface RollupSums {
  denominator: number;
  numerator: number;
  valueSum: number;
  valueSumSq: number;
  weightSum: number;
}

export const EMPTY_SUMS: RollupSums = {
  denominator: 0,
  numerator: 0,
  valueSum: 0,
  valueSumSq: 0,
  weightSum: 0,
};

/**
 * A service's GAS T-score from the sums of its goal attainments (the rollup's `gas-goal` measure
 * keeps Σwx in value_sum, Σw² in value_sum_sq and Σw in weight_sum): Kiresuk & Sherman's
 *   T = 50 + 10·Σwx / √((1−ρ)·Σw² + ρ·(Σw)²),
 * taken over every goal in the cell as if one person's, the way services report an aggregate T
 * (Kiresuk & Sherman 1968; Turner-Stokes 2009, Clin Rehabil 23:362). Null when no goal has weight.
 */
export function serviceGasTScore(sums: RollupSums, rho = DEFAULT_GAS_RHO): number | null {
  const variance = (1 - rho) * sums.valueSumSq + rho * sums.weightSum * sums.weightSum;
  if (!(variance > 0)) return null;
  return 50 + (10 * sums.valueSum) / Math.sqrt(variance);
}

/** The value of a cell, or null when it has nothing to compute from (no facts). */
export function cellValue(kind: SourceKind, sums: RollupSums): number | null {
  switch (kind) {
    case 'proportion':
      return sums.denominator > 0 ? (100 * sums.numerator) / sums.denominator : null;
    case 'mean':
      return sums.denominator > 0 ? sums.valueSum / sums.denominator : null;
    case 'gas-service':
      return sums.denominator > 0 ? serviceGasTScore(sums) : null;
    case 'count':
      return sums.denominator;
  }
}

/**
 * The sample standard deviation of the values a mean is taken over, from Σx and Σx² (n − 1 in the
 * divisor); null below two values. Analysts' confidence intervals start from it.
 */
export function cellStandardDeviation(sums: RollupSums): number | null {
  const n = sums.denominator;
  if (n < 2) return null;
  const variance = (sums.valueSumSq - (sums.valueSum * sums.valueSum) / n) / (n - 1);
  // Rounding in the sums can leave a tiny negative for values that are all equal.
  return Math.sqrt(Math.max(0, variance));
}

/** Adds two cells' sums: every figure is a sum over rollup rows, so cells combine by adding. */
export function addSums(a: RollupSums, b: RollupSums): RollupSums {
  return {
    denominator: a.denominator + b.denominator,
    numerator: a.numerator + b.numerator,
    valueSum: a.valueSum + b.valueSum,
    valueSumSq: a.valueSumSq + b.valueSumSq,
    weightSum: a.weightSum + b.weightSum,
  };
}

/** How many decimal places a value of each kind is shown with: counts are whole, the rest to one place. */
export const VALUE_DECIMALS: Record<SourceKind, number> = {
  proportion: 1,
  mean: 1,
  'gas-service': 1,
  count: 0,
};

/** A value as shown: fixed decimals, a true minus sign for negatives, the unit after a percentage. */
export function formatValue(kind: SourceKind, value: number, unit: string): string {
  const fixed = value.toFixed(VALUE_DECIMALS[kind]);
  // -0.0 after rounding is 0.
  const text = Number(fixed) === 0 ? (0).toFixed(VALUE_DECIMALS[kind]) : fixed.replace('-', '−');
  return unit === '%' ? `${text}%` : text;
}
