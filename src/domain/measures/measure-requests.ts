import { nextDay } from '../calendar.js';

/**
 * Administering measures: the vocabularies of responses and requests, and the rules by which a
 * schedule opens requests and a request falls due. Pure; the measures service applies them.
 *
 * How a schedule on a person's plan opens requests:
 * - at the start: a request due the day it is scheduled;
 * - at each review: one open request at a time, due at the person's next review — the review date
 *   the latest conversation set, else the plan's planned review (as the caseload reads it). The
 *   request stores no date of its own: it follows the review as it is rearranged. When it is
 *   completed the next one opens, due at the first review after the day it was completed, so a
 *   review not yet rearranged does not make the measure due again the same day;
 * - at the end: the care and support plan has no end date or closed state in this product, so the
 *   end is recorded by a practitioner ("support is ending") and opens the end requests, due that day.
 */

export const MEASURE_OCCASIONS = ['start', 'review', 'end', 'one-off'] as const;
export type MeasureOccasion = (typeof MEASURE_OCCASIONS)[number];
export const MEASURE_OCCASION_LABELS: Record<MeasureOccasion, string> = {
  start: 'At the start',
  review: 'At a review',
  end: 'At the end',
  'one-off': 'Once',
};

export const MEASURE_REQUEST_STATUSES = ['open', 'completed', 'cancelled'] as const;
export type MeasureRequestStatus = (typeof MEASURE_REQUEST_STATUSES)[number];

/** The FHIR QuestionnaireResponse statuses a stored response may have. */
export const RESPONSE_STATUSES = ['completed', 'amended', 'entered-in-error'] as const;
export type ResponseStatus = (typeof RESPONSE_STATUSES)[number];

/** Who filled the measure in. */
export const COMPLETED_BY = ['practitioner-with-person', 'person'] as const;
export type CompletedBy = (typeof COMPLETED_BY)[number];
export const COMPLETED_BY_LABELS: Record<CompletedBy, string> = {
  'practitioner-with-person': 'With a practitioner',
  person: 'The person, in their own view',
};

/** Where a requested measure stands on a given day. */
export const MEASURE_DUE_STATUSES = ['overdue', 'due', 'upcoming', 'waiting'] as const;
export type MeasureDueStatus = (typeof MEASURE_DUE_STATUSES)[number];
export const MEASURE_DUE_STATUS_LABELS: Record<MeasureDueStatus, string> = {
  overdue: 'Overdue',
  due: 'Due',
  upcoming: 'Coming up',
  waiting: 'At the next review (no date yet)',
};

export interface ScheduleOccasions {
  atStart: boolean;
  atReview: boolean;
  atEnd: boolean;
}

/** What a request needs to say when it falls due. */
export interface RequestTiming {
  occasion: MeasureOccasion;
  /** Its own due date; null for a review request, which follows the person's next review. */
  dueOn: string | null;
  /** A review request falls due only at a review on or after this date (null: any review). */
  notBefore: string | null;
}

/** A request to open: its occasion and timing. */
export type NewRequest = RequestTiming;

/**
 * The date a request falls due, given the person's next review (YYYY-MM-DD or null): its own date,
 * or for a review request the next review when there is one on or after `notBefore`.
 */
export function effectiveDueOn(request: RequestTiming, nextReviewDate: string | null): string | null {
  if (request.dueOn !== null) return request.dueOn;
  if (request.occasion !== 'review' || nextReviewDate === null) return null;
  if (request.notBefore !== null && nextReviewDate < request.notBefore) return null;
  return nextReviewDate;
}

/**
 * Overdue from the day after its due date; due on the day; coming up before it; waiting when it
 * has no date yet (a review not yet arranged). Dates are UK calendar dates compared as text.
 */
export function measureDueStatus(dueOn: string | null, today: string): MeasureDueStatus {
  if (dueOn === null) return 'waiting';
  if (dueOn < today) return 'overdue';
  if (dueOn === today) return 'due';
  return 'upcoming';
}

/** The requests a new schedule opens on the day it is made. The end's wait for the end. */
export function requestsOnScheduling(occasions: ScheduleOccasions, today: string): NewRequest[] {
  const opened: NewRequest[] = [];
  if (occasions.atStart) opened.push({ occasion: 'start', dueOn: today, notBefore: null });
  if (occasions.atReview) opened.push({ occasion: 'review', dueOn: null, notBefore: null });
  return opened;
}

/**
 * The request that completing a scheduled request opens: the next review's, for a review request
 * of a schedule still in force that measures at each review; none otherwise.
 */
export function requestAfterCompletion(
  completed: { occasion: MeasureOccasion },
  schedule: ScheduleOccasions | null,
  completedOn: string,
): NewRequest | null {
  if (completed.occasion !== 'review' || !schedule?.atReview) return null;
  return { occasion: 'review', dueOn: null, notBefore: nextDay(completedOn) };
}

/** The request a schedule opens when support ends, due that day; none if it does not measure at the end. */
export function requestAtEnd(schedule: ScheduleOccasions, endOn: string): NewRequest | null {
  return schedule.atEnd ? { occasion: 'end', dueOn: endOn, notBefore: null } : null;
}

export interface OpenRequestCandidate extends RequestTiming {
  requestId: string;
  questionnaireId: string;
}

/**
 * Which open request a measure completed without naming one fulfils: of the open requests for the
 * same questionnaire that have a due date (their own, or a review that is arranged), the one due
 * first. A review request still waiting for its review is left open: an unplanned measure is not
 * that review's. None: the measure stands on its own.
 */
export function matchingRequest<T extends OpenRequestCandidate>(
  open: readonly T[],
  questionnaireId: string,
  nextReviewDate: string | null,
): T | null {
  let best: { request: T; due: string } | null = null;
  for (const request of open) {
    if (request.questionnaireId !== questionnaireId) continue;
    const due = effectiveDueOn(request, nextReviewDate);
    if (due === null) continue;
    if (best === null || due < best.due) best = { request, due };
  }
  return best?.request ?? null;
}
