import type { Kysely } from 'kysely';
import type { SharingBasisKind } from '../../domain/sharing.js';
import type { DB } from '../../store/schema.js';

/** A basis for sharing a person's record as it was recorded, and withdrawn if it was. */
export interface SharingBasisRow {
  personId: string;
  basisId: string;
  organisationId: string;
  basis: SharingBasisKind;
  purpose: string;
  note: string;
  recordedByUserId: string;
  /** Absent: now. */
  recordedAt?: string;
  /** Null while in force. */
  withdrawal: { at?: string; byUserId: string; reason: string | null } | null;
}

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
      .values(
        rows.slice(i, i + ROWS_PER_STATEMENT).map((b) => ({
          person_id: b.personId,
          basis_id: b.basisId,
          organisation_id: b.organisationId,
          basis: b.basis,
          purpose: b.purpose,
          note: b.note,
          recorded_by_user_id: b.recordedByUserId,
          ...(b.recordedAt ? { recorded_at: b.recordedAt } : {}),
          ...(b.withdrawal
            ? {
                withdrawn_at: b.withdrawal.at ?? new Date(),
                withdrawn_by_user_id: b.withdrawal.byUserId,
                withdrawal_reason: b.withdrawal.reason,
              }
            : {}),
        })),
      )
      .execute();
  }
}
