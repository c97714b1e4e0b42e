import { describe, expect, it } from 'vitest';
import { expectValidFhir } from '../../../test/support/fhir-validator.js';
import { practitionerOf } from './fhir-practitioner.js';
import type { StaffAccount } from './service.js';

const staff: StaffAccount = {
  userId: '33333333-3333-4333-8333-333333333333',
  displayName: 'Sam Practitioner',
  jobTitle: 'Social worker',
  active: true,
  createdAt: new Date('2025-01-02T03:04:05Z'),
  roles: [],
};

describe('Practitioner mapping', () => {
  it('maps a staff account to a valid Practitioner with its name and nothing else about the account', () => {
    const p = practitionerOf(staff);
    expectValidFhir(p);
    expect(p).toEqual({
      resourceType: 'Practitioner',
      id: staff.userId,
      meta: { versionId: '1', lastUpdated: '2025-01-02T03:04:05.000Z' },
      active: true,
      name: [{ use: 'usual', text: 'Sam Practitioner' }],
    });
  });

  it('marks a disabled account inactive', () => {
    expect(practitionerOf({ ...staff, active: false }).active).toBe(false);
  });
});
