import type { Kysely } from 'kysely';
import { inChunks } from '../../store/in-chunks.js';
import type { DB } from '../../store/schema.js';
import {
  type ConversationRow,
  type GasAttainmentRow,
  type GasGoalRow,
  insertConversations,
  insertGasAttainments,
  insertGasGoals,
  insertOutcomeDomains,
  insertOutcomes,
  insertParticipants,
  insertRatings,
  type OutcomeDomainRow,
  type OutcomeRow,
  type ParticipantRow,
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
  await inChunks(outcomes, (chunk) => insertOutcomes(trx, chunk));
  await inChunks(domains, (chunk) => insertOutcomeDomains(trx, chunk));
}

export type { OutcomeDomainRow, OutcomeRow };

/**
 * GAS goals restored by FHIR bulk import (import-goals.ts), each on its outcome (restored before or
 * held), as they were set (levels, baseline, weighting, when), written as setting one writes them;
 * before the attainments that score them.
 */
export async function restoreGasGoals(trx: Kysely<DB>, goals: readonly GasGoalRow[]): Promise<void> {
  await inChunks(goals, (chunk) => insertGasGoals(trx, chunk));
}

export type { GasGoalRow };

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
  await inChunks(ratings, (chunk) => insertRatings(trx, chunk));
  await inChunks(attainments, (chunk) => insertGasAttainments(trx, chunk));
}

export type { GasAttainmentRow, RatingRow };

/**
 * Conversations restored by FHIR bulk import (import-conversations.ts), as they were recorded (their
 * ids, kind, day, words, when), with who took part in the order given, written as recording one
 * writes them; before the outcomes and ratings that name them.
 */
export async function restoreConversations(
  trx: Kysely<DB>,
  conversations: readonly ConversationRow[],
  participants: readonly ParticipantRow[],
): Promise<void> {
  await inChunks(conversations, (chunk) => insertConversations(trx, chunk));
  await inChunks(participants, (chunk) => insertParticipants(trx, chunk));
}

export type { ConversationRow, ParticipantRow };
