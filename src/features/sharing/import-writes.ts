import type { Kysely } from 'kysely';
import { inChunks } from '../../store/in-chunks.js';
import type { DB } from '../../store/schema.js';
import { type SharingBasisRow, sharingBasisRow } from './store.js';

export type { SharingBasisRow };

/**
 * Bases for sharing restored by FHIR bulk import (interop/fhir/bulk-import.ts, import-consents.ts),
 * on the operator's behalf, inside the import's transaction, after its own checks (the
 * organisation is held; a basis held already is not written again): the columns recording a basis
 * and withdrawing it write (store.ts insertSharingBasis, withdrawSharingBasis), with their dates.
 */
export async function restoreSharingBases(trx: Kysely<DB>, rows: readonly SharingBasisRow[]): Promise<void> {
  await inChunks(rows, (chunk) =>
    trx
      .insertInto('sharing_basis')
      .values(chunk.map((b) => sharingBasisRow(b)))
      .execute(),
  );
}

/**
 * The team responsible for each record restored by FHIR bulk import (interop/fhir/import-care-teams.ts,
 * from CareTeam.managingOrganization; null: none), in the import's transaction after its bases for
 * sharing: responsible while the team's organisation has a basis in force, else needing a team —
 * the state the database keeps (migration 0010's trigger) whenever a basis changes.
 */
export async function restoreLeadTeams(
  trx: Kysely<DB>,
  leads: readonly { personId: string; teamId: string | null }[],
): Promise<void> {
  if (leads.length === 0) return;
  const inForce = await trx
    .selectFrom('sharing_basis as b')
    .innerJoin('team as t', 't.organisation_id', 'b.organisation_id')
    .select(['b.person_id', 't.team_id'])
    .where(
      'b.person_id',
      'in',
      leads.map((l) => l.personId),
    )
    .where('b.withdrawn_at', 'is', null)
    .execute();
  const covered = new Set(inForce.map((r) => `${r.person_id}/${r.team_id}`));
  for (const { personId, teamId } of leads) {
    await trx
      .updateTable('person')
      .set({
        lead_team_id: teamId,
        lead_state: teamId && covered.has(`${personId}/${teamId}`) ? 'responsible' : 'needs-team',
        lead_state_reason: null,
        lead_state_by_user_id: null,
      })
      .where('person_id', '=', personId)
      .execute();
  }
}
