import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reviewStatus } from './review-status.js';

describe('reviewStatus', () => {
  it('is not set without a date', () => {
    expect(reviewStatus(null, '2026-05-01')).toBe('not-set');
  });

  it.each([
    ['2026-04-30', 'overdue'],
    ['2025-12-31', 'overdue'],
    ['2026-05-01', 'due-soon'], // due today is not yet late
    ['2026-05-15', 'due-soon'], // 14 days away, the last day of "soon"
    ['2026-05-16', 'scheduled'],
    ['2027-01-01', 'scheduled'],
  ])('a review on %s, seen on 2026-05-01, is %s', (date, status) => {
    expect(reviewStatus(date, '2026-05-01')).toBe(status);
  });

  it('counts days across month ends, leap days and the clocks changing', () => {
    expect(reviewStatus('2028-03-14', '2028-02-29')).toBe('due-soon');
    expect(reviewStatus('2028-03-15', '2028-02-29')).toBe('scheduled');
    // British Summer Time starts on 29 March 2026; a day is still a day.
    expect(reviewStatus('2026-04-08', '2026-03-25', 14)).toBe('due-soon');
  });

  it('takes a different window for "due soon"', () => {
    expect(reviewStatus('2026-05-08', '2026-05-01', 7)).toBe('due-soon');
    expect(reviewStatus('2026-05-09', '2026-05-01', 7)).toBe('scheduled');
    expect(reviewStatus('2026-05-01', '2026-05-01', 0)).toBe('due-soon');
    expect(reviewStatus('2026-05-02', '2026-05-01', 0)).toBe('scheduled');
  });

  it.each([
    ['01/05/2026', '2026-05-01', 14, /nextReviewDate must be a date/],
    ['2026-02-30', '2026-05-01', 14, /nextReviewDate is not a real calendar date/],
    ['2026-05-01', '2026-5-1', 14, /today must be a date/],
    ['2026-05-01', '2026-05-01', -1, /dueSoonDays/],
    ['2026-05-01', '2026-05-01', 1.5, /dueSoonDays/],
  ])('refuses %s seen on %s with window %s', (date, today, days, message) => {
    expect(() => reviewStatus(date, today, days)).toThrow(message);
  });

  it('agrees with counting days one at a time', () => {
    const day = fc.integer({ min: 0, max: 3000 }).map((n) => new Date(Date.UTC(2024, 0, 1 + n)));
    fc.assert(
      fc.property(day, day, fc.integer({ min: 0, max: 60 }), (review, today, window) => {
        const iso = (d: Date) => d.toISOString().slice(0, 10);
        const days = Math.round((review.getTime() - today.getTime()) / 86_400_000);
        const expected = days < 0 ? 'overdue' : days <= window ? 'due-soon' : 'scheduled';
        expect(reviewStatus(iso(review), iso(today), window)).toBe(expected);
      }),
    );
  });
});
