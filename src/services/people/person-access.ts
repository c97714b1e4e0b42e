import type { Kysely } from 'kysely';
import type { DB } from '../../store/schema.js';
import type { Actor } from '../actor.js';
import type { AuditService } from '../audit-service.js';
import { ServiceError } from '../errors.js';

/**
 * How an actor is related to a person's record: the one place that decides who may see and change
 * it.
 * - A practitioner or team manager sees people whose current care team includes them or one of
 *   their teams, and only while a recorded basis for sharing (consent, direct care, or another legal
 *   basis) names their organisation. Withdrawing it takes effect on the next request: nothing here
 *   is cached.
 * - A practitioner with an unexpired break-glass grant sees the record (but may not change it).
 * - A person sees their own record; a carer sees what the person has authorised.
 */
export type Relation =
  | { kind: 'self' }
  | { kind: 'carer'; relationshipId: string; mayView: boolean; mayContribute: boolean }
  | { kind: 'care-team'; via: 'user' | 'team'; organisationId: string; basis: string; purpose: string }
  | { kind: 'break-glass'; grantId: string; reason: string; expiresAt: Date };

export type Viewpoint = 'person' | 'carer' | 'practitioner';

export const viewpointOf = (relation: Relation): Viewpoint =>
  relation.kind === 'self' ? 'person' : relation.kind === 'carer' ? 'carer' : 'practitioner';

const purposeOf = (relation: Relation): string => {
  switch (relation.kind) {
    case 'care-team':
      return `direct care (${relation.basis}: ${relation.purpose})`;
    case 'break-glass':
      return `break-glass: ${relation.reason}`;
    default:
      return `direct care (${relation.kind})`;
  }
};

/** Not 403: saying "forbidden" would confirm that the person exists. */
export const personNotFound = () =>
  new ServiceError(404, 'Not found', 'No person with that id is in your caseload or circle.');

export type Need = 'view' | 'contribute' | 'manage';

export function teamIdsOf(actor: Actor): string[] {
  return actor.roles
    .filter((r) => (r.role === 'practitioner' || r.role === 'team-manager') && r.teamId)
    .map((r) => r.teamId as string);
}

export function isCareStaff(actor: Actor): boolean {
  return actor.roles.some((r) => r.role === 'practitioner' || r.role === 'team-manager');
}

export class PersonAccess {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly audit: AuditService,
  ) {}

  async relationTo(actor: Actor, personId: string): Promise<Relation | null> {
    if (actor.personId === personId && actor.roles.some((r) => r.role === 'person')) return { kind: 'self' };
    if (isCareStaff(actor)) {
      const teams = teamIdsOf(actor);
      const member = await this.db
        .selectFrom('care_team_member as m')
        .innerJoin('sharing_basis as b', (join) =>
          join
            .onRef('b.person_id', '=', 'm.person_id')
            .onRef('b.organisation_id', '=', 'm.organisation_id')
            .on('b.withdrawn_at', 'is', null),
        )
        .select(['m.user_id', 'm.team_id', 'm.organisation_id', 'b.basis', 'b.purpose'])
        .where('m.person_id', '=', personId)
        .where('m.end_date', 'is', null)
        .where((eb) =>
          eb.or([
            eb('m.user_id', '=', actor.userId),
            ...(teams.length ? [eb('m.team_id', 'in', teams)] : []),
          ]),
        )
        .limit(1)
        .executeTakeFirst();
      if (member) {
        return {
          kind: 'care-team',
          via: member.user_id === actor.userId ? 'user' : 'team',
          organisationId: member.organisation_id,
          basis: member.basis,
          purpose: member.purpose,
        };
      }
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
      const link = await this.db
        .selectFrom('relationship')
        .select(['relationship_id', 'may_view', 'may_contribute'])
        .where('person_id', '=', personId)
        .where('carer_user_id', '=', actor.userId)
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
   * The relation that allows `need`, or 404. Every call is audited, allowed or not, with the
   * purpose, so the person can later see who looked at their record and why.
   */
  async require(actor: Actor, personId: string, need: Need, action: string): Promise<Relation> {
    const relation = await this.relationTo(actor, personId);
    const allowed =
      relation !== null &&
      (need === 'view' ||
        (need === 'contribute' &&
          relation.kind !== 'break-glass' &&
          (relation.kind !== 'carer' || relation.mayContribute)) ||
        (need === 'manage' && relation.kind === 'care-team'));
    await this.audit.record(actor, {
      action,
      resourceType: 'person',
      resourceId: personId,
      personId,
      purpose: relation ? purposeOf(relation) : null,
      outcome: allowed ? 'success' : 'denied',
    });
    if (!relation) throw personNotFound();
    if (!allowed) {
      throw new ServiceError(
        403,
        'Not allowed',
        need === 'manage'
          ? 'Only practitioners in the care team can change this.'
          : relation.kind === 'break-glass'
            ? 'Break-glass access lets you read the record, not change it.'
            : 'The person has not authorised you to add to their record.',
      );
    }
    return relation;
  }
}
