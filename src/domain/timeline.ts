/**
 * A person's story over time — conversations, outcomes, ratings, GAS attainment, plan changes and
 * the steps the person set themselves and did, referrals to community support and attendance —
 * as one list, newest first and grouped by month, the way people tend to recall it.
 */

export type TimelineKind =
  | 'conversation'
  | 'outcome-added'
  | 'rating'
  | 'gas-attainment'
  | 'plan-version'
  | 'plan-comment'
  | 'self-management-step'
  | 'community-referral'
  | 'community-referral-answer'
  | 'community-attendance';

/** What every timeline entry has: when, and what kind of thing happened. */
export interface TimelineEntry {
  /** ISO 8601 date and time. */
  at: string;
  kind: TimelineKind;
}

/** An entry as a reader sees it: a title, a detail, who recorded it and where to read more. */
export interface TimelineEvent extends TimelineEntry {
  title: string;
  detail: string | null;
  /** Who recorded it, as shown to the reader. */
  by: string | null;
  link: string | null;
}

export interface TimelineMonth<E extends TimelineEntry = TimelineEvent> {
  /** For example 'November 2026'. */
  month: string;
  events: E[];
}

// Spelled out rather than taken from Intl, so the headings do not depend on the ICU data Node was built with.
export const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

/**
 * Months are UTC months, so every reader sees the same grouping; an event just after midnight
 * British Summer Time on the first of a month falls in the previous month. Events at the same
 * instant keep the order they were given in.
 */
export function buildTimeline<E extends TimelineEntry>(events: readonly E[]): TimelineMonth<E>[] {
  const dated = events.map((event, index) => {
    const ms = Date.parse(event.at);
    if (Number.isNaN(ms))
      throw new RangeError(`Timeline event ${JSON.stringify(event)} has no usable date: "${event.at}"`);
    return { event, ms, index };
  });
  dated.sort((a, b) => b.ms - a.ms || a.index - b.index);

  const months: TimelineMonth<E>[] = [];
  for (const { event, ms } of dated) {
    const date = new Date(ms);
    const month = `${MONTH_NAMES[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
    const current = months.at(-1);
    if (current?.month === month) current.events.push(event);
    else months.push({ month, events: [event] });
  }
  return months;
}
