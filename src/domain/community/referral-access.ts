import type { Actor } from '../actor.js';
import type { Viewpoint } from '../ratings.js';
import type { Role } from '../roles.js';
import type { ReferralKind } from './referrals.js';
import { isListedForPeople } from './resource-access.js';
import type { ReviewState } from './staleness.js';
import type { ResourceStatus } from './vocabulary.js';

/**
 * Who may see and answer a referral from the organisation's side, and which resources a referral or
 * signpost may go to: the one rule, asked by the referral service (pages and navigation ask it).
 *
 * The referrer's side (the person, a carer who may add to their record, the care team) is the
 * record's own access rule (record-access.ts). The organisation's side is decided here, by the same
 * idea as keeping directory entries (resource-access.ts): staff of the organisation that runs the
 * resource answer its referrals. Unlike the directory, administrators get no "every organisation":
 * a referral carries a person's name and contact details, and keeping the directory as a whole is
 * no reason to read them. A system client answers nothing here either (no scope is defined for it).
 */

/**
 * The roles that may work for an organisation receiving referrals: every staff role but an
 * administrator's. The organisation's pages admit these at the door; which referrals each sees is
 * decided below, by organisation.
 */
export const REFERRAL_RECEIVER_ROLES = [
  'practitioner',
  'team-manager',
  'commissioner',
  'analyst',
] as const satisfies readonly Role[];

/** The organisations whose resources' referrals the actor may read and answer: those of their staff roles. */
export function respondingOrganisations(actor: Actor | null): string[] {
  if (!actor || actor.client) return [];
  const ids = new Set<string>();
  for (const r of actor.roles) {
    if (!(REFERRAL_RECEIVER_ROLES as readonly Role[]).includes(r.role)) continue;
    if (r.organisationId) ids.add(r.organisationId);
  }
  return [...ids].sort();
}

/** Whether the actor works for an organisation that may receive referrals (the organisation's pages are for them). */
export function mayReceiveReferrals(actor: Actor | null): boolean {
  return respondingOrganisations(actor).length > 0;
}

/**
 * Whether a referral reaches the organisation at all: only a referral the person agreed to share.
 * A signpost passes nothing to the organisation (SPIS v1.1: a signpost "is not a referral").
 */
export function reachesOrganisation(referral: { kind: ReferralKind; shareConsent: boolean }): boolean {
  return referral.kind === 'referral' && referral.shareConsent;
}

/** Whether the actor, on the organisation's side, may read and answer this referral. */
export function mayAnswerReferral(
  actor: Actor | null,
  referral: { kind: ReferralKind; shareConsent: boolean; organisationId: string },
): boolean {
  return reachesOrganisation(referral) && respondingOrganisations(actor).includes(referral.organisationId);
}

/** What the referral rule needs to know of the resource referred or signposted to. */
export interface ReferralTarget {
  status: ResourceStatus;
  reviewState: ReviewState;
  acceptingReferrals: boolean;
  selfReferral: boolean;
}

/**
 * Why this referral or signpost may not be made, naming the field to put right, or null when it may.
 * - Nobody is sent to a resource people cannot see (closed, or hidden for being long out of date).
 * - A referral needs a resource taking referrals; signposting stays open, since it only tells the
 *   person where to go.
 * - Made by the person or a carer (not the care team), a referral is a self-referral: the resource
 *   must say people may contact it themselves.
 * - A referral passes the person's details, so it needs their agreement to share them.
 */
export function referralRefusal(
  target: ReferralTarget,
  request: { kind: ReferralKind; madeBy: Viewpoint; shareConsent: boolean },
): { field: string; message: string } | null {
  if (!isListedForPeople(target)) {
    return { field: 'resourceId', message: 'This support is not open at the moment: choose another' };
  }
  if (request.kind === 'signpost') return null;
  if (!target.acceptingReferrals) {
    return {
      field: 'kind',
      message: 'This support is not taking referrals at the moment: give its details instead',
    };
  }
  if (request.madeBy !== 'practitioner' && !target.selfReferral) {
    return {
      field: 'resourceId',
      message: 'This support takes referrals from professionals only: ask your care team to refer you',
    };
  }
  if (!request.shareConsent) {
    return {
      field: 'shareConsent',
      message: 'Confirm the person agrees to their name and contact details being shared',
    };
  }
  return null;
}
