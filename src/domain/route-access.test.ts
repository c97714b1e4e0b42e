import { describe, expect, it } from 'vitest';
import type { Actor } from './actor.js';
import { decideAccess } from './route-access.js';

const actor = (role: Actor['roles'][number]['role']): Actor => ({
  userId: 'u',
  username: 'u@x',
  displayName: 'U',
  jobTitle: null,
  personId: null,
  ip: null,
  roles: [{ role, organisationId: null, organisationName: null, teamId: null, teamName: null }],
});

describe('decideAccess', () => {
  it('lets anyone use a public route', () => {
    expect(decideAccess('public', null)).toBe('allow');
  });
  it('asks anonymous callers to sign in', () => {
    expect(decideAccess('signed-in', null)).toBe('sign-in-needed');
    expect(decideAccess({ roles: ['admin'] }, null)).toBe('sign-in-needed');
  });
  it('checks roles', () => {
    expect(decideAccess({ roles: ['admin'] }, actor('admin'))).toBe('allow');
    expect(decideAccess({ roles: ['admin'] }, actor('practitioner'))).toBe('forbidden');
    expect(decideAccess('signed-in', actor('person'))).toBe('allow');
  });
});
