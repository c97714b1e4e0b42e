import type { Kysely } from 'kysely';
import type { DB } from '../../store/schema.js';

/** A team as it was made: under its id, in its organisation. */
export interface TeamRow {
  teamId: string;
  organisationId: string;
  name: string;
  /** Absent: now. */
  createdAt?: string;
}

/**
 * A team restored by FHIR bulk import (interop/fhir/import-practitioners.ts), after its checks
 * (the organisation is held; a team held already is not written again), with when it was made.
 */
export async function restoreTeam(db: Kysely<DB>, team: TeamRow): Promise<void> {
  await db
    .insertInto('team')
    .values({
      team_id: team.teamId,
      organisation_id: team.organisationId,
      name: team.name,
      ...(team.createdAt ? { created_at: team.createdAt } : {}),
    })
    .execute();
}
