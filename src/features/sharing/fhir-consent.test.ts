import { describe, expect, it } from 'vitest';
import { expectValidFhir } from '../../../test/support/fhir-validator.js';
import { personRowId } from '../../domain/interop/fhir-ids.js';
import { RECORDED_BY_EXTENSION, WITHDRAWN_BY_EXTENSION } from '../../domain/interop/recorded-by.js';
import {
  consentOf,
  recordingOf,
  SHARING_BASIS_SYSTEM,
  type VersionedSharingBasis,
  withdrawalOf,
  withdrawnByOf,
} from './fhir-consent.js';

const personId = '0b6a3c1e-2f4d-4a5b-8c7d-9e0f1a2b3c4d';
const basis: VersionedSharingBasis = {
  basisId: '1c7b4d2f-3a5e-4b6c-9d8e-0f1a2b3c4d5e',
  organisationId: '2d8c5e3a-4b6f-4c7d-8e9f-1a2b3c4d5e6f',
  organisationName: 'Riverside Council',
  basis: 'consent',
  purpose: 'Befriending',
  note: 'Asked at the first visit',
  recordedBy: 'Sam Okoro',
  recordedAt: '2026-03-01T09:00:00.000Z',
  withdrawnAt: null,
  withdrawnBy: null,
  withdrawalReason: null,
  versionId: 1,
  lastUpdated: new Date('2026-03-01T09:00:00.000Z'),
};

const field = (f: () => unknown) => {
  try {
    f();
  } catch (error) {
    return (error as { field?: string }).field;
  }
  return 'accepted';
};

describe('Consent mapping', () => {
  const consent = consentOf(personId, basis);

  it('is valid FHIR R4 with the basis as policyRule and the organisation as recipient', () => {
    expectValidFhir(consent);
    expect(consent.id).toBe(personRowId(personId, basis.basisId));
    expect(consent.status).toBe('active');
    expect(consent.policyRule?.coding).toEqual([
      { system: SHARING_BASIS_SYSTEM, code: 'consent', display: 'The person consents' },
    ]);
    expect(consent.provision?.actor?.[0]?.reference.reference).toBe(`Organization/${basis.organisationId}`);
  });

  it('names who recorded it in our recorded-by extension, validly; a system is not named', () => {
    const staff = { userId: '3e9d6f4b-5c7a-4d8e-9f0a-2b3c4d5e6f7a', name: 'Sam Okoro', system: false };
    const recorded = consentOf(personId, { ...basis, recordedByAccount: staff });
    expectValidFhir(recorded);
    expect(recorded.extension).toContainEqual({
      url: RECORDED_BY_EXTENSION,
      valueReference: { reference: `Practitioner/${staff.userId}`, display: 'Sam Okoro' },
    });
    // Read-only: a client sending the resource back as it was read is not refused for it.
    expect(field(() => recordingOf(recorded))).toBe('accepted');
    const bySystem = consentOf(personId, { ...basis, recordedByAccount: { ...staff, system: true } });
    expect(bySystem.extension?.some((x) => x.url === RECORDED_BY_EXTENSION)).toBe(false);
  });

  it('a withdrawn basis is inactive, valid, with its period ended', () => {
    const withdrawn = consentOf(personId, {
      ...basis,
      withdrawnAt: '2026-04-01T09:00:00.000Z',
      withdrawnBy: 'Sam Okoro',
      withdrawalReason: 'Moved away',
      versionId: 2,
    });
    expectValidFhir(withdrawn);
    expect(withdrawn.status).toBe('inactive');
    expect(withdrawn.provision?.period?.end).toBe('2026-04-01T09:00:00.000Z');
  });

  it('names who withdrew it in our withdrawn-by extension, validly: staff, the person, a carer', () => {
    const staff = { userId: '4fa07a5c-6d8b-4e9f-8a1b-3c4d5e6f7a8b', name: 'Ada Lee', system: false };
    const withdrawn = { ...basis, withdrawnAt: '2026-04-01T09:00:00.000Z', withdrawalReason: 'Moved away' };
    const byOf = (personIdOfAccount: string | null, system = false) =>
      consentOf(personId, {
        ...withdrawn,
        withdrawnByAccount: { ...staff, system, personId: personIdOfAccount },
      });
    const byStaff = byOf(null);
    expectValidFhir(byStaff);
    expect(byStaff.extension).toContainEqual({
      url: WITHDRAWN_BY_EXTENSION,
      valueReference: { reference: `Practitioner/${staff.userId}`, display: 'Ada Lee' },
    });
    expect(withdrawnByOf(byStaff)).toEqual({ id: staff.userId, problem: null });
    const byPerson = byOf(personId);
    expectValidFhir(byPerson);
    expect(byPerson.extension).toContainEqual({
      url: WITHDRAWN_BY_EXTENSION,
      valueReference: { reference: `Patient/${personId}`, display: 'Ada Lee' },
    });
    expect(withdrawnByOf(byPerson).id).toBeNull();
    const byCarer = byOf('5ab18b6d-7e9c-4fa0-9b2c-4d5e6f7a8b9c');
    expectValidFhir(byCarer);
    expect(byCarer.extension).toContainEqual({
      url: WITHDRAWN_BY_EXTENSION,
      valueReference: { type: 'RelatedPerson', display: 'Ada Lee' },
    });
    // A system's account is no one's; a basis in force names no one; read-only on update.
    expect(byOf(null, true).extension?.some((x) => x.url === WITHDRAWN_BY_EXTENSION)).toBe(false);
    const inForce = consentOf(personId, { ...basis, withdrawnByAccount: { ...staff, personId: null } });
    expect(inForce.extension?.some((x) => x.url === WITHDRAWN_BY_EXTENSION)).toBe(false);
    expect(field(() => recordingOf(byStaff))).toBe('accepted');
  });

  it('reads back the RecordSharingBasis input', () => {
    expect(recordingOf(consent)).toEqual({
      organisationId: basis.organisationId,
      basis: 'consent',
      purpose: 'Befriending',
      note: 'Asked at the first visit',
    });
  });

  it('an update may only withdraw, saying why', () => {
    expect(withdrawalOf(consent, consent)).toBeNull();
    expect(field(() => withdrawalOf({ ...consent, status: 'inactive' }, consent))).toBe('Consent.extension');
    const reason = {
      url: 'https://whatmatters.example.org/fhir/StructureDefinition/sharing-withdrawal-reason',
      valueString: 'Moved',
    };
    expect(
      withdrawalOf(
        { ...consent, status: 'inactive', extension: [...(consent.extension ?? []), reason] },
        consent,
      ),
    ).toEqual({ reason: 'Moved' });
    expect(
      field(() =>
        withdrawalOf(
          { ...consent, policyRule: { coding: [{ system: SHARING_BASIS_SYSTEM, code: 'safeguarding' }] } },
          consent,
        ),
      ),
    ).toBe('Consent.policyRule');
    expect(
      field(() =>
        recordingOf({ ...consent, policyRule: { coding: [{ system: SHARING_BASIS_SYSTEM, code: 'whim' }] } }),
      ),
    ).toBe('Consent.policyRule');
    expect(field(() => recordingOf({ ...consent, verification: [{ verified: true }] }))).toBe(
      'Consent.verification',
    );
  });
});
