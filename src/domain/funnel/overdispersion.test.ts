import { describe, expect, it } from 'vitest';
import {
  betweenUnitVariance,
  dispersionRatio,
  sampleQuantile,
  truncate,
  winsorise,
} from './overdispersion.js';

describe('sampleQuantile (R type 7)', () => {
  it('interpolates between order statistics as R’s quantile() does', () => {
    // R: quantile(1:6, 0.1) is 1.5; quantile(1:10, 0.9) is 9.1; quantile(c(3, 1, 2), 0.5) is 2.
    expect(sampleQuantile([6, 5, 4, 3, 2, 1], 0.1)).toBeCloseTo(1.5, 12);
    expect(sampleQuantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBeCloseTo(9.1, 12);
    expect(sampleQuantile([3, 1, 2], 0.5)).toBe(2);
    expect(sampleQuantile([7], 0.9)).toBe(7);
  });
});

describe('winsorise', () => {
  it('pulls the values beyond the 10% and 90% quantiles in to them', () => {
    expect(winsorise([1, 2, 3, 4, 5, 6])).toEqual([1.5, 2, 3, 4, 5, 5.5]);
  });

  it('refuses a trim of half or more', () => {
    expect(() => winsorise([1, 2], 0.5)).toThrow(RangeError);
  });
});

describe('truncate (SHMI)', () => {
  it('leaves out the lowest and highest tenth by rank group', () => {
    const z = Array.from({ length: 20 }, (_, i) => i);
    const kept = truncate(z);
    expect(kept.filter((x) => x === null)).toHaveLength(4);
    expect(kept.slice(0, 2)).toEqual([null, null]);
    expect(kept.slice(18)).toEqual([null, null]);
  });

  it('leaves out nothing from six units (every rank group is inside)', () => {
    expect(truncate([5, -1, 2, 0, 3, 1])).toEqual([5, -1, 2, 0, 3, 1]);
  });
});

describe('dispersion ratio and between-unit variance', () => {
  it('φ is the mean squared z-score', () => {
    expect(dispersionRatio([1, -2, 3])).toBeCloseTo(14 / 3, 12);
  });

  it('τ² is 0 when nφ < n − 1', () => {
    expect(betweenUnitVariance(0.5, [0.1, 0.2, 0.3])).toBe(0);
  });

  it('τ² is the DerSimonian–Laird estimate otherwise', () => {
    // Equal weights w = 100: (3·2 − 2) / (300 − 30000/300) = 4 / 200.
    expect(betweenUnitVariance(2, [0.1, 0.1, 0.1])).toBeCloseTo(0.02, 12);
  });

  it('needs two units', () => {
    expect(() => betweenUnitVariance(2, [0.1])).toThrow(RangeError);
  });
});
