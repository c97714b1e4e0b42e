import { describe, expect, it } from 'vitest';
import { expectValidFhir } from '../../../test/support/fhir-validator.js';
import { practitionerRolesOf, ROLE_SYSTEM } from './fhir-practitioner-role.js';
import type { StaffAccount } from './service.js';

const ORG = '11111111-1111-4111-8111-111111111111';
const TEAM = '22222222-2222-4222-8222-222222222222';
const staff: StaffAccount = {
  userId: '33333333-3333-4333-8333-333333333333',
  displayName: 'Sam Manager',
  jobTitle: 'Team lead',
  active: true,
  createdAt: new Date('2025-01-02T03:04:05Z'),
  roles: [
    {
      userRoleId: '44444444-4444-4444-8444-444444444444',
      role: 'team-manager',
      organisationId: ORG,
      teamId: TEAM,
    },
    {
      userRoleId: '55555555-5555-4555-8555-555555555555',
      role: 'practitioner',
      organisationId: ORG,
      teamId: null,
    },
  ],
};

describe('PractitionerRole mapping', () => {
  it('maps each role to a valid PractitionerRole: the role coded, the job title in words, the team or organisation', () => {
    const [inTeam, inOrg] = practitionerRolesOf([staff]);
    for (const role of [inTeam, inOrg]) expectValidFhir(role as NonNullable<typeof role>);
    expect(inTeam?.id).toBe('44444444-4444-4444-8444-444444444444');
    expect(inTeam?.practitioner).toEqual({
      reference: `Practitioner/${staff.userId}`,
      display: 'Sam Manager',
    });
    expect(inTeam?.organization).toEqual({ reference: `Organization/${TEAM}` });
    expect(inOrg?.organization).toEqual({ reference: `Organization/${ORG}` });
    expect(inTeam?.code).toEqual([
      {
        coding: [{ system: ROLE_SYSTEM, code: 'team-manager', display: 'Team manager' }],
        text: 'Team manager',
      },
      { text: 'Team lead' },
    ]);
  });

  it('leaves the job title out when there is none', () => {
    const [role] = practitionerRolesOf([{ ...staff, jobTitle: null }]);
    expect(role?.code).toHaveLength(1);
  });
});
