import type { RelatedPerson } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { derivedUuid } from '../../domain/interop/fhir-ids.js';
import { relatedPersonOf, type VersionedRelationship } from '../../features/people/fhir-related-person.js';
import { relationshipToRestore } from './import-related-people.js';

const PERSON = '0b6a3c1e-2f4d-4a5b-8c7d-9e0f1a2b3c4d';

const entry: VersionedRelationship = {
  relationshipId: '1c7b4d2f-3a5e-4b6c-9d8e-0f1a2b3c4d5e',
  name: 'Ravi Mistry',
  relationshipType: 'Son',
  isCarer: true,
  contact: '07700 900123',
  hasAccount: true,
  mayView: true,
  mayContribute: false,
  versionId: 1,
  lastUpdated: new Date('2026-03-01T09:00:00.000Z'),
};

describe('a RelatedPerson as someone in the person’s circle to restore', () => {
  it('keeps our id, the name, relationship, carer, contact and when it was last changed', () => {
    expect(relationshipToRestore(relatedPersonOf(PERSON, entry), PERSON)).toEqual({
      relationshipId: entry.relationshipId,
      name: 'Ravi Mistry',
      relationshipType: 'Son',
      isCarer: true,
      contact: '07700 900123',
      createdAt: '2026-03-01T09:00:00.000Z',
    });
  });

  it('derives an id for another system’s RelatedPerson, with its name in parts and a v3 code', () => {
    const foreign: RelatedPerson = {
      resourceType: 'RelatedPerson',
      id: 'rp-elsewhere',
      patient: { reference: 'Patient/elsewhere-7' },
      relationship: [
        {
          coding: [
            { system: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode', code: 'DAU', display: 'daughter' },
          ],
        },
      ],
      name: [{ given: ['Asha'], family: 'Patel' }],
    };
    expect(relationshipToRestore(foreign, PERSON)).toEqual({
      relationshipId: derivedUuid('fhir-import', 'RelatedPerson', 'rp-elsewhere'),
      name: 'Asha Patel',
      relationshipType: 'daughter',
      isCarer: false,
      contact: null,
      createdAt: null,
    });
  });

  it('refuses what the mapping refuses and what adding someone refuses, naming the element', () => {
    const r = relatedPersonOf(PERSON, entry);
    expect(() => relationshipToRestore({ ...r, gender: 'male' }, PERSON)).toThrow(
      expect.objectContaining({ field: 'RelatedPerson.gender' }),
    );
    expect(() => relationshipToRestore({ ...r, name: [{ text: 'x'.repeat(201) }] }, PERSON)).toThrow(
      expect.objectContaining({ field: 'RelatedPerson.name' }),
    );
    expect(() =>
      relationshipToRestore({ ...r, meta: { versionId: '1', lastUpdated: 'soon' } }, PERSON),
    ).toThrow(expect.objectContaining({ field: 'RelatedPerson.meta.lastUpdated' }));
    expect(() => relationshipToRestore({ ...r, name: 'x' } as unknown as RelatedPerson, PERSON)).toThrow(
      expect.objectContaining({ status: 422 }),
    );
  });
});
