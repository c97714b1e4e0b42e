import type { Kysely } from 'kysely';
import { inChunks } from '../../store/in-chunks.js';
import type { DB } from '../../store/schema.js';
import {
  insertRequests,
  insertResponses,
  insertScores,
  linkResponseToRequest,
  type NewRequestRow,
  type NewResponseRow,
  type NewScoreRow,
} from './store.js';

/** A completed measure as it was recorded: the row recording one writes, with when it was recorded. */
export type ResponseRow = NewResponseRow;

/** A score of a restored response: the row recording a measure writes for each score. */
export type ScoreRow = NewScoreRow;

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
  await inChunks(responses, (chunk) => insertResponses(trx, chunk));
  await inChunks(scores, (chunk) => insertScores(trx, chunk));
}

/** A measure request as it stood, with how it stands and when it was asked and closed. */
export type RequestRow = NewRequestRow & { restored: NonNullable<NewRequestRow['restored']> };

/**
 * Measure requests restored by FHIR bulk import (interop/fhir/import-measure-requests.ts), inside
 * the import's transaction, after its checks (the questionnaire is in the library; a completed
 * one's response is held; one held already is not written again): written by the store's
 * insertRequests, as asking for a measure writes them. A response the request names, restored
 * before it without one, is linked back to it, as completing a request links them.
 */
export async function restoreRequests(trx: Kysely<DB>, requests: readonly RequestRow[]): Promise<void> {
  await inChunks(requests, (chunk) => insertRequests(trx, chunk));
  for (const r of requests)
    if (r.restored.responseId)
      await linkResponseToRequest(trx, r.personId, r.restored.responseId, r.requestId);
}
