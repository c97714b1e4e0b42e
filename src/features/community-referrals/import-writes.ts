import type { Kysely } from 'kysely';
import { inChunks } from '../../store/in-chunks.js';
import type { DB } from '../../store/schema.js';
import {
  insertRestoredAttendance,
  insertRestoredReferrals,
  type RestoredAttendanceRow,
  type RestoredReferralRow,
} from './store.js';

/**
 * Referrals, signposts and their attendance restored by FHIR bulk import (interop/fhir/
 * import-referrals.ts), on the operator's behalf, inside the person's import transaction, after its
 * own checks: as they were (ids, status, answer, who and when); the referrals before the attendance
 * that names them. A row held already is left as it is.
 */
export async function restoreReferrals(
  trx: Kysely<DB>,
  referrals: readonly RestoredReferralRow[],
  attendance: readonly RestoredAttendanceRow[],
): Promise<void> {
  await inChunks(referrals, (chunk) => insertRestoredReferrals(trx, chunk));
  await inChunks(attendance, (chunk) => insertRestoredAttendance(trx, chunk));
}

export type { RestoredAttendanceRow, RestoredReferralRow };
