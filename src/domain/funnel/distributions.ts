/**
 * The distribution quantiles the funnel limits need, from the stdlib statistics packages (a
 * well-kept library, so no inverse gamma or normal is written by hand here). One typed place, so
 * the rest of the funnel code names what it means (a normal deviate, a chi-square quantile) and
 * refuses arguments that the packages would answer with NaN.
 */
import chiSquareQuantileOf from '@stdlib/stats-base-dists-chisquare-quantile';
import normalQuantileOf from '@stdlib/stats-base-dists-normal-quantile';

function checkProbability(p: number): void {
  if (!(p > 0 && p < 1)) throw new RangeError(`A probability must be between 0 and 1, not ${p}`);
}

/** The standard normal deviate with lower-tail probability p, e.g. 1.959964 for p = 0.975. */
export function standardNormalQuantile(p: number): number {
  checkProbability(p);
  return normalQuantileOf(p, 0, 1);
}

/** The chi-square quantile with lower-tail probability p on `degreesOfFreedom` (> 0, need not be whole). */
export function chiSquareQuantile(p: number, degreesOfFreedom: number): number {
  checkProbability(p);
  if (!(degreesOfFreedom > 0 && Number.isFinite(degreesOfFreedom))) {
    throw new RangeError(`Chi-square degrees of freedom must be a positive number, not ${degreesOfFreedom}`);
  }
  return chiSquareQuantileOf(p, degreesOfFreedom);
}
