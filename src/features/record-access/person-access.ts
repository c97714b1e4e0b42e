import type { Kysely } from 'kysely';
import type { Actor } from '../../domain/actor.js';
import type { Viewpoint } from '../../domain/ratings.js';
import {
  type Capabilities,
  capabilitiesOf,
  permits,
  purposeOf,
  type RecordNeed,
  type Relation,
  refusalFor,
  viewpointOf,
} from '../../domain/record-access.js';
import { ServiceError } from '../../services/errors.js';
import { InFlight } from '../../services/in-flight.js';
import { fixedQuery, perShape } from '../../store/fixed-query.js';
import type { DB } from '../../store/schema.js';
import type { AuditService } from '../audit/audit-trail.js';

export type { Relation } from '../../domain/record-access.js';

/**
 * A person's record, reachable only through an access check (or an explicitly named system path).
 * Store reads of one person's record take a scope rather than a bare id, so they cannot run
 * unchecked.
 */
export interface RecordScope {
  readonly personId: string;
  /** Set only for a job acting on the service's own behalf: why it reads the record. */
  readonly system?: string;
}

/** What an access check hands back: the scope, the actor's relation to the record and what they may do. */
export interface AccessGrant extends RecordScope {
  readonly relation: Relation;
  readonly viewpoint: Viewpoint;
  readonly can: Capabilities;
}

/**
 * For jobs that act on the service's own behalf (demo data, assembling an export after its check,
 * erasure once an admin decided it), named so every such path is easy to find.
 */
export function systemScope(personId: string, why: string): RecordScope {
  return { personId, system: why };
}

/** The refusal of a record the actor has no relation to: a ServiceError of its own kind, so `/fhir` can tell it apart. */
export class PersonNotInScope extends ServiceError {
  constructor() {
    super(404, 'Not found', 'No person with that id is in your caseload or circle.');
  }
}

/** Not 403: saying "forbidden" would confirm that the person exists. */
export const personNotFound = () => new PersonNotInScope();

export type Need = RecordNeed;

export function isCareStaff(actor: Actor): boolean {
  return actor.roles.some((r) => r.role === 'practitioner' || r.role === 'team-manager');
}

export function teamIdsOf(actor: Actor): string[] {
  return actor.roles
    .filter((r) => (r.role === 'practitioner' || r.role === 'team-manager') && r.teamId)
    .map((r) => r.teamId as string);
}

/**
 * Whose care-team memberships to find: the actor and their care teams, as query values. The
 * teams are separate values (`team0`, `team1`, …), so a query has one fixed shape per number of
 * teams; `careTeamMemberships` takes how many.
 */
export type CareStaffIds = { userId: string } & Record<`team${number}`, string>;

export function careStaffIds(actor: Actor): { ids: CareStaffIds; teams: number } {
  const teamIds = teamIdsOf(actor);
  const ids = { userId: actor.userId } as CareStaffIds;
  teamIds.forEach((teamId, i) => {
    ids[`team${i}`] = teamId;
  });
  return { ids, teams: teamIds.length };
}

/**
 * The actor's current care-team memberships that a sharing basis in force covers: the rule by
 * which a practitioner sees a record as part of its care team. Opening one record (`relationTo`)
 * and listing a caseload both filter through this one query, so the two can never disagree.
 *
 * A membership names the user or one of their `teams` care teams. Written as index lookups joined
 * by UNION ALL rather than one "user or team" condition: statements are prepared once and
 * PostgreSQL keeps one plan for any values, and for the "or" that plan read every membership of
 * everyone. A member both named and in the team appears twice; callers take one or distinct.
 */
export function careTeamMemberships(db: Kysely<DB>, who: CareStaffIds, teams: number) {
  const byUser = db
    .selectFrom('care_team_member as cm')
    .select(['cm.person_id', 'cm.user_id', 'cm.team_id', 'cm.organisation_id'])
    .where('cm.end_date', 'is', null)
    .where('cm.user_id', '=', who.userId);
  const memberships =
    teams === 0
      ? byUser
      : byUser.unionAll(
          db
            .selectFrom('care_team_member as cm')
            .select(['cm.person_id', 'cm.user_id', 'cm.team_id', 'cm.organisation_id'])
            .where('cm.end_date', 'is', null)
            .where(
              'cm.team_id',
              'in',
              Array.from({ length: teams }, (_, i) => who[`team${i}`] as string),
            ),
        );
  return db
    .selectFrom(memberships.as('m'))
    .innerJoin('sharing_basis as b', (join) =>
      join
        .onRef('b.person_id', '=', 'm.person_id')
        .onRef('b.organisation_id', '=', 'm.organisation_id')
        .on('b.withdrawn_at', 'is', null),
    );
}

/**
 * A carer's links to the people they care for, one per person: the rule by which a carer sees a
 * record (`relationTo`) and the list of people on their own page (`/my`), so the two agree. Only
 * links the person lets the carer view count; a carer linked more than once (say as daughter and
 * as a named carer) is given the link that allows the most: contributing, if any link allows it.
 */
export function carerLinks(db: Kysely<DB>, carerUserId: string) {
  return db
    .selectFrom('relationship as r')
    .select(['r.relationship_id', 'r.person_id', 'r.relationship_type', 'r.may_view', 'r.may_contribute'])
    .distinctOn('r.person_id')
    .where('r.carer_user_id', '=', carerUserId)
    .where('r.may_view', '=', true)
    .orderBy('r.person_id')
    .orderBy('r.may_contribute', 'desc')
    .orderBy('r.relationship_id');
}

/**
 * The records an organisation holds: its current care-team memberships that a sharing basis for
 * the same organisation covers. What a system client acting for the organisation may see, by the
 * same rule as `careTeamMemberships` (a person appears once per membership; callers take distinct).
 */
export function organisationMemberships(db: Kysely<DB>, organisationId: string) {
  return db
    .selectFrom('care_team_member as m')
    .innerJoin('sharing_basis as b', (join) =>
      join
        .onRef('b.person_id', '=', 'm.person_id')
        .onRef('b.organisation_id', '=', 'm.organisation_id')
        .on('b.withdrawn_at', 'is', null),
    )
    .where('m.end_date', 'is', null)
    .where('m.organisation_id', '=', organisationId);
}

const organisationMemberQuery = fixedQuery((db, v: { organisationId: string; personId: string }) =>
  organisationMemberships(db, v.organisationId)
    .select(['b.basis', 'b.purpose'])
    .where('m.person_id', '=', v.personId)
    .limit(1),
);

/** One query per number of teams, each built once. */
const careTeamMemberQueryFor = perShape((teams: number) =>
  fixedQuery((db, v: CareStaffIds & { personId: string }) =>
    careTeamMemberships(db, v, teams)
      .select(['m.user_id', 'm.team_id', 'm.organisation_id', 'b.basis', 'b.purpose'])
      .where('m.person_id', '=', v.personId)
      .limit(1),
  ),
);

/** A system client's relation to a record its organisation holds under `held`'s basis. */
function organisationRelation(
  client: NonNullable<Actor['client']>,
  held: { basis: string; purpose: string },
): Relation {
  return {
    kind: 'care-team',
    via: 'organisation',
    organisationId: client.organisationId,
    basis: held.basis,
    purpose: held.purpose,
    clientId: client.clientId,
  };
}

/** Care staff's relation through a membership naming them or one of their teams. */
function careTeamRelation(
  actor: Actor,
  member: { user_id: string | null; organisation_id: string; basis: string; purpose: string },
): Relation {
  return {
    kind: 'care-team',
    via: member.user_id === actor.userId ? 'user' : 'team',
    organisationId: member.organisation_id,
    basis: member.basis,
    purpose: member.purpose,
  };
}

const grantOf = (personId: string, relation: Relation): AccessGrant => ({
  personId,
  relation,
  viewpoint: viewpointOf(relation),
  can: capabilitiesOf(relation),
});

export class PersonAccess {
  /**
   * Calls that arrive together for the same actor and record (a page's or an export's reads of one
   * person, side by side) share one relation lookup (InFlight keeps nothing once answered).
   */
  private readonly inFlight = new WeakMap<Actor, InFlight<Relation | null>>();

  constructor(
    private readonly db: Kysely<DB>,
    private readonly audit: AuditService,
  ) {}

  relationTo(actor: Actor, personId: string): Promise<Relation | null> {
    let shared = this.inFlight.get(actor);
    if (!shared) {
      shared = new InFlight();
      this.inFlight.set(actor, shared);
    }
    return shared.share(personId, () => this.lookUpRelation(actor, personId));
  }

  private async lookUpRelation(actor: Actor, personId: string): Promise<Relation | null> {
    if (actor.client) {
      const held = await organisationMemberQuery.first(this.db, {
        organisationId: actor.client.organisationId,
        personId,
      });
      return held ? organisationRelation(actor.client, held) : null;
    }
    // Their own record: a person's, or a carer's own record as a carer (linked to their account the same way).
    if (actor.personId === personId && actor.roles.some((r) => r.role === 'person' || r.role === 'carer')) {
      return { kind: 'self' };
    }
    if (isCareStaff(actor)) {
      const { ids, teams } = careStaffIds(actor);
      const member = await careTeamMemberQueryFor(teams).first(this.db, { ...ids, personId });
      if (member) return careTeamRelation(actor, member);
      const grant = await this.db
        .selectFrom('break_glass_grant')
        .select(['grant_id', 'reason', 'expires_at'])
        .where('person_id', '=', personId)
        .where('user_id', '=', actor.userId)
        .where('expires_at', '>', new Date())
        .orderBy('expires_at', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (grant)
        return {
          kind: 'break-glass',
          grantId: grant.grant_id,
          reason: grant.reason,
          expiresAt: grant.expires_at,
        };
    }
    if (actor.roles.some((r) => r.role === 'carer')) {
      const link = await carerLinks(this.db, actor.userId)
        .where('r.person_id', '=', personId)
        .executeTakeFirst();
      if (link?.may_view) {
        return {
          kind: 'carer',
          relationshipId: link.relationship_id,
          mayView: link.may_view,
          mayContribute: link.may_contribute,
        };
      }
    }
    return null;
  }

  /**
   * The relations to many records at once: one query for a system client's organisation or for
   * care staff's memberships (the same rules as `relationTo`, so the two agree), and `relationTo`
   * one by one for anyone those leave out (their own record, a carer's link, break-glass).
   */
  private async relationsTo(
    actor: Actor,
    personIds: readonly string[],
  ): Promise<Map<string, Relation | null>> {
    const found = new Map<string, Relation | null>();
    if (personIds.length === 0) return found;
    if (actor.client) {
      const { client } = actor;
      const rows = await organisationMemberships(this.db, client.organisationId)
        .select(['m.person_id', 'b.basis', 'b.purpose'])
        .where('m.person_id', 'in', [...personIds])
        .execute();
      for (const row of rows)
        if (!found.has(row.person_id)) found.set(row.person_id, organisationRelation(client, row));
      return found;
    }
    if (isCareStaff(actor)) {
      const { ids, teams } = careStaffIds(actor);
      const rows = await careTeamMemberships(this.db, ids, teams)
        .select(['m.person_id', 'm.user_id', 'm.organisation_id', 'b.basis', 'b.purpose'])
        .where('m.person_id', 'in', [...personIds])
        .execute();
      for (const row of rows)
        if (!found.has(row.person_id)) found.set(row.person_id, careTeamRelation(actor, row));
    }
    for (const personId of personIds) {
      if (!found.has(personId)) found.set(personId, await this.relationTo(actor, personId));
    }
    return found;
  }

  /**
   * `require` for many records at once (a bulk export's people, a page at a time): each person
   * checked by the same rule and audited once, allowed or refused, with one relation query for
   * them all. The grants of those allowed, in the order asked; the refused are left out (their
   * refusal is in the audit trail).
   */
  async requireEach(
    actor: Actor,
    personIds: readonly string[],
    need: RecordNeed,
    action: string,
  ): Promise<AccessGrant[]> {
    const relations = await this.relationsTo(actor, personIds);
    // Checked side by side, so the audit trail appends their entries together.
    const checked = await Promise.all(
      personIds.map(async (personId) => {
        const relation = relations.get(personId) ?? null;
        return { personId, relation, allowed: await this.checked(actor, personId, relation, need, action) };
      }),
    );
    return checked.flatMap(({ personId, relation, allowed }) =>
      relation && allowed ? [grantOf(personId, relation)] : [],
    );
  }

  /** Whether `relation` allows `need`, audited once either way with the purpose. */
  private async checked(
    actor: Actor,
    personId: string,
    relation: Relation | null,
    need: RecordNeed,
    action: string,
  ): Promise<boolean> {
    const allowed = permits(relation, need);
    await this.audit.record(actor, {
      action,
      resourceType: 'person',
      resourceId: personId,
      personId,
      purpose: relation ? purposeOf(relation) : null,
      outcome: allowed ? 'success' : 'denied',
    });
    return allowed;
  }

  /**
   * The scope that allows `need`, or 404 (no relation) or 403 (a relation without the need). Every
   * call is audited once, allowed or refused, with the purpose, so the person can later see who
   * looked at their record and why.
   */
  async require(actor: Actor, personId: string, need: RecordNeed, action: string): Promise<AccessGrant> {
    const relation = await this.relationTo(actor, personId);
    const allowed = await this.checked(actor, personId, relation, need, action);
    if (!relation || !permits(relation, 'view')) throw personNotFound();
    if (!allowed) throw new ServiceError(403, 'Not allowed', refusalFor(relation, need));
    return grantOf(personId, relation);
  }
}
