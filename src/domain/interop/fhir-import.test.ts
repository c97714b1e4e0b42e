import { describe, expect, it } from 'vitest';
import { derivedUuid, personRowId } from './fhir-ids.js';
import {
  bucketOf,
  emptyReport,
  importedPersonId,
  importedRowId,
  MAX_LISTED_SKIPS,
  noteSkip,
  patientKeyOf,
  resourceOfLine,
  resourcesOfBundle,
} from './fhir-import.js';

const PERSON = '3f2b8c1e-4a5d-4e6f-8a7b-9c0d1e2f3a4b';
const ROW = '11111111-2222-4333-8444-555555555555';

describe('reading NDJSON lines', () => {
  it('reads a resource, skips a blank line and reports what is not a resource', () => {
    expect(resourceOfLine('  ', 'f line 1')).toBeNull();
    expect(resourceOfLine('{"resourceType":"Patient","id":"a"}', 'f line 2')).toEqual({
      ok: true,
      resource: { resourceType: 'Patient', id: 'a' },
      where: 'f line 2',
    });
    expect(resourceOfLine('{nope', 'f line 3')).toMatchObject({ ok: false, reason: 'The line is not JSON.' });
    expect(resourceOfLine('{"id":"a"}', 'f line 4')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('resourceType'),
    });
    expect(resourceOfLine('{"resourceType":"Goal","id":"bad id!"}', 'f line 5')).toMatchObject({
      ok: false,
      type: 'Goal',
      reason: 'The id is not a FHIR id.',
    });
  });
});

describe('reading Bundles', () => {
  it('resolves urn:uuid fullUrls to Type/id, giving an entry without an id its urn uuid', () => {
    const urn = 'urn:uuid:a1b2c3d4-7777-4c2b-9a7e-0e6f3c2a9d17';
    const read = resourcesOfBundle(
      {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          { fullUrl: urn, resource: { resourceType: 'Patient' } },
          {
            fullUrl: 'urn:uuid:00000000-0000-4000-8000-000000000001',
            resource: { resourceType: 'Goal', id: 'g1', subject: { reference: urn } },
          },
          {
            fullUrl: 'x',
            resource: {
              resourceType: 'CarePlan',
              id: 'c',
              goal: [{ reference: 'urn:uuid:00000000-0000-4000-8000-000000000001' }],
              subject: { reference: 'Patient/other' },
            },
          },
          { request: { method: 'DELETE' } },
        ],
      },
      'b.json',
    );
    expect(read[0]).toMatchObject({
      ok: true,
      resource: { resourceType: 'Patient', id: 'a1b2c3d4-7777-4c2b-9a7e-0e6f3c2a9d17' },
    });
    expect(read[1]).toMatchObject({
      ok: true,
      resource: { subject: { reference: 'Patient/a1b2c3d4-7777-4c2b-9a7e-0e6f3c2a9d17' } },
    });
    expect(read[2]).toMatchObject({
      ok: true,
      resource: { goal: [{ reference: 'Goal/g1' }], subject: { reference: 'Patient/other' } },
    });
    expect(read[3]).toMatchObject({
      ok: false,
      where: 'b.json entry 3',
      reason: 'The entry has no resource.',
    });
  });
});

describe('the person a resource is about', () => {
  it('is a Patient’s own id, else its patient, subject or beneficiary reference to a Patient', () => {
    expect(patientKeyOf({ resourceType: 'Patient', id: 'p' })).toBe('p');
    expect(patientKeyOf({ resourceType: 'Goal', subject: { reference: 'Patient/p1' } })).toBe('p1');
    expect(
      patientKeyOf({ resourceType: 'Consent', patient: { reference: 'https://x/fhir/Patient/p2' } }),
    ).toBe('p2');
    expect(patientKeyOf({ resourceType: 'Observation', subject: { reference: 'Group/g' } })).toBeNull();
    expect(patientKeyOf({ resourceType: 'Organization', id: 'o' })).toBeNull();
  });
});

describe('ids kept on import', () => {
  it('keeps our own ids and derives a stable uuid from another system’s', () => {
    expect(importedPersonId(PERSON)).toBe(PERSON);
    expect(importedPersonId(PERSON.toUpperCase())).toBe(PERSON);
    expect(importedPersonId('synthea-1')).toBe(derivedUuid('fhir-import', 'Patient', 'synthea-1'));
    expect(importedPersonId('synthea-1')).not.toBe(importedPersonId('synthea-2'));
    expect(importedRowId(PERSON, 'Goal', personRowId(PERSON, ROW))).toBe(ROW);
    // Another person's row id is foreign here: derived, never taken over.
    const other = '9f2b8c1e-4a5d-4e6f-8a7b-9c0d1e2f3a4b';
    expect(importedRowId(other, 'Goal', personRowId(PERSON, ROW))).toBe(
      derivedUuid('fhir-import', 'Goal', personRowId(PERSON, ROW)),
    );
  });

  it('puts every resource of a person in the same bucket, spread over the buckets', () => {
    expect(bucketOf('p1', 8)).toBe(bucketOf('p1', 8));
    const used = new Set(Array.from({ length: 200 }, (_, i) => bucketOf(`person-${i}`, 8)));
    expect(used.size).toBe(8);
  });
});

describe('the report', () => {
  it('counts every skip by type and reason and lists only the first ones', () => {
    const report = emptyReport(['a'], false);
    for (let i = 0; i < MAX_LISTED_SKIPS + 5; i++)
      noteSkip(report, { type: 'Encounter', id: `${i}`, where: 'a', reason: 'Not kept.' });
    expect(report.skippedCounts).toEqual({ 'Encounter: Not kept.': MAX_LISTED_SKIPS + 5 });
    expect(report.skipped).toHaveLength(MAX_LISTED_SKIPS);
  });
});
