import {
  ATTENDANCE_OUTCOME_LABELS,
  type AttendanceOutcome,
  DECLINE_REASON_LABELS,
  REFERRAL_STATUS_LABELS,
  type ReferralKind,
  type ReferralStatus,
} from '../../domain/community/referrals.js';
import { NEED_LABELS, RESOURCE_KIND_LABELS } from '../../domain/community/vocabulary.js';
import type { Viewpoint } from '../../domain/ratings.js';
import type { CommunityReferral, ReceivedReferral } from './schema.js';

/**
 * Referrals as the pages show them (the plan's "Community support", the person's own list, the
 * care team, the organisation's list and detail, the timeline): words, tags and addresses. Web
 * layer: the rules are the domain's, what may be done is each answer's `actions`.
 */

const STATUS_TAGS: Record<ReferralStatus, string> = {
  sent: 'nhsuk-tag--yellow',
  accepted: 'nhsuk-tag--green',
  declined: 'nhsuk-tag--red',
  withdrawn: 'nhsuk-tag--grey',
  ended: 'nhsuk-tag--grey',
  signposted: 'nhsuk-tag--blue',
};

/** Who made it, as the reader reads it: "you" to the person themselves. */
const MADE_BY: Record<Viewpoint, [forThePerson: string, forOthers: string]> = {
  person: ['you (a self-referral)', 'the person (a self-referral)'],
  carer: ['a carer', 'a carer'],
  practitioner: ['your care team', 'the care team'],
};

/** What a search or referral is for: one of the person's outcomes, or a goal of their plan. */
export interface SupportFor {
  outcomeId?: string | undefined;
  goalId?: string | undefined;
}

/** `&outcomeId=…&goalId=…` for what is given, nothing for what is not. */
const forParams = (about: SupportFor) =>
  (['outcomeId', 'goalId'] as const).map((name) => (about[name] ? `&${name}=${about[name]}` : '')).join('');

/** The address of the form to refer or signpost to a resource. */
export const referralFormHref = (
  personId: string,
  resourceId: string,
  kind: ReferralKind,
  about: SupportFor = {},
) => `/people/${personId}/community-referrals/new?resourceId=${resourceId}&kind=${kind}${forParams(about)}`;

/** The address of the search for support, for one outcome or plan goal when given; the person's own when self. */
export const findSupportHref = (personId: string, about: SupportFor = {}, self = false) => {
  const params = forParams(about);
  const path = self ? '/my/community-support/find' : `/people/${personId}/community-support/find`;
  return params ? `${path}?${params.slice(1)}` : path;
};

/** The address of one received referral, on the organisation's side. */
export const receivedHref = (personId: string, referralId: string) =>
  `/community/referrals/${personId}/${referralId}`;

export function referralView(referral: CommunityReferral | ReceivedReferral, reader: Viewpoint) {
  const attended = referral.attendance.filter((a) => a.outcome === 'attended').length;
  return {
    ...referral,
    statusLabel: REFERRAL_STATUS_LABELS[referral.status],
    statusClasses: STATUS_TAGS[referral.status],
    kindLabel: referral.kind === 'signpost' ? 'Details given (signposted)' : 'Referral',
    resourceKindLabel: RESOURCE_KIND_LABELS[referral.resource.kind],
    needLabels: referral.needs.map((n) => NEED_LABELS[n]),
    declineReasonLabel: referral.declineReason ? DECLINE_REASON_LABELS[referral.declineReason] : null,
    madeByText: MADE_BY[referral.madeBy][reader === 'person' ? 0 : 1],
    attendanceRows: referral.attendance.map((a) => ({
      ...a,
      outcomeLabel: ATTENDANCE_OUTCOME_LABELS[a.outcome],
    })),
    attendanceSummary: referral.attendance.length
      ? `Came to ${attended} of ${referral.attendance.length} ${referral.attendance.length === 1 ? 'session' : 'sessions'} recorded`
      : null,
    reader,
    may: Object.fromEntries(referral.actions.map((a) => [a, true])) as Partial<
      Record<CommunityReferral['actions'][number], true>
    >,
  };
}

/**
 * The organisations and resources the person is connected to, for the care team: those accepted
 * (or still attended) and those signposted to. Showing them gives them no access to the record.
 */
export function connectionsOf(referrals: readonly CommunityReferral[]) {
  return referrals
    .filter((r) => r.status === 'accepted' || r.status === 'signposted')
    .map((r) => ({
      referralId: r.referralId,
      resourceName: r.resource.name,
      organisationName: r.resource.organisationName,
      kindLabel: RESOURCE_KIND_LABELS[r.resource.kind],
      how: r.kind === 'signpost' ? 'Signposted' : 'Referred, accepted',
      since: r.respondedAt ?? r.createdAt,
      attendanceSummary: r.attendance.length ? sessionsAttended(r.attendance) : null,
    }));
}

/** "1 session attended", "3 sessions attended". */
function sessionsAttended(attendance: CommunityReferral['attendance']): string {
  const n = attendance.filter((a) => a.outcome === 'attended').length;
  return `${n} ${n === 1 ? 'session' : 'sessions'} attended`;
}

/** A timeline entry's title: what happened to which referral. */
export function communityTitle(event: {
  kind: 'community-referral' | 'community-referral-answer' | 'community-attendance';
  resourceName: string;
  referralKind: ReferralKind;
  status: string;
}): string {
  switch (event.kind) {
    case 'community-referral':
      return event.referralKind === 'signpost'
        ? `Signposted to ${event.resourceName}`
        : `Referred to ${event.resourceName}`;
    case 'community-referral-answer':
      return `Referral to ${event.resourceName}: ${
        REFERRAL_STATUS_LABELS[event.status as ReferralStatus]?.toLowerCase() ?? event.status
      }`;
    case 'community-attendance':
      return `${ATTENDANCE_OUTCOME_LABELS[event.status as AttendanceOutcome] ?? event.status}: ${event.resourceName}`;
  }
}
