import type { Kysely } from 'kysely';
import type { DB } from '../../store/schema.js';
import {
  type GasAttainmentRow,
  insertGasAttainments,
  insertOutcomeDomains,
  insertOutcomes,
  insertRatings,
  type OutcomeDomainRow,
  type OutcomeRow,
  type RatingRow,
} from './store.js';

/**
 * Personal outcomes restored by FHIR bulk import (interop/fhir/bulk-import.ts, import-goals.ts), on
 * the operator's behalf, inside the import's transaction, after its own checks: the rows as they
 * were recorded (their ids, status, who added them and when), written as adding an outcome writes
 * them (store.ts).
 */
export async function restoreOutcomes(
  trx: Kysely<DB>,
  outcomes: readonly OutcomeRow[],
  domains: readonly OutcomeDomainRow[],
): Promise<void> {
  await insertOutcomes(trx, outcomes);
  await insertOutcomeDomains(trx, domains);
}

export type { OutcomeDomainRow, OutcomeRow };

/**
 * Outcome ratings and GAS attainments restored by FHIR bulk import (import-observations.ts), as
 * they were recorded (their ids, viewpoint, when), written as rating and scoring write them; a row
 * held already is left as it is.
 */
export async function restoreObservations(
  trx: Kysely<DB>,
  ratings: readonly RatingRow[],
  attainments: readonly GasAttainmentRow[],
): Promise<void> {
  await insertRatings(trx, ratings);
  await insertGasAttainments(trx, attainments);
}

export type { GasAttainmentRow, RatingRow };
