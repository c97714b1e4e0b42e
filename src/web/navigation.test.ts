import { describe, expect, it } from 'vitest';
import type { Actor } from '../domain/actor.js';
import type { Role } from '../domain/roles.js';
import type { Access } from '../domain/route-access.js';
import { navigationFor } from './navigation.js';

const actorWith = (...roles: Role[]): Actor => ({
  userId: 'u',
  username: 'u',
  displayName: 'U',
  jobTitle: null,
  personId: null,
  roles: roles.map((role) => ({
    role,
    organisationId: null,
    organisationName: null,
    teamId: null,
    teamName: null,
  })),
  ip: null,
});

const routes: Record<string, Access> = {
  '/caseload': { roles: ['practitioner', 'team-manager'] },
  '/my': { roles: ['person', 'carer'] },
  '/organisations': 'signed-in',
  '/frameworks': 'signed-in',
  '/audit': { roles: ['admin', 'team-manager'] },
  '/admin/erasure-requests': { roles: ['admin'] },
  '/api/docs': 'public',
};
const hrefs = (actor: Actor | null, table = routes) =>
  navigationFor(actor, '/', (href) => table[href]).map((i) => i.href);

describe('the header navigation', () => {
  it('offers each user the pages their route access allows', () => {
    expect(hrefs(null)).toEqual(['/']);
    expect(hrefs(actorWith('practitioner'))).toEqual(['/', '/caseload', '/organisations', '/frameworks']);
    expect(hrefs(actorWith('person'))).toEqual(['/', '/my', '/organisations', '/frameworks']);
    expect(hrefs(actorWith('admin'))).toEqual([
      '/',
      '/organisations',
      '/frameworks',
      '/audit',
      '/admin/erasure-requests',
      '/api/docs',
    ]);
  });

  it('follows the route’s rule, not a copy of it', () => {
    const caseloadForAdmins = { ...routes, '/caseload': { roles: ['admin'] } } as Record<string, Access>;
    expect(hrefs(actorWith('practitioner'), caseloadForAdmins)).not.toContain('/caseload');
    expect(hrefs(actorWith('admin'), caseloadForAdmins)).toContain('/caseload');
  });

  it('offers the public community directory to everyone, signed in or not', () => {
    const withDirectory = { ...routes, '/community': 'public' } as Record<string, Access>;
    expect(hrefs(null, withDirectory)).toEqual(['/', '/community']);
    expect(hrefs(actorWith('person'), withDirectory)).toContain('/community');
    // Public pages with an audience (the API documentation) stay out of an anonymous header.
    expect(hrefs(null, withDirectory)).not.toContain('/api/docs');
  });

  it('leaves out a link whose page does not exist', () => {
    const { '/frameworks': _, ...withoutFrameworks } = routes;
    expect(hrefs(actorWith('practitioner'), withoutFrameworks)).not.toContain('/frameworks');
  });

  it('marks the current page and the section it is in', () => {
    const items = navigationFor(actorWith('practitioner'), '/caseload?page=2', (href) => routes[href]);
    expect(items.find((i) => i.href === '/caseload')).toMatchObject({ current: true, active: true });
    expect(items.find((i) => i.href === '/')).toMatchObject({ current: false, active: false });
  });
});
