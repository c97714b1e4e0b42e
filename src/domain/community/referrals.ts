import type { Viewpoint } from '../ratings.js';

/**
 * Referrals and signposting to community resources (issue 14, part 2): the words, the statuses and
 * the pure rules of who may move a referral on. One constant per vocabulary with its labels, used by
 * the migration's checks, the contract, the pages, the demo and the aggregates alike.
 *
 * Follows the national Social Prescribing Information Standard v1.1 (PRSB for NHS England, January
 * 2023; docs/research/issue-14-social-prescribing.md): a *referral* passes the person's details to
 * the organisation, which accepts or declines it; a *signpost* gives the person the organisation's
 * name and contact details and "is not a referral" (the standard's Signpost details), so it has no
 * accept or decline step. Referral statuses, decline reasons and attendance are not elements of the
 * standard: they are ours, carried exactly in our own code systems where they leave the system over
 * FHIR (ServiceRequest, with request-status beside them: domain/interop/service-request.ts).
 */

export const REFERRAL_KINDS = ['referral', 'signpost'] as const;
export type ReferralKind = (typeof REFERRAL_KINDS)[number];
export const REFERRAL_KIND_LABELS: Record<ReferralKind, string> = {
  referral: 'Referral',
  signpost: 'Signposted',
};

/**
 * Where a referral stands. A referral starts `sent`; the organisation accepts or declines it; the
 * person or their care team may withdraw it while it is open; it ends when the support finishes. A
 * signpost is `signposted` for good: nobody at the organisation is asked anything.
 */
export const REFERRAL_STATUSES = [
  'sent',
  'accepted',
  'declined',
  'withdrawn',
  'ended',
  'signposted',
] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];
export const REFERRAL_STATUS_LABELS: Record<ReferralStatus, string> = {
  sent: 'Waiting for a reply',
  accepted: 'Accepted',
  declined: 'Declined',
  withdrawn: 'Withdrawn',
  ended: 'Support ended',
  signposted: 'Signposted',
};

/** Why an organisation declines a referral (ours: the standard has no value set for it). */
export const DECLINE_REASONS = [
  'no-capacity',
  'not-eligible',
  'needs-not-met',
  'person-declined',
  'could-not-contact',
  'other',
] as const;
export type DeclineReason = (typeof DECLINE_REASONS)[number];
export const DECLINE_REASON_LABELS: Record<DeclineReason, string> = {
  'no-capacity': 'No places at the moment',
  'not-eligible': 'The person is not eligible',
  'needs-not-met': 'We cannot meet these needs',
  'person-declined': 'The person decided not to take it up',
  'could-not-contact': 'We could not get in touch with the person',
  other: 'Another reason',
};

/** Whether the person came to a session on a day. */
export const ATTENDANCE_OUTCOMES = ['attended', 'did-not-attend'] as const;
export type AttendanceOutcome = (typeof ATTENDANCE_OUTCOMES)[number];
export const ATTENDANCE_OUTCOME_LABELS: Record<AttendanceOutcome, string> = {
  attended: 'Attended',
  'did-not-attend': 'Did not attend',
};

/**
 * The standard's "Reason for referral › Free text" is 150 characters (SPIS v1.1, Referral details);
 * the person's own words about what they hope for go in the linked outcome, which has its own limit.
 */
export const MAX_REFERRAL_REASON = 150;
/** A decline, withdrawal, end or attendance note. */
export const MAX_REFERRAL_NOTE = 1000;

/**
 * The national recording codes of NHS England's social prescribing guidance (research §3.1). They
 * are for a referral *to the link worker* only, not for the link worker's onward referral to a
 * group, so they are carried on exports of link-worker referrals and nowhere else.
 */
export const SOCIAL_PRESCRIBING_CODES = {
  referral: {
    system: 'http://snomed.info/sct',
    code: '871731000000106',
    display: 'Referral to social prescribing service',
  },
  declined: {
    system: 'http://snomed.info/sct',
    code: '871711000000103',
    display: 'Social prescribing declined',
  },
} as const;

/** The refsets the standard binds needs and support offered to (members not yet shipped: research §3.2). */
export const SPIS_NEEDS_REFSET = '1373501000000105';
export const SPIS_SUPPORT_REFSET = '1373511000000107';

/** Who is acting on a referral, from the referral's point of view. */
export type ReferralSide =
  /** The person, a carer who may add to their record, or a practitioner in their care team. */
  | 'referrer'
  /** Staff of the organisation that runs the resource. */
  | 'resource';

/** What can be done to a referral (the answer's `actions`, the pages' buttons). */
export const REFERRAL_ACTIONS = ['accept', 'decline', 'withdraw', 'end', 'record-attendance'] as const;
export type ReferralAction = (typeof REFERRAL_ACTIONS)[number];

/**
 * The actions open on a referral in this status, for this side. Pure: the service asks it before
 * every change, and pages show only the buttons it returns.
 */
export function referralActions(
  kind: ReferralKind,
  status: ReferralStatus,
  side: ReferralSide,
): ReferralAction[] {
  if (kind === 'signpost') {
    // Nobody at the organisation was asked: the person or their care team say whether they went.
    return side === 'referrer' ? ['record-attendance'] : [];
  }
  if (side === 'resource') {
    if (status === 'sent') return ['accept', 'decline'];
    if (status === 'accepted') return ['record-attendance', 'end'];
    return [];
  }
  if (status === 'sent') return ['withdraw'];
  if (status === 'accepted') return ['withdraw', 'end'];
  return [];
}

/** The status an action leaves a referral in (attendance leaves it as it was). */
export function statusAfter(action: ReferralAction, status: ReferralStatus): ReferralStatus {
  switch (action) {
    case 'accept':
      return 'accepted';
    case 'decline':
      return 'declined';
    case 'withdraw':
      return 'withdrawn';
    case 'end':
      return 'ended';
    case 'record-attendance':
      return status;
  }
}

/** A new referral's status: a signpost is given there and then; a referral waits for a reply. */
export function initialStatus(kind: ReferralKind): ReferralStatus {
  return kind === 'signpost' ? 'signposted' : 'sent';
}

/** Whose point of view made it: the person themselves (a self-referral), a carer, or a practitioner. */
export type ReferredBy = Viewpoint;

/**
 * A reason for referral to start from when support is found for a plan goal not linked to one of
 * the person's outcomes: the goal's own words, within MAX_REFERRAL_REASON (SPIS's limit), cut at a
 * word with an ellipsis when longer. The referrer reads and may change it before it is sent.
 */
export function reasonFromGoal(description: string): string {
  const words = description.replace(/\s+/g, ' ').trim();
  if (words.length <= MAX_REFERRAL_REASON) return words;
  const room = words.slice(0, MAX_REFERRAL_REASON - 1);
  const lastSpace = room.lastIndexOf(' ');
  return `${(lastSpace > 0 ? room.slice(0, lastSpace) : room).trimEnd()}…`;
}
