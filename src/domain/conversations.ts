/**
 * The vocabulary of good conversations and what matters: each list of values once, with its labels.
 * The database's check constraints (migration 0002) hold the same values.
 */
export const CONVERSATION_KINDS = ['first', 'review', 'other'] as const;
export type ConversationKind = (typeof CONVERSATION_KINDS)[number];

/** A conversation's kind, as shown in lists, timelines and exports. */
export const CONVERSATION_KIND_LABELS: Record<ConversationKind, string> = {
  first: 'First conversation',
  review: 'Review',
  other: 'Conversation',
};

export const OUTCOME_STATUSES = ['active', 'achieved', 'no-longer-relevant'] as const;
export type OutcomeStatus = (typeof OUTCOME_STATUSES)[number];

/** Where an outcome stands, in the person's terms. */
export const OUTCOME_STATUS_LABELS: Record<OutcomeStatus, string> = {
  active: 'Still working on it',
  achieved: 'Achieved',
  'no-longer-relevant': 'No longer relevant',
};

export function isConversationKind(value: string): value is ConversationKind {
  return (CONVERSATION_KINDS as readonly string[]).includes(value);
}

/** Who can take part in a conversation: the person, a carer, a practitioner, or anyone else. */
export const PARTICIPANT_KINDS = ['person', 'carer', 'practitioner', 'other'] as const;
export type ParticipantKind = (typeof PARTICIPANT_KINDS)[number];
