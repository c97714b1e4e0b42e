import { describe, expect, it } from 'vitest';
import { practitionerIdOf, RECORDED_BY_EXTENSION, recordedByExtension, recorderIdOf } from './recorded-by.js';

const staff = { userId: '4fa07a5c-6d8b-4e9f-8a1b-3c4d5e6f7a8b', name: 'Sam Okoro', system: false };

describe('who recorded it, as our recorded-by extension', () => {
  it('names a member of staff as a Practitioner, and reads the id back', () => {
    const extension = recordedByExtension(staff);
    expect(extension).toEqual([
      {
        url: RECORDED_BY_EXTENSION,
        valueReference: { reference: `Practitioner/${staff.userId}`, display: 'Sam Okoro' },
      },
    ]);
    expect(recorderIdOf(extension)).toEqual({ id: staff.userId, problem: null });
  });

  it('names no system account, and reads none from a resource without it', () => {
    expect(recordedByExtension({ ...staff, system: true })).toEqual([]);
    expect(recorderIdOf(undefined)).toEqual({ id: null, problem: null });
    expect(recorderIdOf([{ url: 'https://example.org/other' }])).toEqual({ id: null, problem: null });
  });

  it('refuses a recorder that is not one Practitioner', () => {
    const patient = [{ url: RECORDED_BY_EXTENSION, valueReference: { reference: 'Patient/p-1' } }];
    expect(recorderIdOf(patient).problem).toMatch(/one reference to a Practitioner/);
    const two = [...recordedByExtension(staff), ...recordedByExtension(staff)];
    expect(recorderIdOf(two).problem).not.toBeNull();
  });

  it('reads a Practitioner reference (a performer, an author), and nothing else', () => {
    expect(practitionerIdOf('Practitioner/abc-1')).toBe('abc-1');
    expect(practitionerIdOf('Patient/abc-1')).toBeNull();
    expect(practitionerIdOf(undefined)).toBeNull();
  });
});
