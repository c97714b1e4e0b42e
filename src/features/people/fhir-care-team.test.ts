import { describe, expect, it } from 'vitest';
import { expectValidFhir } from '../../../test/support/fhir-validator.js';
import {
  CARE_TEAM_MEMBER_TEAM_EXTENSION,
  CARE_TEAM_ROLE_SYSTEM,
  careTeamOf,
  SUPPORT_KIND_SYSTEM,
} from './fhir-care-team.js';
import type { CareTeamMember } from './schema.js';

const personId = '0b6a3c1e-2f4d-4a5b-8c7d-9e0f1a2b3c4d';
const member: CareTeamMember = {
  memberId: '1c7b4d2f-3a5e-4b6c-9d8e-0f1a2b3c4d5e',
  organisationId: '2d8c5e3a-4b6f-4c7d-8e9f-1a2b3c4d5e6f',
  organisationName: 'Riverside Council',
  organisationKind: 'local-authority',
  teamId: '3e9d6f4b-5c7a-4d8e-9f0a-2b3c4d5e6f7a',
  teamName: 'Adult social care north',
  userId: '4fa07a5c-6d8b-4e9f-8a1b-3c4d5e6f7a8b',
  userName: 'Sam Okoro',
  supportKind: 'social-care',
  roleDescription: 'Social worker',
  isKeyWorker: true,
  startDate: '2026-01-05',
};

describe('CareTeam mapping', () => {
  it('is valid: a practitioner on behalf of their organisation, with the kind of support and key worker role', () => {
    const team = careTeamOf(personId, {
      members: [member],
      versionId: 4,
      lastUpdated: new Date('2026-03-01T09:00:00Z'),
    });
    expectValidFhir(team);
    expect(team.id).toBe(personId);
    expect(team.meta?.versionId).toBe('4');
    const [p] = team.participant ?? [];
    expect(p?.member?.reference).toBe(`Practitioner/${member.userId}`);
    expect(p?.onBehalfOf?.reference).toBe(`Organization/${member.organisationId}`);
    expect(p?.role?.[0]?.coding?.[0]).toEqual({
      system: SUPPORT_KIND_SYSTEM,
      code: 'social-care',
      display: 'Social care',
    });
    expect(p?.role?.[0]?.text).toBe('Social worker, Adult social care north');
    expect(p?.role?.[1]?.coding?.[0]?.system).toBe(CARE_TEAM_ROLE_SYSTEM);
    expect(p?.period?.start).toBe('2026-01-05');
    // The named practitioner's team: our extension (R4 has no element for it).
    expect(p?.extension).toEqual([
      {
        url: CARE_TEAM_MEMBER_TEAM_EXTENSION,
        valueReference: { reference: `Organization/${member.teamId}`, display: 'Adult social care north' },
      },
    ]);
    expect(team.managingOrganization).toBeUndefined();
  });

  it('names the team responsible for the record as managingOrganization, validly', () => {
    const team = careTeamOf(personId, {
      members: [member],
      versionId: 1,
      lastUpdated: new Date('2026-03-01T09:00:00Z'),
      lead: { teamId: member.teamId as string, teamName: 'Adult social care north' },
    });
    expectValidFhir(team);
    expect(team.managingOrganization).toEqual([
      { reference: `Organization/${member.teamId}`, display: 'Adult social care north' },
    ]);
  });

  it('a team without a named practitioner is the team (an Organization); an organisation alone is itself', () => {
    const team = careTeamOf(personId, {
      members: [
        { ...member, userId: null, userName: null, isKeyWorker: false },
        {
          ...member,
          memberId: '5ab18b6d-7e9c-4fa0-9b2c-4d5e6f7a8b9c',
          userId: null,
          userName: null,
          teamId: null,
          teamName: null,
          roleDescription: '',
        },
      ],
      versionId: 1,
      lastUpdated: new Date('2026-03-01T09:00:00Z'),
    });
    expectValidFhir(team);
    expect(team.participant?.map((p) => p.member?.reference)).toEqual([
      `Organization/${member.teamId}`,
      `Organization/${member.organisationId}`,
    ]);
    expect(team.participant?.every((p) => p.onBehalfOf === undefined)).toBe(true);
    expect(team.participant?.every((p) => p.extension === undefined)).toBe(true);
  });
});
