import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  hiddenFrom,
  nextReviewDue,
  REVIEW_INTERVAL_MONTHS,
  reviewState,
  STALE_GRACE_DAYS,
} from './staleness.js';

describe('reviewState', () => {
  const due = '2026-06-15';

  it('is current up to and on the review date', () => {
    expect(reviewState(due, '2026-01-01')).toBe('current');
    expect(reviewState(due, '2026-06-14')).toBe('current');
    expect(reviewState(due, due)).toBe('current');
  });

  it('is due from the day after, for the grace period', () => {
    expect(reviewState(due, '2026-06-16')).toBe('due');
    expect(reviewState(due, addDays(due, STALE_GRACE_DAYS))).toBe('due');
  });

  it('is hidden more than the grace period after the review date', () => {
    expect(STALE_GRACE_DAYS).toBe(28);
    expect(reviewState(due, addDays(due, STALE_GRACE_DAYS + 1))).toBe('hidden');
    expect(reviewState(due, '2027-01-01')).toBe('hidden');
    expect(hiddenFrom(due)).toBe('2026-07-14');
    expect(reviewState(due, hiddenFrom(due))).toBe('hidden');
    expect(reviewState(due, addDays(hiddenFrom(due), -1))).toBe('due');
  });

  it('counts across month and year ends', () => {
    expect(hiddenFrom('2026-12-20')).toBe('2027-01-18');
    expect(reviewState('2026-12-20', '2027-01-17')).toBe('due');
    expect(reviewState('2026-12-20', '2027-01-18')).toBe('hidden');
  });
});

describe('the next review date', () => {
  it('is six months on', () => {
    expect(REVIEW_INTERVAL_MONTHS).toBe(6);
    expect(nextReviewDue('2026-11-28')).toBe('2027-05-28');
    expect(nextReviewDue('2026-03-01')).toBe('2026-09-01');
  });

  it('falls on the last day of a shorter month, as people count months', () => {
    expect(addMonths('2026-08-31', 6)).toBe('2027-02-28');
    expect(addMonths('2027-08-31', 6)).toBe('2028-02-29');
    expect(addMonths('2026-12-31', 6)).toBe('2027-06-30');
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28');
  });
});
