import type { HealthcareService } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { expectValidFhir } from '../../../test/support/fhir-validator.js';
import { COST_KINDS } from '../../domain/community/vocabulary.js';
import { derivedUuid } from '../../domain/interop/fhir-ids.js';
import { NEED_SYSTEM, SUPPORT_KIND_SYSTEM } from '../../domain/interop/service-request.js';
import { ServiceError } from '../../services/errors.js';
import {
  ACCESSIBILITY_SYSTEM,
  COST_KIND_SYSTEM,
  elementOfField,
  entryOf,
  healthcareServiceOf,
  MAINTAINER_EXTENSION,
  type ReadableEntry,
  SERVICE_PROVISION_SYSTEM,
} from './fhir-healthcare-service.js';

const entry: ReadableEntry = {
  resourceId: '33333333-3333-4333-8333-333333333333',
  organisationId: '11111111-1111-4111-8111-111111111111',
  organisationName: 'Riverside Voluntary Action',
  name: 'Riverside Walking Group',
  kind: 'walking-group',
  summary: 'Gentle walks by the river, every week',
  description: 'Led walks of an hour, then tea.',
  needs: ['loneliness-isolation', 'physical-activity'],
  domainCodes: ['getting-out'],
  online: true,
  address: 'Riverside Hall\n1 Mill Lane\nRiverton',
  postcode: 'RV1 2AB',
  sessions: [
    { day: 'tue', start: '10:00', end: '11:30' },
    { day: 'sat', start: '09:30', end: '10:30' },
  ],
  scheduleNote: 'Not on bank holidays',
  eligibility: 'Anyone who can walk for an hour',
  minAge: 18,
  maxAge: null,
  costKind: 'donation',
  costNote: '£1 towards tea',
  accessibility: ['step-free', 'public-transport'],
  accessibilityNote: 'Walks are on flat paths',
  selfReferral: true,
  howToRefer: 'Ring Sam, or just turn up',
  phone: '01632 960123',
  email: 'walks@example.org',
  website: 'https://walks.example.org',
  capacity: 20,
  acceptingReferrals: true,
  maintainerUserId: '44444444-4444-4444-8444-444444444444',
  maintainerName: 'Sam Walker',
  reviewDue: '2027-03-01',
  lastReviewedAt: '2026-09-01T10:00:00.000Z',
  status: 'active',
  version: 3,
  createdAt: '2026-01-02T03:04:05.000Z',
  updatedAt: '2026-09-01T10:00:00.000Z',
};

const {
  resourceId: _r,
  organisationId: _o,
  organisationName: _n,
  maintainerUserId: _m,
  maintainerName: _mn,
  reviewDue: _d,
  lastReviewedAt: _l,
  status: _s,
  version: _v,
  createdAt: _c,
  updatedAt: _u,
  ...body
} = entry;

describe('HealthcareService mapping', () => {
  it('maps every field of an entry to a valid R4 HealthcareService', () => {
    const s = healthcareServiceOf(entry);
    expectValidFhir(s);
    expect(s.id).toBe(entry.resourceId);
    expect(s.meta).toEqual({ versionId: '3', lastUpdated: entry.updatedAt });
    expect(s.providedBy).toEqual({
      reference: `Organization/${entry.organisationId}`,
      display: 'Riverside Voluntary Action',
    });
    expect(s.active).toBe(true);
    expect(s.category?.[0]?.coding?.[0]).toMatchObject({
      system: SUPPORT_KIND_SYSTEM,
      code: 'walking-group',
    });
    expect(s.comment).toBe(entry.summary);
    expect(s.extraDetails).toBe(entry.description);
    expect(s.availableTime).toEqual([
      { daysOfWeek: ['tue'], availableStartTime: '10:00:00', availableEndTime: '11:30:00' },
      { daysOfWeek: ['sat'], availableStartTime: '09:30:00', availableEndTime: '10:30:00' },
    ]);
    expect(s.availabilityExceptions).toBe('Not on bank holidays');
    expect(s.serviceProvisionCode?.[0]?.coding?.map((c) => [c.system, c.code])).toEqual([
      [SERVICE_PROVISION_SYSTEM, 'free'],
      [COST_KIND_SYSTEM, 'donation'],
    ]);
    expect(s.telecom?.map((t) => t.system)).toEqual(['phone', 'email', 'url']);
    expect(s.location).toEqual([{ reference: '#place' }, { reference: '#online' }]);
    expect(s.contained?.[0]).toMatchObject({
      resourceType: 'Location',
      address: { line: ['Riverside Hall', '1 Mill Lane', 'Riverton'], postalCode: 'RV1 2AB' },
    });
    expect(
      s.characteristic?.flatMap((c) =>
        (c.coding ?? []).map(
          (x) =>
            `${x.system === NEED_SYSTEM ? 'need' : x.system === ACCESSIBILITY_SYSTEM ? 'access' : 'domain'}:${x.code}`,
        ),
      ),
    ).toEqual([
      'need:loneliness-isolation',
      'need:physical-activity',
      'domain:getting-out',
      'access:step-free',
      'access:public-transport',
    ]);
    expect(s.extension?.find((x) => x.url === MAINTAINER_EXTENSION)?.valueReference?.reference).toBe(
      `Practitioner/${entry.maintainerUserId}`,
    );
  });

  it('maps a bare entry (closed, no place, no contacts, no maintainer shown) validly', () => {
    const bare: ReadableEntry = {
      ...entry,
      description: '',
      needs: [],
      domainCodes: [],
      online: false,
      address: null,
      postcode: null,
      sessions: [],
      scheduleNote: '',
      eligibility: '',
      minAge: null,
      costNote: '',
      accessibility: [],
      accessibilityNote: '',
      howToRefer: '',
      phone: null,
      email: null,
      website: null,
      capacity: null,
      maintainerUserId: undefined,
      maintainerName: undefined,
      lastReviewedAt: null,
      status: 'closed',
    };
    const s = healthcareServiceOf(bare);
    expectValidFhir(s);
    expect(s.active).toBe(false);
    expect(s.contained).toBeUndefined();
    expect(s.extension?.some((x) => x.url === MAINTAINER_EXTENSION)).toBe(false);
    expect(entryOf(s).body).toMatchObject({ online: false, address: null, sessions: [], capacity: null });
  });

  it.each(COST_KINDS)('keeps the cost kind %s exactly, beside HL7’s nearest', (costKind) => {
    const s = healthcareServiceOf({ ...entry, costKind });
    expectValidFhir(s);
    expect(entryOf(s).body.costKind).toBe(costKind);
  });

  it('round-trips an entry: export then import gives back what was saved', () => {
    const back = entryOf(healthcareServiceOf(entry));
    expect(back.resourceId).toBe(entry.resourceId);
    expect(back.organisationSourceId).toBe(entry.organisationId);
    expect(back.maintainerSourceId).toBe(entry.maintainerUserId);
    expect(back.status).toBe('active');
    expect(back.reviewDue).toBe('2027-03-01');
    expect(back.lastReviewedAt?.toISOString()).toBe(entry.lastReviewedAt);
    expect(back.body).toEqual(body);
  });

  it('reads another system’s HealthcareService: derived id, HL7 cost code, defaults for what it leaves out', () => {
    const foreign: HealthcareService = {
      resourceType: 'HealthcareService',
      id: 'svc-42',
      providedBy: { reference: 'Organization/org-7' },
      category: [{ coding: [{ system: SUPPORT_KIND_SYSTEM, code: 'befriending' }] }],
      name: 'Phone friends',
      comment: 'A weekly call',
      serviceProvisionCode: [{ coding: [{ system: SERVICE_PROVISION_SYSTEM, code: 'cost' }] }],
      availableTime: [
        { daysOfWeek: ['mon', 'wed'], availableStartTime: '14:00:00', availableEndTime: '15:00:00' },
      ],
    };
    const back = entryOf(foreign);
    expect(back.resourceId).toBe(derivedUuid('fhir-import', 'HealthcareService', 'svc-42'));
    expect(back.organisationSourceId).toBe('org-7');
    expect(back.body.costKind).toBe('paid');
    expect(back.body.sessions).toEqual([
      { day: 'mon', start: '14:00', end: '15:00' },
      { day: 'wed', start: '14:00', end: '15:00' },
    ]);
    expect(back.body.selfReferral).toBe(false);
    expect(back.body.acceptingReferrals).toBe(true);
  });

  it.each([
    [{ providedBy: undefined }, 'HealthcareService.providedBy'],
    [{ category: [{ text: 'Walking' }] }, 'HealthcareService.category'],
    [{ serviceProvisionCode: undefined }, 'HealthcareService.serviceProvisionCode'],
    [{ location: [{ reference: 'Location/elsewhere' }] }, 'HealthcareService.location'],
    [{ specialty: [{ text: 'Cardiology' }] }, 'HealthcareService.specialty'],
    [{ extension: [{ url: 'https://example.org/other', valueString: 'x' }] }, 'HealthcareService.extension'],
    [{ availableTime: [{ daysOfWeek: ['mon'], allDay: true }] }, 'HealthcareService.availableTime'],
  ] as [Partial<HealthcareService>, string][])(
    'refuses what it cannot keep, naming the element (%#)',
    (change, element) => {
      const s = { ...healthcareServiceOf(entry), ...change };
      try {
        entryOf(s);
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(ServiceError);
        expect((error as ServiceError).field).toBe(element);
      }
    },
  );

  it('names the element a rule of the directory refused', () => {
    expect(elementOfField('sessions.0.start')).toBe('HealthcareService.availableTime');
    expect(elementOfField('summary')).toBe('HealthcareService.comment');
    expect(elementOfField('postcode')).toBe('HealthcareService.location');
  });
});
