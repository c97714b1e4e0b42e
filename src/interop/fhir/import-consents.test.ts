import type { Consent } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { derivedUuid } from '../../domain/interop/fhir-ids.js';
import { consentOf, type VersionedSharingBasis } from '../../features/sharing/fhir-consent.js';
import {
  consentToRestore,
  importedOrganisationId,
  registeringOrganisation,
  registrationConsent,
} from './import-consents.js';

const PERSON = '0b6a3c1e-2f4d-4a5b-8c7d-9e0f1a2b3c4d';
const ORGANISATION = '2d8c5e3a-4b6f-4c7d-8e9f-1a2b3c4d5e6f';

const basis: VersionedSharingBasis = {
  basisId: '1c7b4d2f-3a5e-4b6c-9d8e-0f1a2b3c4d5e',
  organisationId: ORGANISATION,
  organisationName: 'Riverside Council',
  basis: 'consent',
  purpose: 'Befriending',
  note: 'Asked at the first visit',
  recordedBy: 'Sam Okoro',
  recordedByAccount: { userId: '3e9d6f4b-5c7a-4d8e-9f0a-2b3c4d5e6f7a', name: 'Sam Okoro', system: false },
  recordedAt: '2026-03-01T09:00:00.000Z',
  withdrawnAt: null,
  withdrawnBy: null,
  withdrawalReason: null,
  versionId: 1,
  lastUpdated: new Date('2026-03-01T09:00:00.000Z'),
};

describe('a Consent as a basis for sharing to restore', () => {
  it('keeps our id, the organisation, basis, purpose, note and when it was recorded', () => {
    expect(consentToRestore(consentOf(PERSON, basis), PERSON)).toEqual({
      basisId: basis.basisId,
      organisationId: ORGANISATION,
      basis: 'consent',
      purpose: 'Befriending',
      note: 'Asked at the first visit',
      recordedAt: '2026-03-01T09:00:00.000Z',
      withdrawal: null,
      // Who recorded it, as our recorded-by extension names them.
      recordedBy: '3e9d6f4b-5c7a-4d8e-9f0a-2b3c4d5e6f7a',
    });
    // A system recorded it: no Practitioner is named.
    const bySystem = { ...basis, recordedByAccount: { ...basis.recordedByAccount, system: true } };
    expect(
      consentToRestore(consentOf(PERSON, bySystem as VersionedSharingBasis), PERSON).recordedBy,
    ).toBeNull();
  });

  it('keeps a withdrawal with its date and reason, and one the person gave no reason for', () => {
    const withdrawn = { ...basis, withdrawnAt: '2026-05-02T10:30:00.000Z', withdrawalReason: 'Moved away' };
    expect(consentToRestore(consentOf(PERSON, withdrawn), PERSON).withdrawal).toEqual({
      at: '2026-05-02T10:30:00.000Z',
      reason: 'Moved away',
      by: null,
    });
    const noReason = consentOf(PERSON, { ...withdrawn, withdrawalReason: null });
    expect(consentToRestore(noReason, PERSON).withdrawal).toEqual({
      at: '2026-05-02T10:30:00.000Z',
      reason: null,
      by: null,
    });
    // Without a period end, the last update (withdrawing is the only change) says when.
    const { provision, ...rest } = noReason;
    const lastUpdated: Consent = {
      ...rest,
      provision: { ...provision, period: { start: basis.recordedAt } },
      meta: { versionId: '2', lastUpdated: '2026-05-03T08:00:00Z' },
    };
    expect(consentToRestore(lastUpdated, PERSON).withdrawal?.at).toBe('2026-05-03T08:00:00.000Z');
  });

  it('keeps who withdrew it: the Practitioner withdrawn-by names; the person or a carer names none', () => {
    const STAFF = '4fa07a5c-6d8b-4e9f-8a1b-3c4d5e6f7a8b';
    const withdrawn = { ...basis, withdrawnAt: '2026-05-02T10:30:00.000Z', withdrawalReason: 'Moved away' };
    const byStaff = consentOf(PERSON, {
      ...withdrawn,
      withdrawnByAccount: { userId: STAFF, name: 'Ada Lee', system: false, personId: null },
    });
    expect(consentToRestore(byStaff, PERSON).withdrawal?.by).toBe(STAFF);
    const byPerson = consentOf(PERSON, {
      ...withdrawn,
      withdrawnByAccount: { userId: STAFF, name: 'Jo Bloggs', system: false, personId: PERSON },
    });
    expect(consentToRestore(byPerson, PERSON).withdrawal?.by).toBeNull();
    // Two are refused, naming the element.
    const twice: Consent = {
      ...byStaff,
      extension: [...(byStaff.extension ?? []), ...(byStaff.extension ?? []).slice(-1)],
    };
    expect(() => consentToRestore(twice, PERSON)).toThrow(
      expect.objectContaining({ field: 'Consent.extension' }),
    );
  });

  it('derives ids for another system’s Consent and Organization, and reads another person’s id as theirs', () => {
    const foreign: Consent = {
      ...consentOf(PERSON, basis),
      id: 'consent-elsewhere',
      patient: { reference: 'Patient/elsewhere-7' },
      organization: [{ reference: 'Organization/org-elsewhere' }],
      provision: {
        type: 'permit',
        actor: [{ role: { text: 'recipient' }, reference: { reference: 'Organization/org-elsewhere' } }],
      },
      dateTime: undefined,
    };
    const restored = consentToRestore(foreign, PERSON);
    expect(restored.basisId).toBe(derivedUuid('fhir-import', 'Consent', 'consent-elsewhere'));
    expect(restored.organisationId).toBe(derivedUuid('fhir-import', 'Organization', 'org-elsewhere'));
    expect(restored.organisationId).toBe(importedOrganisationId('org-elsewhere'));
    expect(importedOrganisationId(ORGANISATION)).toBe(ORGANISATION);
    expect(restored.recordedAt).toBeNull();
  });

  it('refuses what the mapping refuses and what history cannot be, naming the element', () => {
    const consent = consentOf(PERSON, basis);
    expect(() => consentToRestore({ ...consent, status: 'draft' }, PERSON)).toThrow(
      expect.objectContaining({ field: 'Consent.status' }),
    );
    expect(() => consentToRestore({ ...consent, policyRule: { text: 'x' } }, PERSON)).toThrow(
      expect.objectContaining({ field: 'Consent.policyRule' }),
    );
    expect(() => consentToRestore({ ...consent, dateTime: 'yesterday' }, PERSON)).toThrow(
      expect.objectContaining({ field: 'Consent.dateTime' }),
    );
    const ended = { ...consent, provision: { ...consent.provision, period: { end: '2026-04-01' } } };
    expect(() => consentToRestore(ended, PERSON)).toThrow(
      expect.objectContaining({ field: 'Consent.provision.period.end' }),
    );
    expect(() => consentToRestore({ ...consent, extension: 'x' } as unknown as Consent, PERSON)).toThrow(
      expect.objectContaining({ status: 422 }),
    );
  });

  it('finds the Consent that is the basis registering the person writes: in force, direct care, that organisation', () => {
    const direct = consentToRestore(consentOf(PERSON, { ...basis, basis: 'direct-care' }), PERSON);
    const consent = consentToRestore(consentOf(PERSON, basis), PERSON);
    const withdrawn = { ...direct, withdrawal: { at: null, reason: null, by: null } };
    expect(registrationConsent([consent, withdrawn, direct], ORGANISATION)).toBe(direct);
    expect(registrationConsent([consent, withdrawn], ORGANISATION)).toBeUndefined();
    expect(registrationConsent([direct], derivedUuid('another'))).toBeUndefined();
  });

  it('registers the person into the organisation of their direct-care basis in force, when it is held here', () => {
    const direct = consentToRestore(consentOf(PERSON, { ...basis, basis: 'direct-care' }), PERSON);
    const consent = consentToRestore(consentOf(PERSON, basis), PERSON);
    const withdrawn = { ...direct, withdrawal: { at: null, reason: null, by: null } };
    expect(registeringOrganisation([consent, direct], new Set([ORGANISATION]))).toBe(ORGANISATION);
    expect(registeringOrganisation([consent, direct], new Set())).toBeNull();
    expect(registeringOrganisation([consent, withdrawn], new Set([ORGANISATION]))).toBeNull();
  });
});
