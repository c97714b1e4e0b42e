import { todayIso } from './calendar.js';

/**
 * Self-management: the small steps a person sets themselves between reviews, towards one of their
 * personal outcomes, in their own words ("Walk to the shop twice this week"), ticked off when done,
 * with what helped and what got in the way. The rules here are pure; the service applies them.
 *
 * Why small and dated: this is action planning as taught in self-management programmes (the
 * Stanford Chronic Disease Self-Management Program's weekly action plans, Lorig et al.): one
 * specific step, by when, then looking back at what helped and what got in the way.
 */

/** The longest a step may be: one short sentence, in the person's own words. */
export const MAX_STEP_WORDS = 300;
/** The longest "what helped" or "what got in the way" may be. */
export const MAX_STEP_NOTE = 2000;
/** A step is for the time until the next review; reviews are at most yearly, so a target date is too. */
export const MAX_TARGET_DAYS = 366;

/** Where a step stands on a given day. */
export const STEP_STATUSES = ['done', 'overdue', 'open'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

export const STEP_STATUS_LABELS: Record<StepStatus, string> = {
  done: 'Done',
  overdue: 'Not done by the date set',
  open: 'Not done yet',
};

/** What the rules read of a step. */
export interface StepFacts {
  /** YYYY-MM-DD, or null when no date was set. */
  targetDate: string | null;
  /** ISO 8601 date and time it was ticked off, or null. */
  doneAt: string | null;
}

/** Done, past its target date without being done (a UK calendar day after it), or still open. */
export function stepStatus(step: StepFacts, today: string): StepStatus {
  if (step.doneAt) return 'done';
  if (step.targetDate && step.targetDate < today) return 'overdue';
  return 'open';
}

const addDays = (isoDate: string, days: number): string =>
  new Date(new Date(`${isoDate}T00:00:00Z`).getTime() + days * 86_400_000).toISOString().slice(0, 10);

/**
 * Why a target date cannot be set today, or null when it can: not in the past (a step is for what
 * comes next), and within a year (a step is for the time until the next review).
 */
export function targetDateProblem(targetDate: string, today: string): string | null {
  if (targetDate < today) return 'The date to do it by must be today or later.';
  if (targetDate > addDays(today, MAX_TARGET_DAYS)) {
    return 'The date to do it by must be within a year: a step is for the time until the next review.';
  }
  return null;
}

/** What the review rules read of a step. */
export interface ReviewableStep extends StepFacts {
  createdAt: string;
}

/**
 * The steps worth talking about at a review held after `lastConversationOn` (the date of the
 * person's latest conversation, or null if none): every step not done yet, and every step done
 * since that conversation (on its day or later, in UK days). Steps done and already talked about
 * are history, on the timeline. Order kept.
 */
export function stepsForReview<S extends ReviewableStep>(
  steps: readonly S[],
  lastConversationOn: string | null,
): S[] {
  return steps.filter(
    (s) => !s.doneAt || lastConversationOn === null || todayIso(new Date(s.doneAt)) >= lastConversationOn,
  );
}

/** How far the steps have got: how many are done of how many. */
export function stepTally(steps: readonly StepFacts[]): { done: number; total: number } {
  return { done: steps.filter((s) => s.doneAt).length, total: steps.length };
}

/**
 * Steps grouped by the outcome they are for, in the order of `outcomeIds` (the record's own order
 * of outcomes); within an outcome, open steps first (by target date, undated last), then done ones,
 * newest done first. Outcomes with no steps are left out.
 */
export function stepsByOutcome<S extends StepFacts & { outcomeId: string; createdAt: string }>(
  steps: readonly S[],
  outcomeIds: readonly string[],
): { outcomeId: string; steps: S[] }[] {
  const order = (a: S, b: S): number => {
    if (!a.doneAt !== !b.doneAt) return a.doneAt ? 1 : -1;
    if (a.doneAt && b.doneAt) return b.doneAt.localeCompare(a.doneAt);
    const ad = a.targetDate ?? '9999-12-31';
    const bd = b.targetDate ?? '9999-12-31';
    return ad.localeCompare(bd) || a.createdAt.localeCompare(b.createdAt);
  };
  return outcomeIds.flatMap((outcomeId) => {
    const mine = steps.filter((s) => s.outcomeId === outcomeId);
    return mine.length ? [{ outcomeId, steps: [...mine].sort(order) }] : [];
  });
}
