import { describe, expect, it } from 'vitest';
import type { Actor, ActorRole } from '../actor.js';
import type { Role } from '../roles.js';
import {
  mayAnswerReferral,
  mayReceiveReferrals,
  reachesOrganisation,
  referralRefusal,
  respondingOrganisations,
} from './referral-access.js';

const ORG_A = 'aaaaaaaa-0000-4000-8000-000000000001';
const ORG_B = 'bbbbbbbb-0000-4000-8000-000000000002';

const role = (r: Role, organisationId: string | null = null): ActorRole => ({
  role: r,
  organisationId,
  organisationName: null,
  teamId: null,
  teamName: null,
});

const actor = (...roles: ActorRole[]): Actor => ({
  userId: 'u',
  username: 'u',
  displayName: 'U',
  jobTitle: null,
  personId: null,
  roles,
  ip: null,
});

const referral = { kind: 'referral' as const, shareConsent: true, organisationId: ORG_A };

describe('who answers referrals for an organisation', () => {
  it('is the staff of the organisation that runs the resource', () => {
    expect(respondingOrganisations(actor(role('practitioner', ORG_A), role('team-manager', ORG_B)))).toEqual([
      ORG_A,
      ORG_B,
    ]);
    expect(mayAnswerReferral(actor(role('practitioner', ORG_A)), referral)).toBe(true);
    expect(mayAnswerReferral(actor(role('practitioner', ORG_B)), referral)).toBe(false);
  });

  it('is never a person, a carer, the public, a system client, or an administrator as such', () => {
    expect(respondingOrganisations(null)).toEqual([]);
    expect(respondingOrganisations(actor(role('person', ORG_A), role('carer', ORG_A)))).toEqual([]);
    expect(respondingOrganisations(actor(role('admin', ORG_A)))).toEqual([]);
    expect(mayReceiveReferrals(actor(role('admin', ORG_A)))).toBe(false);
    const client = {
      ...actor(role('practitioner', ORG_A)),
      client: { clientId: 'c', organisationId: ORG_A },
    };
    expect(respondingOrganisations(client)).toEqual([]);
  });

  it('sees only referrals the person agreed to share, never signposts', () => {
    expect(reachesOrganisation({ kind: 'referral', shareConsent: true })).toBe(true);
    expect(reachesOrganisation({ kind: 'referral', shareConsent: false })).toBe(false);
    expect(reachesOrganisation({ kind: 'signpost', shareConsent: true })).toBe(false);
    expect(mayAnswerReferral(actor(role('practitioner', ORG_A)), { ...referral, kind: 'signpost' })).toBe(
      false,
    );
  });
});

describe('which resources a referral may go to', () => {
  const open = {
    status: 'active' as const,
    reviewState: 'current' as const,
    acceptingReferrals: true,
    selfReferral: true,
  };
  const byPractitioner = { kind: 'referral' as const, madeBy: 'practitioner' as const, shareConsent: true };

  it('allows a referral to an open resource taking referrals, with consent', () => {
    expect(referralRefusal(open, byPractitioner)).toBeNull();
    expect(referralRefusal(open, { ...byPractitioner, madeBy: 'person' })).toBeNull();
  });

  it('refuses a closed or hidden resource, whatever the kind', () => {
    expect(referralRefusal({ ...open, status: 'closed' }, byPractitioner)?.field).toBe('resourceId');
    expect(
      referralRefusal({ ...open, reviewState: 'hidden' }, { ...byPractitioner, kind: 'signpost' })?.field,
    ).toBe('resourceId');
  });

  it('refuses a referral to a resource not taking referrals, but still signposts to it', () => {
    const full = { ...open, acceptingReferrals: false };
    expect(referralRefusal(full, byPractitioner)?.field).toBe('kind');
    expect(referralRefusal(full, { ...byPractitioner, kind: 'signpost', shareConsent: false })).toBeNull();
  });

  it('refuses a self-referral (or a carer’s) where the resource wants a professional’s', () => {
    const professionalOnly = { ...open, selfReferral: false };
    expect(referralRefusal(professionalOnly, { ...byPractitioner, madeBy: 'person' })?.field).toBe(
      'resourceId',
    );
    expect(referralRefusal(professionalOnly, { ...byPractitioner, madeBy: 'carer' })?.field).toBe(
      'resourceId',
    );
    expect(referralRefusal(professionalOnly, byPractitioner)).toBeNull();
  });

  it('refuses a referral without consent to share, naming shareConsent', () => {
    expect(referralRefusal(open, { ...byPractitioner, shareConsent: false })?.field).toBe('shareConsent');
  });
});
