import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor, ActorRole } from '../../domain/actor.js';
import { RECORD_NEEDS, type RecordNeed, type RelationKind } from '../../domain/record-access.js';
import type { Role } from '../../domain/roles.js';
import { ServiceError } from '../../services/errors.js';
import { type Database, openDatabase } from '../../store/database.js';
import { migrateToLatest } from '../../store/migrate.js';
import { AuditService } from '../audit/audit-trail.js';
import { type AccessGrant, carerLinks, PersonAccess } from './person-access.js';

/**
 * The access rule as PersonAccess applies it to stored facts: care-team membership with and without
 * a basis for sharing, a withdrawn basis, break-glass grants current and expired, carers' links with
 * and without permissions. Each case's expected needs are written out here, not computed from
 * `permits`, so a change to the rule or to how relations are found shows as a failure. Every call
 * leaves exactly one audit entry, allowed or refused.
 */

let database: Database;
let access: PersonAccess;
const personId = randomUUID();
const DAY = 86_400_000;

interface Case {
  name: string;
  actor: Actor;
  /** The relation PersonAccess should find, or null for none. */
  relation: RelationKind | null;
  allowed: readonly RecordNeed[];
}

const ALL: readonly RecordNeed[] = RECORD_NEEDS;
const cases: Case[] = [];

function actor(
  username: string,
  role: Role,
  where: { organisationId?: string; teamId?: string } = {},
): Actor {
  const actorRole: ActorRole = {
    role,
    organisationId: where.organisationId ?? null,
    organisationName: null,
    teamId: where.teamId ?? null,
    teamName: null,
  };
  return {
    userId: randomUUID(),
    username,
    displayName: username,
    jobTitle: null,
    personId: role === 'person' ? personId : null,
    roles: [actorRole],
    ip: null,
  };
}

/** An organisation with one team, and a practitioner in it. */
async function practitionerInNewTeam(
  name: string,
): Promise<{ actor: Actor; organisationId: string; teamId: string }> {
  const organisationId = randomUUID();
  const teamId = randomUUID();
  await database.db
    .insertInto('organisation')
    .values({ organisation_id: organisationId, kind: 'nhs-trust', name })
    .execute();
  await database.db
    .insertInto('team')
    .values({ team_id: teamId, organisation_id: organisationId, name })
    .execute();
  return { actor: actor(`${name}@test`, 'practitioner', { organisationId, teamId }), organisationId, teamId };
}

async function joinCareTeam(organisationId: string, teamId: string): Promise<void> {
  await database.db
    .insertInto('care_team_member')
    .values({
      person_id: personId,
      member_id: randomUUID(),
      organisation_id: organisationId,
      team_id: teamId,
      support_kind: 'nursing',
    })
    .execute();
}

async function recordBasis(organisationId: string, withdrawn: boolean): Promise<void> {
  await database.db
    .insertInto('sharing_basis')
    .values({
      person_id: personId,
      basis_id: randomUUID(),
      organisation_id: organisationId,
      basis: 'consent',
      purpose: 'Direct care',
      recorded_by_user_id: randomUUID(),
      ...(withdrawn
        ? { withdrawn_at: new Date(), withdrawn_by_user_id: randomUUID(), withdrawal_reason: 'Asked to' }
        : {}),
    })
    .execute();
}

async function grantBreakGlass(who: Actor, expiresAt: Date): Promise<void> {
  await database.db
    .insertInto('break_glass_grant')
    .values({
      person_id: personId,
      grant_id: randomUUID(),
      user_id: who.userId,
      reason: 'Found unconscious; need the contingency plan',
      expires_at: expiresAt,
    })
    .execute();
}

async function linkCarer(who: Actor, mayView: boolean, mayContribute: boolean): Promise<void> {
  await database.db
    .insertInto('relationship')
    .values({
      person_id: personId,
      relationship_id: randomUUID(),
      name: who.displayName,
      relationship_type: 'daughter',
      is_carer: true,
      carer_user_id: who.userId,
      may_view: mayView,
      may_contribute: mayContribute,
    })
    .execute();
}

async function auditEntriesOf(who: Actor) {
  return database.db
    .selectFrom('audit_event')
    .select(['action', 'outcome', 'person_id', 'resource_id', 'purpose'])
    .where('actor_user_id', '=', who.userId)
    .orderBy('audit_id')
    .execute();
}

beforeAll(async () => {
  database = await openDatabase({ databaseUrl: null, dataDir: 'memory://', pgliteMemoryMb: 128 });
  await migrateToLatest(database.db);
  access = new PersonAccess(database.db, new AuditService(database.db, database.auditTrail));
  await database.db
    .insertInto('person')
    .values({ person_id: personId, given_name: 'Ada', family_name: 'Test', sex: 'female' })
    .execute();

  cases.push({
    name: 'the person themselves',
    actor: actor('self@test', 'person'),
    relation: 'self',
    allowed: ALL.filter((need) => need !== 'manage'),
  });

  const withBasis = await practitionerInNewTeam('basis');
  await joinCareTeam(withBasis.organisationId, withBasis.teamId);
  await recordBasis(withBasis.organisationId, false);
  cases.push({
    name: 'the care team, with a basis for sharing',
    actor: withBasis.actor,
    relation: 'care-team',
    allowed: ALL,
  });

  const noBasis = await practitionerInNewTeam('no-basis');
  await joinCareTeam(noBasis.organisationId, noBasis.teamId);
  cases.push({
    name: 'the care team, with no basis for sharing',
    actor: noBasis.actor,
    relation: null,
    allowed: [],
  });

  const withdrawn = await practitionerInNewTeam('withdrawn');
  await joinCareTeam(withdrawn.organisationId, withdrawn.teamId);
  await recordBasis(withdrawn.organisationId, true);
  cases.push({
    name: 'the care team, its basis withdrawn',
    actor: withdrawn.actor,
    relation: null,
    allowed: [],
  });

  const breakGlass = await practitionerInNewTeam('break-glass');
  await grantBreakGlass(breakGlass.actor, new Date(Date.now() + DAY));
  cases.push({
    name: 'a practitioner with break-glass access',
    actor: breakGlass.actor,
    relation: 'break-glass',
    allowed: ['view'],
  });

  const expired = await practitionerInNewTeam('expired');
  await grantBreakGlass(expired.actor, new Date('2020-01-01T00:00:00Z'));
  cases.push({
    name: 'a practitioner whose break-glass expired',
    actor: expired.actor,
    relation: null,
    allowed: [],
  });

  const stranger = await practitionerInNewTeam('stranger');
  cases.push({
    name: 'a practitioner outside the care team',
    actor: stranger.actor,
    relation: null,
    allowed: [],
  });

  const viewer = actor('carer-view@test', 'carer');
  await linkCarer(viewer, true, false);
  cases.push({ name: 'a carer who may view', actor: viewer, relation: 'carer', allowed: ['view'] });

  const contributor = actor('carer-contribute@test', 'carer');
  await linkCarer(contributor, true, true);
  cases.push({
    name: 'a carer who may view and add',
    actor: contributor,
    relation: 'carer',
    allowed: ['view', 'contribute'],
  });

  const unauthorised = actor('carer-none@test', 'carer');
  await linkCarer(unauthorised, false, false);
  cases.push({ name: 'a carer not yet authorised', actor: unauthorised, relation: null, allowed: [] });
}, 120_000);

afterAll(() => database?.close());

describe('PersonAccess.require applies the access rule to what is stored', () => {
  it('covers every case, and the cases cover every relation kind', () => {
    expect(cases).toHaveLength(10);
    expect(new Set(cases.map((c) => c.relation))).toEqual(
      new Set(['self', 'care-team', 'break-glass', 'carer', null]),
    );
  });

  it.each(RECORD_NEEDS.map((need) => [need]))(
    'need %s: allowed or refused as the rule says, audited once',
    async (need) => {
      for (const c of cases) {
        const label = `${c.name}: ${need}`;
        const before = (await auditEntriesOf(c.actor)).length;
        const outcome = await access.require(c.actor, personId, need, `test-${need}`).then(
          (grant: AccessGrant) => grant,
          (error: unknown) => error,
        );
        if (c.allowed.includes(need)) {
          expect(outcome, label).not.toBeInstanceOf(Error);
          const grant = outcome as AccessGrant;
          expect(grant.personId, label).toBe(personId);
          expect(grant.relation.kind, label).toBe(c.relation);
          expect(grant.can[need], label).toBe(true);
          // What the page renders from agrees with what the service allows.
          expect(
            RECORD_NEEDS.filter((n) => grant.can[n]),
            label,
          ).toEqual(c.allowed);
        } else {
          expect(outcome, label).toBeInstanceOf(ServiceError);
          // Without a right to view, the record does not exist for them; with it, the need is refused.
          expect((outcome as ServiceError).status, label).toBe(c.allowed.includes('view') ? 403 : 404);
        }
        const added = (await auditEntriesOf(c.actor)).slice(before);
        expect(added, label).toHaveLength(1);
        expect(added[0], label).toMatchObject({
          action: `test-${need}`,
          person_id: personId,
          resource_id: personId,
          outcome: c.allowed.includes(need) ? 'success' : 'denied',
        });
      }
    },
  );

  it('a carer refused a need leaves exactly one audit entry, denied, with the purpose', async () => {
    const carer = cases.find((c) => c.name === 'a carer who may view');
    if (!carer) throw new Error('no view-only carer case');
    const before = await auditEntriesOf(carer.actor);
    await expect(access.require(carer.actor, personId, 'contribute', 'add-outcome')).rejects.toMatchObject({
      status: 403,
    });
    const added = (await auditEntriesOf(carer.actor)).slice(before.length);
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({ action: 'add-outcome', outcome: 'denied', person_id: personId });
    expect(added[0]?.purpose).toBeTruthy();
  });

  it('a carer linked more than once is given the link that allows the most, in the record and on their own page alike', async () => {
    const twice = actor('twice@test', 'carer');
    // Linked first without leave to view, then as a carer who may view and contribute.
    await linkCarer(twice, false, false);
    await linkCarer(twice, true, true);
    const grant = await access.require(twice, personId, 'contribute', 'test-twice');
    expect(grant.relation).toMatchObject({ kind: 'carer', mayView: true, mayContribute: true });
    // The same rule lists the people on the carer's own page: once, with the link that allows most.
    const listed = await carerLinks(database.db, twice.userId).execute();
    expect(listed).toEqual([expect.objectContaining({ person_id: personId, may_contribute: true })]);
  });
});

describe('PersonAccess shares a lookup between calls that arrive together', () => {
  it('asks the database once for reads of one record side by side, each still audited; the next call asks again', async () => {
    const c = cases.find((x) => x.relation === 'care-team') as Case;
    let lookups = 0;
    const counting = new PersonAccess(database.db, new AuditService(database.db, database.auditTrail));
    const original = (
      counting as unknown as { lookUpRelation: PersonAccess['relationTo'] }
    ).lookUpRelation.bind(counting);
    (counting as unknown as { lookUpRelation: PersonAccess['relationTo'] }).lookUpRelation = (a, p) => {
      lookups++;
      return original(a, p);
    };
    const before = (await auditEntriesOf(c.actor)).length;
    const grants = await Promise.all(
      ['read-a', 'read-b', 'read-c'].map((action) => counting.require(c.actor, personId, 'view', action)),
    );
    expect(grants.map((g) => g.relation.kind)).toEqual(['care-team', 'care-team', 'care-team']);
    expect(lookups).toBe(1);
    expect((await auditEntriesOf(c.actor)).length - before).toBe(3);
    // Answered, nothing is kept: a later call looks again (a basis withdrawn meanwhile would count).
    await counting.require(c.actor, personId, 'view', 'read-d');
    expect(lookups).toBe(2);
    // Another actor's calls never share this actor's lookup.
    const other = cases.find((x) => x.relation === null && x.actor.roles[0]?.role === 'practitioner') as Case;
    await Promise.all([
      counting.relationTo(c.actor, personId),
      counting.relationTo(other.actor, personId).then((r) => expect(r).toBeNull()),
    ]);
    expect(lookups).toBe(4);
  });
});
