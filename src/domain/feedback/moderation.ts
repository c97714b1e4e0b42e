/** Moderating a feedback story (issue 12, item 2): its criticality and the safeguarding first action. */

/** How critical a story is, 0–5, set by a moderator. */
export const CRITICALITY_LEVELS = [0, 1, 2, 3, 4, 5] as const;
export type CriticalityLevel = (typeof CRITICALITY_LEVELS)[number];

export const CRITICALITY_LABELS: Record<CriticalityLevel, string> = {
  0: '0 – No concern',
  1: '1 – Minor: learning only',
  2: '2 – Low: a concern to look into',
  3: '3 – Moderate: action needed this week',
  4: '4 – High: action needed today',
  5: '5 – Critical: immediate risk of harm',
};

/** What the safeguarding contact first did about a flagged story: either stops the clock. */
export const FIRST_ACTIONS = ['acknowledged', 'action-taken'] as const;
export type FirstAction = (typeof FIRST_ACTIONS)[number];

export const FIRST_ACTION_LABELS: Record<FirstAction, string> = {
  acknowledged: 'Acknowledged',
  'action-taken': 'Action taken',
};

/** The longest note a first action may carry. */
export const FIRST_ACTION_NOTE_LIMIT = 2000;

/** Whole seconds from flagging to first action (never negative). */
export function secondsToFirstAction(flaggedAt: Date, actedAt: Date): number {
  return Math.max(0, Math.round((actedAt.getTime() - flaggedAt.getTime()) / 1000));
}

/** "3 hours 5 minutes", for the clock on the contact's inbox. */
export function describeDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const days = Math.floor(s / 86400);
  const hours = Math.floor((s % 86400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (days) return `${unit(days, 'day')} ${unit(hours, 'hour')}`;
  if (hours) return `${unit(hours, 'hour')} ${unit(minutes, 'minute')}`;
  if (minutes) return unit(minutes, 'minute');
  return 'less than a minute';
}
