import type { ReviewStatus } from '../../domain/review-status.js';

/** Each review status as the dashboards' chart and table name it (the caseload's filter says the same). */
export const REVIEW_STATUS_WORDS: Record<ReviewStatus, string> = {
  overdue: 'Overdue',
  'due-soon': 'Due in the next 2 weeks',
  scheduled: 'Booked, not due yet',
  'not-set': 'No review date',
};
