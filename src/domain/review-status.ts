/**
 * Whether a person's plan review is overdue, coming up, or not yet arranged, for caseload views.
 * Dates are calendar dates (YYYY-MM-DD) with no time of day, so the answer does not depend on the
 * server's time zone; the caller says what "today" is.
 */

export const REVIEW_STATUSES = ['overdue', 'due-soon', 'scheduled', 'not-set'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

const MS_PER_DAY = 86_400_000;

function dayNumber(value: string, name: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (match === null) throw new RangeError(`${name} must be a date, YYYY-MM-DD, got "${value}"`);
  const year = Number(match[1]);
  const month = Number(match[2]) - 1;
  const day = Number(match[3]);
  const ms = Date.UTC(year, month, day);
  // Date.UTC rolls 30 February over into March; a date that does not survive the round trip is not real.
  const check = new Date(ms);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month || check.getUTCDate() !== day) {
    throw new RangeError(`${name} is not a real calendar date: "${value}"`);
  }
  return ms / MS_PER_DAY;
}

/**
 * A review due today is due soon, not overdue: it can still happen on time. It is overdue from the
 * day after. "Due soon" covers today and the next `dueSoonDays` days, both ends included.
 */
export function reviewStatus(nextReviewDate: string | null, today: string, dueSoonDays = 14): ReviewStatus {
  if (!Number.isInteger(dueSoonDays) || dueSoonDays < 0) {
    throw new RangeError(`dueSoonDays must be a whole number of 0 or more, got ${dueSoonDays}`);
  }
  const now = dayNumber(today, 'today');
  if (nextReviewDate === null) return 'not-set';
  const daysToGo = dayNumber(nextReviewDate, 'nextReviewDate') - now;
  if (daysToGo < 0) return 'overdue';
  if (daysToGo <= dueSoonDays) return 'due-soon';
  return 'scheduled';
}
