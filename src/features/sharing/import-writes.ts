import type { Kysely } from 'kysely';
import type { DB } from '../../store/schema.js';
import { type SharingBasisRow, sharingBasisRow } from './store.js';

export type { SharingBasisRow };

/** Rows per statement: well under PostgreSQL's 65,535 parameters a statement. */
const ROWS_PER_STATEMENT = 1000;

/**
 * Bases for sharing restored by FHIR bulk import (interop/fhir/bulk-import.ts, import-consents.ts),
 * on the operator's behalf, inside the import's transaction, after its own checks (the
 * organisation is held; a basis held already is not written again): the columns recording a basis
 * and withdrawing it write (store.ts insertSharingBasis, withdrawSharingBasis), with their dates.
 */
export async function restoreSharingBases(trx: Kysely<DB>, rows: readonly SharingBasisRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    await trx
      .insertInto('sharing_basis')
      .values(rows.slice(i, i + ROWS_PER_STATEMENT).map((b) => sharingBasisRow(b)))
      .execute();
  }
}
