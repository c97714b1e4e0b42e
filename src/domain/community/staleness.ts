/**
 * When a directory entry is out of date. An entry is reviewed by whoever keeps it up to date; each
 * review sets the next one REVIEW_INTERVAL_MONTHS on. Once the review date has passed the entry is
 * "due" (flagged to its maintainer and organisation); more than STALE_GRACE_DAYS after it, people
 * looking for help no longer see it, because wrong times or a closed group send someone to a locked
 * door. Staff who maintain it still see it, flagged, so they can put it right. Dates are UK calendar
 * dates (YYYY-MM-DD), as calendar.ts's todayIso gives.
 */

export const REVIEW_INTERVAL_MONTHS = 6;
export const STALE_GRACE_DAYS = 28;

export type ReviewState = 'current' | 'due' | 'hidden';

const DAY_MS = 86_400_000;

const utc = (isoDate: string): number => Date.parse(`${isoDate}T00:00:00Z`);
const iso = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** A calendar date `days` later (or earlier, when negative). */
export function addDays(isoDate: string, days: number): string {
  return iso(utc(isoDate) + days * DAY_MS);
}

/**
 * A calendar date `months` later; a day the later month lacks becomes its last day
 * (31 August + 6 months = 28 or 29 February), as people count months.
 */
export function addMonths(isoDate: string, months: number): string {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  const monthIndex = m - 1 + months;
  const year = y + Math.floor(monthIndex / 12);
  const month = ((monthIndex % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return iso(Date.UTC(year, month, Math.min(d, lastDay)));
}

/** The review date set by a review (or a new entry) on `today`. */
export function nextReviewDue(today: string): string {
  return addMonths(today, REVIEW_INTERVAL_MONTHS);
}

/** The first day people no longer see an entry that has not been reviewed. */
export function hiddenFrom(reviewDue: string): string {
  return addDays(reviewDue, STALE_GRACE_DAYS + 1);
}

/**
 * 'current' until the review date (the review date itself is still current), 'due' once it has
 * passed, 'hidden' more than STALE_GRACE_DAYS after it.
 */
export function reviewState(reviewDue: string, today: string): ReviewState {
  if (today <= reviewDue) return 'current';
  return today < hiddenFrom(reviewDue) ? 'due' : 'hidden';
}
