import { describe, expect, it } from 'vitest';
import { expectValidFhir } from '../../../test/support/fhir-validator.js';
import {
  RELATIONSHIP_ROLE_SYSTEM,
  relatedPersonOf,
  relationshipOf,
  type VersionedRelationship,
} from './fhir-related-person.js';

const personId = '0b6a3c1e-2f4d-4a5b-8c7d-9e0f1a2b3c4d';
const entry: VersionedRelationship = {
  relationshipId: '1c7b4d2f-3a5e-4b6c-9d8e-0f1a2b3c4d5e',
  name: 'Ravi Mistry',
  relationshipType: 'Son',
  isCarer: true,
  contact: '07700 900123',
  hasAccount: false,
  mayView: false,
  mayContribute: false,
  versionId: 2,
  lastUpdated: new Date('2026-03-01T09:00:00.000Z'),
};

describe('RelatedPerson mapping', () => {
  it('is valid, with the v3 RoleCode where the words name one, the carer code and a phone number', () => {
    const r = relatedPersonOf(personId, entry);
    expectValidFhir(r);
    expect(r.relationship?.[0]).toEqual({
      coding: [
        { system: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode', code: 'SON', display: 'natural son' },
      ],
      text: 'Son',
    });
    expect(r.relationship?.[1]?.coding?.[0]).toMatchObject({
      system: RELATIONSHIP_ROLE_SYSTEM,
      code: 'carer',
    });
    expect(r.telecom).toEqual([{ system: 'phone', value: '07700 900123' }]);
    expect(r.meta?.versionId).toBe('2');
  });

  it('keeps words it cannot code as text, and a contact that is no number as other', () => {
    const r = relatedPersonOf(personId, {
      ...entry,
      relationshipType: 'old workmate',
      isCarer: false,
      contact: 'Ask at the Red Lion',
    });
    expectValidFhir(r);
    expect(r.relationship).toEqual([{ text: 'old workmate' }]);
    expect(r.telecom).toEqual([{ system: 'other', value: 'Ask at the Red Lion' }]);
    const email = relatedPersonOf(personId, { ...entry, contact: 'ravi@example.org' });
    expect(email.telecom).toEqual([{ system: 'email', value: 'ravi@example.org' }]);
  });

  it('reads back the AddRelationship input, and refuses what it cannot keep', () => {
    expect(relationshipOf(relatedPersonOf(personId, entry))).toEqual({
      name: 'Ravi Mistry',
      relationshipType: 'Son',
      isCarer: true,
      contact: '07700 900123',
    });
    expect(() => relationshipOf({ ...relatedPersonOf(personId, entry), birthDate: '1980-01-01' })).toThrow(
      /birthDate/,
    );
    expect(() => relationshipOf({ ...relatedPersonOf(personId, entry), name: [] })).toThrow(/one name/);
  });
});
