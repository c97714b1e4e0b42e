import { describe, expect, it } from 'vitest';
import type { CommunityReferral } from './schema.js';
import { communityTitle, connectionsOf, referralView } from './view.js';

const referral = (over: Partial<CommunityReferral> = {}): CommunityReferral => ({
  referralId: '4b1d7c0e-6a4f-4f7e-9d8a-0e2d5a1c3b7f',
  personId: '5c2e8d1f-7b5a-4f8e-8e9b-1f3e6b2d4c8a',
  resource: {
    resourceId: '6d3f9e2a-8c6b-4a9f-9fac-2a4f7c3e5d9b',
    name: 'Riverside Park Health Walk',
    kind: 'walking-group',
    organisationId: '7e4a0f3b-9d7c-4bae-8bbd-3b5a8d4f6eac',
    organisationName: 'Active Riverside',
    phone: null,
    email: null,
    howToRefer: '',
  },
  kind: 'referral',
  madeBy: 'practitioner',
  needs: ['loneliness-isolation'],
  reason: '',
  shareConsent: true,
  outcome: null,
  status: 'accepted',
  declineReason: null,
  statusNote: '',
  respondedBy: 'Margaret Dunn',
  respondedAt: '2026-11-03T10:00:00.000Z',
  createdBy: 'Priya Shah',
  createdAt: '2026-11-01T10:00:00.000Z',
  updatedAt: '2026-11-03T10:00:00.000Z',
  version: 2,
  attendance: [
    {
      attendanceId: '8f5b1a4c-ae8d-4cbf-9cce-4c6b9e5a7fbd',
      attendedOn: '2026-11-04',
      outcome: 'attended',
      note: '',
      recordedBy: 'Margaret Dunn',
      recordedAt: '2026-11-04T12:00:00.000Z',
    },
    {
      attendanceId: '9a6c2b5d-bf9e-4dc0-8ddf-5d7caf6b80ce',
      attendedOn: '2026-11-11',
      outcome: 'did-not-attend',
      note: '',
      recordedBy: 'Margaret Dunn',
      recordedAt: '2026-11-11T12:00:00.000Z',
    },
  ],
  actions: ['withdraw', 'end'],
  ...over,
});

describe('referralView', () => {
  it('words the status, needs and attendance, and opens only the actions given', () => {
    const view = referralView(referral(), 'person');
    expect(view.statusLabel).toBe('Accepted');
    expect(view.needLabels).toEqual(['Feeling lonely or isolated']);
    expect(view.attendanceSummary).toBe('Came to 1 of 2 sessions recorded');
    expect(view.madeByText).toBe('your care team');
    expect(view.may).toEqual({ withdraw: true, end: true });
  });
});

describe('connectionsOf', () => {
  it('lists accepted referrals and signposts, not those waiting, declined or over', () => {
    const list = connectionsOf([
      referral(),
      referral({ referralId: 'a', status: 'sent' }),
      referral({ referralId: 'b', status: 'declined', declineReason: 'no-capacity' }),
      referral({
        referralId: 'c',
        kind: 'signpost',
        status: 'signposted',
        respondedAt: null,
        attendance: [],
      }),
    ]);
    expect(list.map((c) => [c.how, c.attendanceSummary])).toEqual([
      ['Referred, accepted', '1 session attended'],
      ['Signposted', null],
    ]);
  });
});

describe('communityTitle', () => {
  it('names what happened to which resource', () => {
    const about = { resourceName: 'Riverside Park Health Walk', referralKind: 'referral' as const };
    expect(communityTitle({ kind: 'community-referral', ...about, status: 'sent' })).toBe(
      'Referred to Riverside Park Health Walk',
    );
    expect(
      communityTitle({
        kind: 'community-referral',
        ...about,
        referralKind: 'signpost',
        status: 'signposted',
      }),
    ).toBe('Signposted to Riverside Park Health Walk');
    expect(communityTitle({ kind: 'community-referral-answer', ...about, status: 'declined' })).toBe(
      'Referral to Riverside Park Health Walk: declined',
    );
    expect(communityTitle({ kind: 'community-attendance', ...about, status: 'did-not-attend' })).toBe(
      'Did not attend: Riverside Park Health Walk',
    );
  });
});
