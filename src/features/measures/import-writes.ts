import type { Kysely } from 'kysely';
import type { DB } from '../../store/schema.js';
import { insertResponses, insertScores, type NewResponseRow, type NewScoreRow } from './store.js';

/** A completed measure as it was recorded: the row recording one writes, with when it was recorded. */
export type ResponseRow = NewResponseRow;

/** A score of a restored response: the row recording a measure writes for each score. */
export type ScoreRow = NewScoreRow;

/** Rows per statement: well under PostgreSQL's 65,535 parameters a statement. */
const ROWS_PER_STATEMENT = 1000;

/**
 * Completed measures restored by FHIR bulk import (interop/fhir/bulk-import.ts,
 * import-responses.ts), on the operator's behalf, inside the import's transaction, after its own
 * checks (the questionnaire is in the library; a response held already is not written again) and
 * scored as recording one scores: written by the store's insertResponses (with the time it was
 * recorded) and insertScores, as recording a measure writes them.
 */
export async function restoreResponses(
  trx: Kysely<DB>,
  responses: readonly ResponseRow[],
  scores: readonly ScoreRow[],
): Promise<void> {
  for (let i = 0; i < responses.length; i += ROWS_PER_STATEMENT)
    await insertResponses(trx, responses.slice(i, i + ROWS_PER_STATEMENT));
  for (let i = 0; i < scores.length; i += ROWS_PER_STATEMENT)
    await insertScores(trx, scores.slice(i, i + ROWS_PER_STATEMENT));
}
