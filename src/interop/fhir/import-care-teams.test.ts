import type { CareTeam } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { derivedUuid } from '../../domain/interop/fhir-ids.js';
import { careTeamOf } from '../../features/people/fhir-care-team.js';
import type { CareTeamMember } from '../../features/people/schema.js';
import { careTeamToRestore } from './import-care-teams.js';

const personId = '0b6a3c1e-2f4d-4a5b-8c7d-9e0f1a2b3c4d';
const named: CareTeamMember = {
  memberId: '1c7b4d2f-3a5e-4b6c-9d8e-0f1a2b3c4d5e',
  organisationId: '2d8c5e3a-4b6f-4c7d-8e9f-1a2b3c4d5e6f',
  organisationName: 'Riverside Council',
  organisationKind: 'council-adult-social-care',
  teamId: '3e9d6f4b-5c7a-4d8e-9f0a-2b3c4d5e6f7a',
  teamName: 'Adult social care north',
  userId: '4fa07a5c-6d8b-4e9f-8a1b-3c4d5e6f7a8b',
  userName: 'Sam Okoro',
  supportKind: 'social-care',
  roleDescription: 'Social worker',
  isKeyWorker: true,
  startDate: '2026-01-05',
};
const teamOnly: CareTeamMember = {
  ...named,
  memberId: '5ab18b6d-7e9c-4fa0-9b2c-4d5e6f7a8b9c',
  userId: null,
  userName: null,
  roleDescription: '',
  isKeyWorker: false,
};
const exported = careTeamOf(personId, {
  members: [named, teamOnly],
  versionId: 3,
  lastUpdated: new Date('2026-03-01T09:00:00Z'),
  lead: { teamId: named.teamId as string, teamName: 'Adult social care north' },
});

const noSkips = (element: string, reason: string) => {
  throw new Error(`unexpected skip ${element}: ${reason}`);
};

describe('a CareTeam as the memberships of a care team to restore', () => {
  it('reads back what the CareTeam mapping writes: ids, members, teams, support, words, key worker, lead', () => {
    expect(careTeamToRestore(exported, personId, noSkips)).toEqual({
      leadTeamId: named.teamId,
      members: [
        {
          memberId: named.memberId,
          element: 'participant[0]',
          organizationId: named.organisationId,
          teamId: named.teamId,
          teamName: 'Adult social care north',
          practitionerId: named.userId,
          supportKind: 'social-care',
          // The role's text as written (the team's name is taken off when the team is resolved).
          words: 'Social worker, Adult social care north',
          isKeyWorker: true,
          startDate: '2026-01-05',
        },
        {
          memberId: teamOnly.memberId,
          element: 'participant[1]',
          // A team with no one named is the team's Organization; which it is is told when written.
          organizationId: named.teamId,
          teamId: null,
          teamName: 'Adult social care north',
          practitionerId: null,
          supportKind: 'social-care',
          words: 'Adult social care north',
          isKeyWorker: false,
          startDate: '2026-01-05',
        },
      ],
    });
  });

  it('derives ids it cannot keep, the same on every run', () => {
    const theirs: CareTeam = {
      ...exported,
      managingOrganization: undefined,
      participant: [{ ...exported.participant?.[1], id: 'p-1', member: { reference: 'Organization/org-9' } }],
    };
    const [member] = careTeamToRestore(theirs, personId, noSkips).members;
    expect(member?.memberId).toBe(derivedUuid('fhir-import', 'CareTeam.participant', personId, 'p-1'));
    expect(member?.organizationId).toBe(derivedUuid('fhir-import', 'Organization', 'org-9'));
  });

  it('skips a membership it cannot read, naming it, and imports the rest; refuses another system’s CareTeam', () => {
    const skips: [string, string][] = [];
    const [first, second] = exported.participant ?? [];
    const restored = careTeamToRestore(
      {
        ...exported,
        participant: [
          { ...first, member: { reference: 'RelatedPerson/r-1' } },
          { ...second, period: { start: '2025-01-01', end: '2025-06-01' } },
          { ...second, role: [{ coding: [{ system: 'http://snomed.info/sct', code: '223366009' }] }] },
          second as NonNullable<typeof second>,
        ],
      },
      personId,
      (element, reason) => skips.push([element, reason]),
    );
    expect(restored.members.map((m) => m.memberId)).toEqual([teamOnly.memberId]);
    expect(skips.map(([element]) => element)).toEqual([
      'CareTeam.participant[0].member',
      'CareTeam.participant[1].period.end',
      'CareTeam.participant[2].role',
    ]);
    expect(skips[0]?.[1]).toMatch(/^The membership was not imported: /);
    // Synthea's CareTeam: a category, a period and SNOMED roles are not ours.
    expect(() =>
      careTeamToRestore(
        { ...exported, category: [{ text: 'Home care' }], period: { start: '2020-01-01' } },
        personId,
        noSkips,
      ),
    ).toThrow(expect.objectContaining({ field: 'CareTeam.category' }));
    expect(() => careTeamToRestore({ ...exported, status: 'inactive' }, personId, noSkips)).toThrow(
      expect.objectContaining({ field: 'CareTeam.status' }),
    );
    expect(() =>
      careTeamToRestore(
        { ...exported, managingOrganization: [{ reference: 'Patient/x' }] },
        personId,
        noSkips,
      ),
    ).toThrow(expect.objectContaining({ field: 'CareTeam.managingOrganization' }));
  });
});
