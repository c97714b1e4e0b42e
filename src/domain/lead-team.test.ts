import { describe, expect, it } from 'vitest';
import type { Actor, ActorRole } from './actor.js';
import { mayAssignLeadTeam, withdrawalRemovesLead, workListTeams } from './lead-team.js';

const role = (r: Partial<ActorRole> & Pick<ActorRole, 'role'>): ActorRole => ({
  organisationId: null,
  organisationName: null,
  teamId: null,
  teamName: null,
  ...r,
});
const actor = (...roles: ActorRole[]): Actor => ({
  userId: 'u',
  username: 'u',
  displayName: 'U',
  jobTitle: null,
  personId: null,
  roles,
  ip: null,
});

const managerOfA = actor(role({ role: 'team-manager', teamId: 'A' }));
const practitionerInA = actor(role({ role: 'practitioner', teamId: 'A' }));
const admin = actor(role({ role: 'admin' }));

describe('who may choose the team responsible for a record', () => {
  it('a manager of the lead team, whatever its state', () => {
    for (const state of ['responsible', 'escalated', 'needs-team'] as const) {
      expect(mayAssignLeadTeam(managerOfA, { teamId: 'A', state })).toBe(true);
      expect(mayAssignLeadTeam(managerOfA, { teamId: 'B', state })).toBe(false);
    }
  });

  it('an administrator only when the record needs a team', () => {
    expect(mayAssignLeadTeam(admin, { teamId: 'A', state: 'responsible' })).toBe(false);
    expect(mayAssignLeadTeam(admin, { teamId: 'A', state: 'escalated' })).toBe(true);
    expect(mayAssignLeadTeam(admin, { teamId: null, state: 'needs-team' })).toBe(true);
  });

  it('never a practitioner, even in the lead team', () => {
    expect(mayAssignLeadTeam(practitionerInA, { teamId: 'A', state: 'needs-team' })).toBe(false);
  });

  it('the work list: a manager’s own teams, everything for an administrator, nothing for others', () => {
    expect(workListTeams(managerOfA)).toEqual(['A']);
    expect(workListTeams(admin)).toBeNull();
    expect(workListTeams(practitionerInA)).toEqual([]);
  });
});

describe('whether a withdrawal leaves the lead team without the record', () => {
  const inForce = [
    { basisId: 'b1', organisationId: 'lead' },
    { basisId: 'b2', organisationId: 'other' },
  ];
  it('the lead organisation’s only basis: yes', () => {
    expect(withdrawalRemovesLead(inForce, 'b1', 'lead')).toBe(true);
  });
  it('another organisation’s basis, or one of two for the lead organisation: no', () => {
    expect(withdrawalRemovesLead(inForce, 'b2', 'lead')).toBe(false);
    expect(withdrawalRemovesLead([...inForce, { basisId: 'b3', organisationId: 'lead' }], 'b1', 'lead')).toBe(
      false,
    );
  });
  it('a record with no lead team, or a basis not in force: no', () => {
    expect(withdrawalRemovesLead(inForce, 'b1', null)).toBe(false);
    expect(withdrawalRemovesLead(inForce, 'gone', 'lead')).toBe(false);
  });
});
