import { describe, expect, it } from 'vitest';
import type { Actor, ActorRole } from '../actor.js';
import type { Role } from '../roles.js';
import {
  isListedForPeople,
  maintainedOrganisations,
  mayAddEntries,
  mayMaintainFor,
  resourcePermissions,
} from './resource-access.js';

const ORG_A = 'aaaaaaaa-0000-4000-8000-000000000001';
const ORG_B = 'bbbbbbbb-0000-4000-8000-000000000002';

const role = (r: Role, organisationId: string | null = null): ActorRole => ({
  role: r,
  organisationId,
  organisationName: null,
  teamId: null,
  teamName: null,
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

const entry = (over: Partial<Parameters<typeof resourcePermissions>[1]> = {}) => ({
  organisationId: ORG_A,
  status: 'active' as const,
  reviewState: 'current' as const,
  ...over,
});

describe('who may read an entry', () => {
  it('lets anyone, signed in or not, read an active entry that is not hidden', () => {
    expect(resourcePermissions(null, entry())).toEqual({ read: true, maintain: false });
    expect(resourcePermissions(null, entry({ reviewState: 'due' })).read).toBe(true);
    expect(resourcePermissions(actor(role('person')), entry()).read).toBe(true);
  });

  it('keeps closed and hidden entries from people, but not from those who maintain them', () => {
    expect(resourcePermissions(null, entry({ status: 'closed' })).read).toBe(false);
    expect(resourcePermissions(null, entry({ reviewState: 'hidden' })).read).toBe(false);
    expect(
      resourcePermissions(actor(role('practitioner', ORG_B)), entry({ reviewState: 'hidden' })).read,
    ).toBe(false);
    expect(resourcePermissions(actor(role('practitioner', ORG_A)), entry({ reviewState: 'hidden' }))).toEqual(
      {
        read: true,
        maintain: true,
      },
    );
    expect(isListedForPeople({ status: 'active', reviewState: 'due' })).toBe(true);
  });
});

describe('who may maintain entries', () => {
  it('is staff of the organisation that runs it, in any staff role', () => {
    for (const r of ['practitioner', 'team-manager', 'commissioner', 'analyst'] as const) {
      expect(mayMaintainFor(actor(role(r, ORG_A)), ORG_A), r).toBe(true);
      expect(mayMaintainFor(actor(role(r, ORG_A)), ORG_B), r).toBe(false);
    }
    expect(maintainedOrganisations(actor(role('practitioner', ORG_B), role('team-manager', ORG_A)))).toEqual([
      ORG_A,
      ORG_B,
    ]);
  });

  it('is every organisation for an administrator', () => {
    expect(maintainedOrganisations(actor(role('admin')))).toBe('all');
    expect(mayMaintainFor(actor(role('admin')), ORG_B)).toBe(true);
  });

  it('is never the public, a person or a carer, even one linked to an organisation', () => {
    expect(mayAddEntries(null)).toBe(false);
    expect(mayAddEntries(actor(role('person')))).toBe(false);
    expect(mayMaintainFor(actor(role('carer', ORG_A)), ORG_A)).toBe(false);
  });

  it('is its own organisation for an API client', () => {
    const client = { ...actor(), client: { clientId: 'c', organisationId: ORG_B } };
    expect(mayMaintainFor(client, ORG_B)).toBe(true);
    expect(mayMaintainFor(client, ORG_A)).toBe(false);
  });
});
