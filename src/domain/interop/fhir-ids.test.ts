import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { derivedUuid, FHIR_ID, isUuid, parsePersonRowId, parseReference, personRowId } from './fhir-ids.js';

describe('FHIR ids for rows of a person’s record', () => {
  it('carry the person and the row, within FHIR’s 64 characters, and read back', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.uuid(), (person, row) => {
        const id = personRowId(person, row);
        expect(id).toMatch(FHIR_ID);
        expect(id).toHaveLength(64);
        expect(parsePersonRowId(id)).toEqual({ personId: person.toLowerCase(), rowId: row.toLowerCase() });
      }),
    );
  });

  it('refuse ids that are not ours', () => {
    expect(parsePersonRowId('abc')).toBeNull();
    expect(parsePersonRowId('G'.repeat(64))).toBeNull();
    expect(parsePersonRowId(`${'a'.repeat(64)}0`)).toBeNull();
  });

  it('derive the same uuid from the same names, a different one from others', () => {
    const a = derivedUuid('gas-baseline', '6f1c2d7e-0000-4000-8000-000000000001');
    expect(isUuid(a)).toBe(true);
    expect(a[14]).toBe('5');
    expect(derivedUuid('gas-baseline', '6f1c2d7e-0000-4000-8000-000000000001')).toBe(a);
    expect(derivedUuid('gas-baseline', '6f1c2d7e-0000-4000-8000-000000000002')).not.toBe(a);
  });

  it('parse references, relative and absolute, with or without a version', () => {
    expect(parseReference('Patient/abc-1')).toEqual({ type: 'Patient', id: 'abc-1' });
    expect(parseReference('http://x.test/fhir/Goal/9/_history/2')).toEqual({ type: 'Goal', id: '9' });
    expect(parseReference('urn:uuid:123')).toBeNull();
  });
});
