import type { Insertable, Kysely } from 'kysely';
import type { DB } from './schema.js';

/** A membership of a person's care team, as written. */
export interface NewCareTeamMember {
  memberId: string;
  organisationId: string;
  teamId: string | null;
  userId: string | null;
  supportKind: string;
  roleDescription: string;
  isKeyWorker: boolean;
}

/**
 * The one insert of a care-team membership, shared by the features that add one: registering a
 * person and adding to their care team (people), and handing the record over to a new lead team
 * (sharing). `scope` is the record an access check (or a named system path) opened: callers pass
 * their RecordScope, so a membership is only ever written to a record someone may change.
 */
export async function insertCareTeamMember(
  db: Kysely<DB>,
  scope: { readonly personId: string },
  member: NewCareTeamMember,
): Promise<void> {
  await db.insertInto('care_team_member').values(careTeamMemberRow(scope, member)).execute();
}

/** The row of a membership (the one mapping, shared with FHIR bulk import's restore); no start date: today. */
export function careTeamMemberRow(
  scope: { readonly personId: string },
  member: NewCareTeamMember & { startDate?: string },
): Insertable<DB['care_team_member']> {
  return {
    person_id: scope.personId,
    member_id: member.memberId,
    organisation_id: member.organisationId,
    team_id: member.teamId,
    user_id: member.userId,
    support_kind: member.supportKind,
    role_description: member.roleDescription,
    is_key_worker: member.isKeyWorker,
    ...(member.startDate ? { start_date: member.startDate } : {}),
  };
}
