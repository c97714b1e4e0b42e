import { describe, expect, it } from 'vitest';
import type { Actor, ActorRole } from './actor.js';
import { aggregateScopeOf, mayDefineIndicators, scopeCovers } from './aggregate-access.js';
import type { Role } from './roles.js';

const actor = (...roles: [Role, string | null, string | null][]): Actor => ({
  userId: 'u',
  username: 'u',
  displayName: 'U',
  jobTitle: null,
  personId: null,
  ip: null,
  roles: roles.map(
    ([role, organisationId, teamId]): ActorRole => ({
      role,
      organisationId,
      organisationName: null,
      teamId,
      teamName: null,
    }),
  ),
});

describe('who sees which aggregates', () => {
  it('gives commissioners and analysts the whole region, and lets only them define indicators', () => {
    for (const role of ['commissioner', 'analyst'] as const) {
      const a = actor([role, 'icb', null]);
      expect(aggregateScopeOf(a)).toEqual({ kind: 'region' });
      expect(mayDefineIndicators(a)).toBe(true);
    }
  });

  it('gives a team manager every team of their organisation, a practitioner their own team', () => {
    const manager = aggregateScopeOf(actor(['team-manager', 'trust', 'team-a']));
    expect(manager).toEqual({ kind: 'units', organisationIds: ['trust'], teamIds: [] });
    const practitioner = aggregateScopeOf(actor(['practitioner', 'trust', 'team-a']));
    expect(practitioner).toEqual({ kind: 'units', organisationIds: [], teamIds: ['team-a'] });
    if (!practitioner) throw new Error('no scope');
    expect(scopeCovers(practitioner, 'trust', 'team-a')).toBe(true);
    expect(scopeCovers(practitioner, 'trust', 'team-b')).toBe(false);
    expect(mayDefineIndicators(actor(['team-manager', 'trust', 'team-a']))).toBe(false);
  });

  it('gives people, carers and administrators none', () => {
    expect(aggregateScopeOf(actor(['person', null, null]))).toBeNull();
    expect(aggregateScopeOf(actor(['carer', null, null]))).toBeNull();
    expect(aggregateScopeOf(actor(['admin', null, null]))).toBeNull();
  });
});
