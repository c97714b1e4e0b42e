import { describe, expect, it } from 'vitest';
import { accountStatus, roleAssignmentProblem } from './user-accounts.js';

const ORG = '11111111-1111-4111-8111-111111111111';
const TEAM = '22222222-2222-4222-8222-222222222222';

describe('accountStatus', () => {
  const now = new Date('2026-03-01T12:00:00Z');
  it('is disabled whatever the lock, locked while the lock runs, else active', () => {
    expect(accountStatus({ disabledAt: now, lockedUntil: new Date('2026-03-01T12:10:00Z') }, now)).toBe(
      'disabled',
    );
    expect(accountStatus({ disabledAt: null, lockedUntil: new Date('2026-03-01T12:10:00Z') }, now)).toBe(
      'locked',
    );
    expect(accountStatus({ disabledAt: null, lockedUntil: new Date('2026-03-01T11:59:59Z') }, now)).toBe(
      'active',
    );
    expect(accountStatus({ disabledAt: null, lockedUntil: null }, now)).toBe('active');
  });
});

describe('roleAssignmentProblem', () => {
  it('accepts roles with what they need', () => {
    expect(roleAssignmentProblem({ role: 'admin' })).toBeNull();
    expect(roleAssignmentProblem({ role: 'carer' })).toBeNull();
    expect(roleAssignmentProblem({ role: 'practitioner', organisationId: ORG })).toBeNull();
    expect(roleAssignmentProblem({ role: 'team-manager', organisationId: ORG, teamId: TEAM })).toBeNull();
  });

  it('names the field at fault', () => {
    expect(roleAssignmentProblem({ role: 'person' })?.[1]).toBe('role');
    expect(roleAssignmentProblem({ role: 'wizard' })?.[1]).toBe('role');
    expect(roleAssignmentProblem({ role: 'analyst' })).toEqual([
      'An analyst must belong to an organisation: choose one',
      'organisationId',
    ]);
    expect(roleAssignmentProblem({ role: 'team-manager', organisationId: ORG })?.[1]).toBe('teamId');
    expect(roleAssignmentProblem({ role: 'admin', teamId: TEAM })?.[1]).toBe('organisationId');
    expect(roleAssignmentProblem({ role: 'practitioner', organisationId: 'not-an-id' })?.[1]).toBe(
      'organisationId',
    );
    expect(roleAssignmentProblem({ role: 'team-manager', organisationId: ORG, teamId: 'x' })?.[1]).toBe(
      'teamId',
    );
  });
});
