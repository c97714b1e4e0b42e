import { describe, expect, it } from 'vitest';
import {
  COMMUNITY_CSV_HEADER,
  CommunityFileError,
  communityColumnOf,
  parseSessions,
  REQUIRED_COMMUNITY_COLUMNS,
  readCommunityCsv,
  writeCommunityCsv,
} from './csv-columns.js';
import { formatOfContent } from './exchange-service.js';
import { openReferralFieldOf, readOpenReferral, toOpenReferral, writeOpenReferral } from './open-referral.js';
import { type CommunityResource, CommunityResourceBody } from './schema.js';

const walking: CommunityResource = {
  resourceId: '6f1c0a52-8a77-4c0e-9d55-3f4b2a1e0c11',
  organisationId: '0b6a1d1e-2f3a-4c5b-8d7e-9f0a1b2c3d4e',
  organisationName: 'Westshire Ramblers',
  name: 'Riverside Health Walk',
  kind: 'walking-group',
  summary: 'A gentle hour’s walk by the river, with tea after',
  description: 'Led walks on flat paths.\nEveryone welcome; walk at your own pace.',
  needs: ['loneliness-isolation', 'physical-activity'],
  domainCodes: ['social-connection'],
  online: false,
  address: 'Riverside Café\n1 Mill Lane\nRiverton',
  postcode: 'RV1 2AB',
  sessions: [
    { day: 'mon', start: '10:00', end: '11:00' },
    { day: 'thu', start: '18:00', end: '19:30' },
  ],
  scheduleNote: 'Not on bank holidays',
  eligibility: 'Adults of any fitness',
  minAge: 18,
  maxAge: null,
  costKind: 'free',
  costNote: '',
  accessibility: ['step-free', 'accessible-toilet'],
  accessibilityNote: 'Benches every half mile',
  selfReferral: true,
  howToRefer: 'Just turn up, or ring Sam',
  phone: '01632 960001',
  email: 'walks@example.org',
  website: 'https://example.org/walks',
  capacity: 25,
  acceptingReferrals: true,
  maintainerUserId: null,
  maintainerName: null,
  reviewDue: '2027-05-01',
  lastReviewedAt: '2026-11-01T09:00:00.000Z',
  status: 'active',
  version: 3,
  createdAt: '2026-01-01T09:00:00.000Z',
  updatedAt: '2026-11-01T09:00:00.000Z',
};

const online: CommunityResource = {
  ...walking,
  resourceId: '7a2d1b63-9b88-4d1f-8e66-4a5c3b2f1d22',
  name: 'Carers online café',
  kind: 'carers-centre',
  summary: 'Meet other carers online',
  description: '',
  needs: ['caring-responsibilities'],
  domainCodes: [],
  online: true,
  address: null,
  postcode: null,
  sessions: [],
  scheduleNote: 'First Tuesday of the month',
  minAge: null,
  costKind: 'donation',
  costNote: '£2 suggested',
  accessibility: ['online-option'],
  accessibilityNote: '',
  selfReferral: false,
  phone: null,
  email: null,
  website: null,
  capacity: null,
  acceptingReferrals: false,
};

const bodyOf = (r: CommunityResource) =>
  Object.fromEntries(
    Object.keys(CommunityResourceBody.properties).map((k) => [k, r[k as keyof CommunityResource]]),
  );

describe('the CSV format of the directory', () => {
  it('has one column per field of the contract, identity first and review columns last', () => {
    const contractColumns = COMMUNITY_CSV_HEADER.slice(3, -3);
    expect(contractColumns).toHaveLength(Object.keys(CommunityResourceBody.properties).length);
    expect(COMMUNITY_CSV_HEADER.slice(0, 3)).toEqual(['resource_id', 'organisation_id', 'organisation_name']);
    expect(contractColumns).toContain('accepting_referrals');
    expect(REQUIRED_COMMUNITY_COLUMNS).toEqual([
      'name',
      'kind',
      'summary',
      'online',
      'cost_kind',
      'self_referral',
      'accepting_referrals',
    ]);
    expect(communityColumnOf('sessions.1.end')).toBe('sessions');
    expect(communityColumnOf('domainCodes')).toBe('domain_codes');
  });

  it('writes and reads back every field', () => {
    const csv = writeCommunityCsv([walking, online]);
    expect(csv.split('\r\n')[0]).toBe(COMMUNITY_CSV_HEADER.join(','));
    expect(csv).toContain('mon 10:00-11:00;thu 18:00-19:30');
    expect(csv).toContain('loneliness-isolation;physical-activity');
    const [first, second] = readCommunityCsv(csv);
    expect(first?.row).toBe(2);
    expect(first?.resourceId).toBe(walking.resourceId);
    expect(first?.organisationName).toBe('Westshire Ramblers');
    expect(first?.problems).toEqual([]);
    expect(first?.input).toEqual(bodyOf(walking));
    expect(second?.input).toEqual(bodyOf(online));
  });

  it('reads sessions written by hand and names what it cannot read', () => {
    expect(parseSessions('Monday 9:30-11:00; thu 18:00 to 19:30')).toEqual({
      sessions: [
        { day: 'mon', start: '09:30', end: '11:00' },
        { day: 'thu', start: '18:00', end: '19:30' },
      ],
    });
    expect(parseSessions('every other Tuesday').problem).toMatch(/like mon 10:00-12:00/);
    const [row] = readCommunityCsv(
      'name,kind,summary,online,cost_kind,self_referral,accepting_referrals,sessions\nA,other,S,maybe,free,yes,yes,tue\n',
    );
    expect(row?.problems).toEqual([
      { field: 'online', message: 'must be yes or no' },
      { field: 'sessions', message: expect.stringContaining('cannot read "tue"') },
    ]);
    // Columns left out take the field's nothing.
    expect(row?.input).toMatchObject({ description: '', needs: [], address: null, minAge: null });
  });

  it('refuses a file it cannot read at all, in one line', () => {
    expect(() => readCommunityCsv('')).toThrow(CommunityFileError);
    expect(() => readCommunityCsv('name,shoe_size\nA,9\n')).toThrow(/unknown column "shoe_size"/);
    expect(() => readCommunityCsv('name,kind\nA,other\n')).toThrow(/missing column "summary"/);
    expect(() => readCommunityCsv('name,name\n')).toThrow(/named twice/);
  });

  it('tells the formats apart by their first character', () => {
    expect(formatOfContent('\uFEFF [ {}]')).toBe('openreferral');
    expect(formatOfContent('name,kind')).toBe('csv');
  });
});

describe('Open Referral UK JSON', () => {
  it('maps an entry onto the standard’s objects', () => {
    const service = toOpenReferral(walking);
    expect(service).toMatchObject({
      id: walking.resourceId,
      name: 'Riverside Health Walk',
      url: 'https://example.org/walks',
      status: 'active',
      assured_date: '2026-11-01',
      attending_type: 'Venue',
      organization: { id: walking.organisationId, name: 'Westshire Ramblers' },
      eligibilitys: [{ eligibility: 'Adults of any fitness', minimum_age: 18, maximum_age: null }],
      cost_options: [{ option: 'Free', amount: 0 }],
      contacts: [{ phones: [{ number: '01632 960001' }] }],
      regular_schedules: [
        { byday: 'MO', opens_at: '10:00:00', closes_at: '11:00:00', freq: 'WEEKLY' },
        { byday: 'TH', opens_at: '18:00:00', closes_at: '19:30:00' },
      ],
    });
    const location = service.service_at_locations[0]?.location;
    expect(location?.physical_addresses).toEqual([
      expect.objectContaining({
        address_1: 'Riverside Café, 1 Mill Lane',
        city: 'Riverton',
        postal_code: 'RV1 2AB',
      }),
    ]);
    expect(location?.accessibility_for_disabilities.map((a) => a.accessibility)).toEqual([
      'Step-free access',
      'Accessible toilet',
    ]);
    expect(service.service_taxonomys.map((t) => t.taxonomy.id)).toEqual([
      'whatmatters:kind:walking-group',
      'whatmatters:need:loneliness-isolation',
      'whatmatters:need:physical-activity',
      'whatmatters:outcome-domain:social-connection',
    ]);
    expect(toOpenReferral({ ...online, status: 'closed' })).toMatchObject({
      status: 'defunct',
      attending_type: 'Online',
    });
  });

  it('reads its own export back to the same entries', () => {
    const entries = readOpenReferral(writeOpenReferral([walking, online]));
    expect(entries.map((e) => e.row)).toEqual([1, 2]);
    expect(entries[0]).toMatchObject({
      resourceId: walking.resourceId,
      organisationId: walking.organisationId,
      organisationName: 'Westshire Ramblers',
      problems: [],
    });
    expect(entries[0]?.input).toEqual(bodyOf(walking));
    expect(entries[1]?.input).toEqual(bodyOf(online));
  });

  it('reads a service from another directory from the standard’s fields alone', () => {
    const [entry] = readOpenReferral(
      JSON.stringify({
        content: [
          {
            id: 'svc-42',
            name: 'Money Advice Drop-in',
            description: 'Free, confidential debt advice. Bring your letters.',
            organization: { id: 'org-9', name: 'Riverton Advice Centre' },
            fees: 'Free',
            attending_access: 'drop-in',
            regular_schedules: [{ byday: 'TU,FR', opens_at: '9:30', closes_at: '12:00:00' }],
            service_at_locations: [
              {
                location: {
                  physical_addresses: [
                    { address_1: '2 High Street', city: 'Riverton', postal_code: 'rv1 2ab' },
                  ],
                  accessibility_for_disabilities: [
                    { accessibility: 'Hearing loop' },
                    { accessibility: 'Lift' },
                  ],
                },
              },
            ],
            service_taxonomys: [
              { taxonomy: { id: 'x', name: 'Money worries and debt', vocabulary: 'whatmatters:need' } },
            ],
          },
        ],
      }),
    );
    expect(entry?.resourceId).toBe('svc-42');
    expect(entry?.input).toMatchObject({
      kind: 'other',
      summary: 'Free, confidential debt advice.',
      costKind: 'free',
      selfReferral: true,
      acceptingReferrals: true,
      needs: ['money-debt'],
      address: '2 High Street\nRiverton',
      postcode: 'rv1 2ab',
      accessibility: ['hearing-loop'],
      accessibilityNote: 'Lift',
      sessions: [
        { day: 'tue', start: '09:30', end: '12:00' },
        { day: 'fri', start: '09:30', end: '12:00' },
      ],
    });
    expect(openReferralFieldOf('sessions.0.end')).toBe('regular_schedules');
  });

  it('refuses what is not Open Referral UK JSON', () => {
    expect(() => readOpenReferral('{nope')).toThrow(/not valid JSON/);
    expect(() => readOpenReferral('{"a":1}')).toThrow(/expected an array of services/);
    expect(readOpenReferral('[3]')[0]?.problems).toEqual([
      { field: 'service', message: 'is not a service object' },
    ]);
  });
});
