import { describe, expect, it } from 'vitest';
import {
  assessChange,
  CHANGE_CATEGORIES,
  CHANGE_CATEGORY_LABELS,
  changeCategory,
  RELIABLE_CHANGE,
} from './reliable-change.js';

describe('the NHS Talking Therapies thresholds as data', () => {
  it('PHQ-9: caseness 10, reliable change 6; GAD-7: caseness 8, reliable change 4', () => {
    expect(RELIABLE_CHANGE).toEqual({
      phq9: { scoreKey: 'total', caseness: 10, reliableChange: 6, direction: 'lower-is-better' },
      gad7: { scoreKey: 'total', caseness: 8, reliableChange: 4, direction: 'lower-is-better' },
      swemwbs: { scoreKey: 'metric', caseness: null, reliableChange: 2.87, direction: 'higher-is-better' },
    });
  });

  it('labels every category once', () => {
    expect(Object.keys(CHANGE_CATEGORY_LABELS)).toEqual([...CHANGE_CATEGORIES]);
    expect(CHANGE_CATEGORY_LABELS['reliable-recovery']).toBe('Reliable recovery');
  });
});

describe('PHQ-9 change', () => {
  it.each([
    // 5 points against 6, away from caseness on both sides
    [9, 4, 'no-reliable-change'],
    [9, 3, 'reliable-improvement'],
    [3, 8, 'no-reliable-change'],
    [3, 9, 'reliable-deterioration'],
    // caseness 9 against 10, before and after
    [9, 0, 'reliable-improvement'],
    [10, 4, 'reliable-recovery'],
    [10, 5, 'recovery'],
    [10, 9, 'recovery'],
    [10, 10, 'no-reliable-change'],
    [16, 10, 'reliable-improvement'],
    [16, 11, 'no-reliable-change'],
    [15, 9, 'reliable-recovery'],
    [15, 10, 'no-reliable-change'],
    [27, 0, 'reliable-recovery'],
    [4, 10, 'reliable-deterioration'],
    [4, 9, 'no-reliable-change'],
    [0, 27, 'reliable-deterioration'],
  ] as const)('%i → %i is %s', (before, after, category) => {
    expect(changeCategory('phq9', before, after)).toBe(category);
  });

  it('sets each Talking Therapies flag', () => {
    expect(assessChange('phq9', 15, 9)).toEqual({
      improvement: 6,
      casenessBefore: true,
      casenessAfter: false,
      reliableImprovement: true,
      reliableDeterioration: false,
      recovery: true,
      reliableRecovery: true,
    });
    expect(assessChange('phq9', 8, 14)).toMatchObject({
      improvement: -6,
      reliableDeterioration: true,
      recovery: false,
    });
  });
});

describe('GAD-7 change', () => {
  it.each([
    // 3 points against 4
    [12, 9, 'no-reliable-change'],
    [12, 8, 'reliable-improvement'],
    [5, 8, 'no-reliable-change'],
    [5, 9, 'reliable-deterioration'],
    // caseness 7 against 8
    [7, 3, 'reliable-improvement'],
    [7, 4, 'no-reliable-change'],
    [8, 7, 'recovery'],
    [8, 4, 'reliable-recovery'],
    [8, 5, 'recovery'],
    [11, 7, 'reliable-recovery'],
    [11, 8, 'no-reliable-change'],
    [21, 0, 'reliable-recovery'],
  ] as const)('%i → %i is %s', (before, after, category) => {
    expect(changeCategory('gad7', before, after)).toBe(category);
  });
});

describe('SWEMWBS change on the metric score (Shah et al. 2018: 2.87 points)', () => {
  it.each([
    [20, 22.87, 'reliable-improvement'],
    [20, 22.86, 'no-reliable-change'],
    [22.87, 20, 'reliable-deterioration'],
    [22.86, 20, 'no-reliable-change'],
    // Table values: raw 20 → 24 is 18.59 → 21.54 (2.95), raw 21 → 24 is 19.25 → 21.54 (2.29).
    [18.59, 21.54, 'reliable-improvement'],
    [19.25, 21.54, 'no-reliable-change'],
    [7, 35, 'reliable-improvement'],
  ] as const)('%d → %d is %s', (before, after, category) => {
    expect(changeCategory('swemwbs', before, after)).toBe(category);
  });

  it('has no caseness, so no recovery', () => {
    expect(assessChange('swemwbs', 7, 35)).toMatchObject({
      improvement: 28,
      casenessBefore: null,
      casenessAfter: null,
      recovery: false,
      reliableRecovery: false,
    });
  });
});

describe('instruments without a change definition', () => {
  it.each(['ons4', 'collaborate', 'fft'] as const)('%s is refused, not guessed', (key) => {
    expect(() => changeCategory(key, 1, 2)).toThrow(
      new RangeError(`${key} has no reliable change definition`),
    );
  });
});
