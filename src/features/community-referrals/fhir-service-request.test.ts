import type { ServiceRequest } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { expectValidFhir } from '../../../test/support/fhir-validator.js';
import { personRowId } from '../../domain/interop/fhir-ids.js';
import { importedRowId } from '../../domain/interop/fhir-import.js';
import {
  DECLINE_REASON_EXTENSION,
  NEED_SYSTEM,
  REFERRAL_STATUS_EXTENSION,
  REFERRAL_STATUS_SYSTEM,
  RESPONDED_BY_EXTENSION,
  SHARE_CONSENT_EXTENSION,
  SOCIAL_PRESCRIBING_CATEGORY,
  SUPPORT_KIND_SYSTEM,
} from '../../domain/interop/service-request.js';
import { ServiceError } from '../../services/errors.js';
import { goalIdOf } from '../outcomes/fhir-goal.js';
import { referralToRestore, serviceRequestOf } from './fhir-service-request.js';
import type { CommunityReferral } from './service.js';

const personId = '0b6f1e2a-3c4d-4e5f-8a9b-0c1d2e3f4a5b';
const referralId = '1c7a2f3b-4d5e-4f6a-9b0c-1d2e3f4a5b6c';
const resourceId = '2d8b3a4c-5e6f-4a7b-8c1d-2e3f4a5b6c7d';
const outcomeId = '3e9c4b5d-6f7a-4b8c-9d2e-3f4a5b6c7d8e';
const staffId = '4fad5c6e-7a8b-4c9d-8e3f-4a5b6c7d8e9f';
const responderId = '5abe6d7f-8b9c-4dae-9f4a-5b6c7d8e9fa0';

const referral: CommunityReferral = {
  referralId,
  personId,
  resource: {
    resourceId,
    name: 'Riverside Walking Group',
    kind: 'walking-group',
    organisationId: '6bcf7e8a-9cad-4ebf-8a5b-6c7d8e9fa0b1',
    organisationName: 'Riverside Ramblers',
    phone: null,
    email: null,
    howToRefer: 'Phone us',
  },
  kind: 'referral',
  madeBy: 'practitioner',
  needs: ['loneliness-isolation', 'physical-activity'],
  reason: 'Wants to get out more and meet people',
  shareConsent: true,
  outcome: { outcomeId, statement: 'I want to walk to the shops again' },
  status: 'declined',
  declineReason: 'no-capacity',
  statusNote: 'Full until spring',
  respondedBy: 'Jo Green',
  respondedAt: '2026-03-02T10:00:00.000Z',
  createdBy: 'Sam Patel',
  createdAt: '2026-03-01T09:00:00.000Z',
  updatedAt: '2026-03-02T10:00:00.000Z',
  version: 2,
  attendance: [],
  actions: [],
};
const accounts = {
  createdBy: { userId: staffId, name: 'Sam Patel', system: false, staff: true },
  respondedBy: { userId: responderId, name: 'Jo Green', system: false, staff: true },
};

describe('ServiceRequest mapping', () => {
  it('is valid R4: an order to the HealthcareService, our status exactly, the answer and the needs', () => {
    const s = serviceRequestOf(personId, referral, accounts);
    expectValidFhir(s);
    expect(s.id).toBe(personRowId(personId, referralId));
    expect(s.meta).toEqual({ versionId: '2', lastUpdated: referral.updatedAt });
    expect(s.status).toBe('revoked');
    expect(s.intent).toBe('order');
    expect(s.category).toEqual([{ coding: [SOCIAL_PRESCRIBING_CATEGORY] }]);
    expect(s.code?.coding?.[0]).toMatchObject({ system: SUPPORT_KIND_SYSTEM, code: 'walking-group' });
    expect(s.subject).toEqual({ reference: `Patient/${personId}` });
    expect(s.performer).toEqual([
      { reference: `HealthcareService/${resourceId}`, display: 'Riverside Walking Group' },
    ]);
    expect(s.requester).toEqual({ reference: `Practitioner/${staffId}`, display: 'Sam Patel' });
    expect(s.reasonCode?.map((r) => r.coding?.[0]?.code)).toEqual([
      'loneliness-isolation',
      'physical-activity',
    ]);
    expect(s.reasonCode?.[0]?.coding?.[0]?.system).toBe(NEED_SYSTEM);
    expect(s.supportingInfo).toEqual([
      { reference: `Goal/${goalIdOf(personId, outcomeId)}`, display: 'I want to walk to the shops again' },
    ]);
    expect(s.note).toEqual([{ text: referral.reason }]);
    expect(s.authoredOn).toBe(referral.createdAt);
    const ext = Object.fromEntries((s.extension ?? []).map((x) => [x.url, x]));
    expect(ext[REFERRAL_STATUS_EXTENSION]?.valueCoding).toMatchObject({
      system: REFERRAL_STATUS_SYSTEM,
      code: 'declined',
    });
    expect(ext[DECLINE_REASON_EXTENSION]?.valueCoding?.code).toBe('no-capacity');
    expect(ext[RESPONDED_BY_EXTENSION]?.valueReference?.reference).toBe(`Practitioner/${responderId}`);
    expect(ext[SHARE_CONSENT_EXTENSION]?.valueBoolean).toBe(true);
  });

  it('maps every status and both kinds; a signpost is a proposal, a self-referral names the Patient', () => {
    const cases = [
      ['sent', 'active'],
      ['accepted', 'active'],
      ['withdrawn', 'revoked'],
      ['ended', 'completed'],
    ] as const;
    for (const [status, fhir] of cases) {
      const s = serviceRequestOf(personId, { ...referral, status, declineReason: null }, accounts);
      expectValidFhir(s);
      expect(s.status).toBe(fhir);
    }
    const signpost = serviceRequestOf(
      personId,
      {
        ...referral,
        kind: 'signpost',
        madeBy: 'person',
        status: 'signposted',
        declineReason: null,
        statusNote: '',
        respondedAt: null,
        shareConsent: false,
        outcome: null,
        needs: [],
      },
      { createdBy: accounts.createdBy },
    );
    expectValidFhir(signpost);
    expect(signpost.intent).toBe('proposal');
    expect(signpost.status).toBe('completed');
    expect(signpost.requester?.reference).toBe(`Patient/${personId}`);
    expect(signpost.reasonCode).toBeUndefined();
    expect(signpost.supportingInfo).toBeUndefined();
    const byCarer = serviceRequestOf(personId, { ...referral, madeBy: 'carer' }, accounts);
    expect(byCarer.requester).toEqual({ type: 'RelatedPerson', display: 'Sam Patel' });
    // Answered by the person's own account (a withdrawal): no Practitioner is named.
    const withdrawn = serviceRequestOf(
      personId,
      { ...referral, status: 'withdrawn', declineReason: null },
      { ...accounts, respondedBy: { ...accounts.respondedBy, staff: false } },
    );
    expect(withdrawn.extension?.some((x) => x.url === RESPONDED_BY_EXTENSION)).toBe(false);
  });

  it('comes back as it went: every field of the referral restored', () => {
    const back = referralToRestore(serviceRequestOf(personId, referral, accounts), personId);
    expect(back).toEqual({
      referralId,
      resourceId,
      outcomeId,
      kind: 'referral',
      madeBy: 'practitioner',
      needs: referral.needs,
      reason: referral.reason,
      shareConsent: true,
      status: 'declined',
      declineReason: 'no-capacity',
      statusNote: 'Full until spring',
      createdBy: staffId,
      respondedBy: responderId,
      respondedAt: referral.respondedAt,
      createdAt: referral.createdAt,
      updatedAt: referral.updatedAt,
      version: 2,
    });
    const accepted = serviceRequestOf(
      personId,
      { ...referral, status: 'accepted', declineReason: null },
      accounts,
    );
    expect(referralToRestore(accepted, personId).status).toBe('accepted');
  });

  it('keeps another system’s request under a derived id, its status from request-status', () => {
    const theirs: ServiceRequest = {
      resourceType: 'ServiceRequest',
      id: 'their-referral-1',
      status: 'active',
      intent: 'order',
      subject: { reference: `Patient/${personId}` },
      performer: [{ reference: `HealthcareService/${resourceId}` }],
      note: [{ text: 'Lonely since moving' }],
      extension: [{ url: SHARE_CONSENT_EXTENSION, valueBoolean: true }],
    };
    const back = referralToRestore(theirs, personId);
    expect(back.referralId).toBe(importedRowId(personId, 'ServiceRequest', 'their-referral-1'));
    expect(back.referralId).not.toBe('their-referral-1');
    expect(back.status).toBe('sent');
    expect(back.madeBy).toBe('practitioner');
  });

  it('refuses what making a referral refuses, naming the element', () => {
    const refusal = (change: Partial<ServiceRequest>, element: string) => {
      const s = { ...serviceRequestOf(personId, referral, accounts), ...change } as ServiceRequest;
      let error: unknown;
      try {
        referralToRestore(s, personId);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ServiceError);
      expect((error as ServiceError).status).toBe(422);
      expect((error as ServiceError).field).toBe(`ServiceRequest.${element}`);
    };
    refusal({ note: [{ text: 'x'.repeat(151) }] }, 'note');
    refusal({ performer: [{ reference: 'Organization/abc' }] }, 'performer');
    refusal({ intent: 'plan' }, 'intent');
    refusal({ status: 'active' }, 'status');
    refusal({ reasonCode: [{ text: 'lonely' }] }, 'reasonCode[0]');
    refusal({ supportingInfo: [{ reference: 'Condition/1' }] }, 'supportingInfo');
    refusal({ orderDetail: [{ text: 'x' }] } as Partial<ServiceRequest>, 'orderDetail');
    refusal(
      {
        extension: (serviceRequestOf(personId, referral, accounts).extension ?? []).map((x) =>
          x.url === SHARE_CONSENT_EXTENSION ? { ...x, valueBoolean: false } : x,
        ),
      },
      'extension',
    );
  });
});
