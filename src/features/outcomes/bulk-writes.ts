import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { frameworkKeyForRecord, isValidScore } from '../../domain/outcome-frameworks.js';
import type { Viewpoint } from '../../domain/ratings.js';
import { invalid } from '../../services/errors.js';
import type { DB } from '../../store/schema.js';
import type { Framework } from '../frameworks/service.js';
import type { RecordScope } from '../record-access/person-access.js';
import { insertOutcomes, insertRatings, outcomesOf, registrationOf } from './store.js';

/**
 * Personal outcomes and ratings written in bulk on an organisation's behalf (the CSV exchange,
 * features/csv-exchange), inside the caller's transaction, to a record the caller opened after its
 * own check. The same rules as adding what matters and rating it (service.ts): a new outcome is
 * coded with the record's current framework; a score is on its framework's scale.
 */

/** The current framework of each kind of record, by framework key (`frameworkKeyForRecord`). */
export type CurrentFrameworks = ReadonlyMap<string | undefined, Framework>;

/** The kinds of record a registration can be (`registrationOf`). */
export const RECORD_KINDS = ['person', 'carer'] as const;

/** Outcomes compared by their words, whatever their case and spacing. */
const sameWords = (a: string, b: string) =>
  a.trim().replace(/\s+/g, ' ').toLowerCase() === b.trim().replace(/\s+/g, ' ').toLowerCase();

export interface OutcomeWithRating {
  statement: string;
  whyItMatters?: string | undefined;
  importance?: number | null | undefined;
  /** Whose view the rating (and an outcome first added here) is. */
  viewpoint: Viewpoint;
  rating: number | null;
  note?: string | undefined;
  /** The day rated (YYYY-MM-DD), or now. */
  ratedOn?: string | null | undefined;
}

/**
 * Adds the outcome unless the person has one with the same words, then its rating, if any. Answers
 * `held` when there was nothing new (the outcome without a rating, or the same rating on the same
 * day); refuses a score off the scale (422, field `rating`).
 */
export async function addOutcomeWithRating(
  trx: Kysely<DB>,
  scope: RecordScope,
  frameworks: CurrentFrameworks,
  input: OutcomeWithRating,
  recordedByUserId: string,
): Promise<{ outcomeId: string } | 'held'> {
  const { personId } = scope;
  const existing = (await outcomesOf(trx, scope)).find((o) => sameWords(o.statement, input.statement));
  const framework = existing ? null : frameworks.get(frameworkKeyForRecord(await registrationOf(trx, scope)));
  if (!existing && !framework)
    throw invalid('The record’s outcomes framework is not available.', 'statement');
  const labels = existing?.framework.ratingLabels ?? (framework as Framework).ratingLabels;
  if (input.rating !== null && !isValidScore({ labels }, input.rating)) {
    throw invalid(`A rating must be 1 to ${labels.length}, on the outcomes framework’s scale.`, 'rating');
  }
  if (existing) {
    const ratedBefore = existing.ratings.some(
      (r) =>
        r.viewpoint === input.viewpoint &&
        r.score === input.rating &&
        (!input.ratedOn || r.ratedAt.slice(0, 10) === input.ratedOn),
    );
    if (input.rating === null || ratedBefore) return 'held';
  }
  const outcomeId = existing?.outcomeId ?? randomUUID();
  if (!existing) {
    await insertOutcomes(trx, [
      {
        personId,
        outcomeId,
        frameworkId: (framework as Framework).frameworkId,
        statement: input.statement.trim(),
        whyItMatters: input.whyItMatters?.trim() ?? '',
        importance: input.importance ?? null,
        addedBy: input.viewpoint,
        conversationId: null,
        createdByUserId: recordedByUserId,
      },
    ]);
  }
  if (input.rating !== null) {
    await insertRatings(trx, [
      {
        personId,
        ratingId: randomUUID(),
        outcomeId,
        viewpoint: input.viewpoint,
        score: input.rating,
        note: input.note?.trim() ?? '',
        conversationId: null,
        ratedByUserId: recordedByUserId,
        // Midday: the day rated, whichever side of midnight UTC the UK is.
        ...(input.ratedOn ? { ratedAt: `${input.ratedOn}T12:00:00Z` } : {}),
      },
    ]);
  }
  return { outcomeId };
}
