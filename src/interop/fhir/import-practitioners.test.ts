import { describe, expect, it } from 'vitest';
import { derivedUuid } from '../../domain/interop/fhir-ids.js';
import { organizationOf, teamOrganizationOf } from '../../features/directory/fhir-organization.js';
import { practitionerOf } from '../../features/directory/fhir-practitioner.js';
import { practitionerRolesOf } from '../../features/directory/fhir-practitioner-role.js';
import type { StaffAccount } from '../../features/directory/service.js';
import {
  accountToRestore,
  importedAccountId,
  isTeamOrganization,
  roleToRestore,
  teamToRestore,
} from './import-practitioners.js';

const ORG = '11111111-1111-4111-8111-111111111111';
const TEAM = '22222222-2222-4222-8222-222222222222';
const USER = '33333333-3333-4333-8333-333333333333';
const made = new Date('2025-01-02T03:04:05.000Z');
const staff: StaffAccount = {
  userId: USER,
  displayName: 'Sam Manager',
  jobTitle: 'Team lead',
  active: true,
  createdAt: made,
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
const organisation = {
  organisationId: ORG,
  name: 'Riverside Council',
  kind: 'council-adult-social-care' as const,
  odsCode: null,
  createdAt: made,
  teams: [{ teamId: TEAM, name: 'Adult social care north', organisationId: ORG, createdAt: made }],
};

describe('teams, Practitioners and PractitionerRoles to restore', () => {
  it('tells a team from an organisation, and keeps a team under its id in its organisation', () => {
    const team = teamOrganizationOf(organisation.teams[0] as (typeof organisation.teams)[0], organisation);
    expect(isTeamOrganization(organizationOf(organisation))).toBe(false);
    expect(isTeamOrganization(team)).toBe(true);
    expect(teamToRestore(team)).toEqual({
      teamId: TEAM,
      organisationId: ORG,
      name: 'Adult social care north',
      createdAt: made.toISOString(),
    });
    // Another system's ids: derived as an Organization's, the same on every run.
    expect(
      teamToRestore({ ...team, id: 'team-7', partOf: { reference: 'Organization/org-3' } }),
    ).toMatchObject({
      teamId: derivedUuid('fhir-import', 'Organization', 'team-7'),
      organisationId: derivedUuid('fhir-import', 'Organization', 'org-3'),
    });
    expect(() => teamToRestore({ ...team, partOf: undefined })).toThrow(
      expect.objectContaining({ field: 'Organization.partOf' }),
    );
    expect(() => teamToRestore({ ...team, name: ' ' })).toThrow(
      expect.objectContaining({ field: 'Organization.name' }),
    );
  });

  it('keeps a Practitioner as an account under its id, named as the directory shows it, unable to sign in', () => {
    expect(accountToRestore(practitionerOf(staff))).toEqual({
      userId: USER,
      username: `practitioner:${USER}`,
      displayName: 'Sam Manager',
      disabled: false,
      createdAt: made.toISOString(),
    });
    expect(accountToRestore(practitionerOf({ ...staff, active: false })).disabled).toBe(true);
    // Another system's: the id derived, the name from its parts, the username its email address.
    const theirs = accountToRestore({
      resourceType: 'Practitioner',
      id: 'npi-9',
      name: [{ prefix: ['Dr.'], given: ['Ada'], family: 'Jones' }],
      telecom: [{ system: 'email', value: 'Ada.Jones@Example.org' }],
    });
    expect(theirs).toMatchObject({
      userId: importedAccountId('npi-9'),
      username: 'ada.jones@example.org',
      displayName: 'Dr. Ada Jones',
    });
    expect(importedAccountId('npi-9')).toBe(derivedUuid('fhir-import', 'Practitioner', 'npi-9'));
    expect(() => accountToRestore({ resourceType: 'Practitioner', id: 'x' })).toThrow(
      expect.objectContaining({ field: 'Practitioner.name' }),
    );
  });

  it('reads each PractitionerRole back: the role, the team or organisation, the job title', () => {
    const [inTeam, inOrganisation] = practitionerRolesOf([staff]);
    expect(roleToRestore(inTeam as NonNullable<typeof inTeam>)).toEqual({
      userRoleId: '44444444-4444-4444-8444-444444444444',
      practitionerId: USER,
      role: 'team-manager',
      organizationId: TEAM,
      jobTitle: 'Team lead',
    });
    expect(roleToRestore(inOrganisation as NonNullable<typeof inOrganisation>)).toMatchObject({
      role: 'practitioner',
      organizationId: ORG,
    });
    const role = inTeam as NonNullable<typeof inTeam>;
    expect(() => roleToRestore({ ...role, code: [{ text: 'Nurse' }] })).toThrow(
      expect.objectContaining({ field: 'PractitionerRole.code' }),
    );
    expect(() => roleToRestore({ ...role, organization: undefined })).toThrow(
      expect.objectContaining({ field: 'PractitionerRole.organization' }),
    );
    expect(() => roleToRestore({ ...role, practitioner: { reference: 'Patient/1' } })).toThrow(
      expect.objectContaining({ field: 'PractitionerRole.practitioner' }),
    );
  });
});
