import type { Kysely } from 'kysely';
import { careTeamMemberRow, type NewCareTeamMember } from '../../store/care-team-member.js';
import { inChunks } from '../../store/in-chunks.js';
import type { DB } from '../../store/schema.js';
import { relationshipRow } from './store.js';

/** Someone in a person's circle as they were added: no account linked, no access given. */
export interface RelationshipRow {
  personId: string;
  relationshipId: string;
  name: string;
  relationshipType: string;
  isCarer: boolean;
  contact: string | null;
  /** Absent: now. */
  createdAt?: string;
}

/**
 * Relationships restored by FHIR bulk import (interop/fhir/bulk-import.ts,
 * import-related-people.ts), inside the import's transaction, after its own checks (one held
 * already is not written again): the columns adding someone writes (store.ts insertRelationship),
 * with when they were added. A carer's account and what the person lets them see are not carried
 * by FHIR: none is linked and nothing is allowed (the columns' defaults), as adding someone without
 * an account does.
 */
export async function restoreRelationships(trx: Kysely<DB>, rows: readonly RelationshipRow[]): Promise<void> {
  await inChunks(rows, (chunk) =>
    trx
      .insertInto('relationship')
      // No account is linked and nothing allowed: FHIR carries neither (the columns' defaults).
      .values(chunk.map((r) => relationshipRow(r)))
      .execute(),
  );
}

/** A membership of a person's care team as it was: who, in which team, and the day it began. */
export type CareTeamMemberRow = NewCareTeamMember & {
  personId: string;
  /** Absent: today. */
  startDate?: string;
};

/**
 * Care-team memberships restored by FHIR bulk import (interop/fhir/import-care-teams.ts), inside
 * the import's transaction, after its own checks (the organisation, team and account are held; a
 * membership held already is not written again): the row adding a member writes
 * (store/care-team-member.ts), with the day it began.
 */
export async function restoreCareTeamMembers(
  trx: Kysely<DB>,
  rows: readonly CareTeamMemberRow[],
): Promise<void> {
  await inChunks(rows, (chunk) =>
    trx
      .insertInto('care_team_member')
      .values(chunk.map((r) => careTeamMemberRow(r, r)))
      .execute(),
  );
}
