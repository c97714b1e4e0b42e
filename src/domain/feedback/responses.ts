import { secondsToFirstAction } from './moderation.js';
import { FEEDBACK_LIMITS } from './vocabulary.js';

/**
 * Responding and changing (issue 12, item 5): replies to stories, publishing them, changes
 * planned and made ("you said, we did"), and the time to first response. Pure: the service
 * stores and audits, pages show.
 */

/** Where a change stands: planned (with the day it is planned for) or made (with the day it was made). */
export const CHANGE_STATUSES = ['planned', 'made'] as const;
export type ChangeStatus = (typeof CHANGE_STATUSES)[number];
export const CHANGE_STATUS_LABELS: Record<ChangeStatus, string> = {
  planned: 'Change planned',
  made: 'Change made',
};

/** Limits: a reply and a change's description are as long as a story's answer may be, never cut. */
export const RESPONSE_LIMITS = {
  reply: FEEDBACK_LIMITS.text,
  description: FEEDBACK_LIMITS.text,
  /** Stories on one page of the public page. */
  publicPageSize: 10,
  /** Changes listed on the public page (the latest made). */
  publicChanges: 50,
} as const;

/** Seconds from a story's arrival to its first reply: the same clock as a safeguarding first action. */
export function secondsToFirstResponse(receivedAt: Date, repliedAt: Date): number {
  return secondsToFirstAction(receivedAt, repliedAt);
}

/** Whether a story has had its reply, or how many whole days it has waited for one. */
export type ReplyState = { replied: true } | { replied: false; waitingDays: number };

export function replyState(story: { createdAt: Date; firstResponseAt: Date | null }, now: Date): ReplyState {
  if (story.firstResponseAt) return { replied: true };
  return { replied: false, waitingDays: Math.floor(secondsToFirstAction(story.createdAt, now) / 86400) };
}

/** "Replied", or "Waiting for a reply (3 days)", for the service's list. */
export function describeReplyState(state: ReplyState): string {
  if (state.replied) return 'Replied';
  const days = state.waitingDays;
  return `Waiting for a reply (${days === 0 ? 'less than a day' : `${days} ${days === 1 ? 'day' : 'days'}`})`;
}

/** A story as far as publishing is concerned. */
export interface PublishableStory {
  consentToPublish: boolean;
  publishedAt: Date | null;
  maskedWhatWasGood: string;
  maskedWhatCouldBeBetter: string;
}

/** A story may be published only when its writer agreed to it. */
export function mayPublish(story: Pick<PublishableStory, 'consentToPublish'>): boolean {
  return story.consentToPublish;
}

/**
 * What the public may see of a story: nothing unless it is published AND its writer consented
 * (consent is checked again here, so a story published by any path never shows without it), and
 * then only the masked text — never the words as written.
 */
export function publicView(
  story: PublishableStory,
): { whatWasGood: string; whatCouldBeBetter: string } | null {
  if (!story.publishedAt || !mayPublish(story)) return null;
  return { whatWasGood: story.maskedWhatWasGood, whatCouldBeBetter: story.maskedWhatCouldBeBetter };
}

/** A change's dates as recorded. */
export interface ChangeDates {
  status: ChangeStatus;
  plannedOn?: string | null | undefined;
  madeOn?: string | null | undefined;
}

/**
 * The rule for a change's dates (YYYY-MM-DD; `today` in the service's calendar): a planned change
 * says when it is planned for; a made change says when it was made, which cannot be after today.
 * Returns the field at fault and why, or null when the dates are right.
 */
export function changeDateProblem(
  change: ChangeDates,
  today: string,
): { field: 'plannedOn' | 'madeOn'; message: string } | null {
  if (change.status === 'planned' && !change.plannedOn) {
    return { field: 'plannedOn', message: 'Enter the date the change is planned for' };
  }
  if (change.status === 'made') {
    if (!change.madeOn) return { field: 'madeOn', message: 'Enter the date the change was made' };
    if (change.madeOn > today) {
      return { field: 'madeOn', message: 'The date the change was made must be today or in the past' };
    }
  }
  return null;
}

/** "November 2026": the public page dates a story by its month only, so it points to no one's visit. */
export function monthOf(isoDate: string): string {
  const [year, month] = isoDate.split('-').map(Number);
  return new Date(Date.UTC(year ?? 1970, (month ?? 1) - 1, 1)).toLocaleDateString('en-GB', {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
}
