import type { Kysely, Selectable } from 'kysely';
import type { Viewpoint } from '../../domain/ratings.js';
import { fixedQuery } from '../../store/fixed-query.js';
import type { DB } from '../../store/schema.js';
import type { RecordScope } from '../record-access/person-access.js';
import type { SelfManagementStep } from './schema.js';

/**
 * The self-management feature's SQL. Reads of one person's steps take a RecordScope, which only an
 * access check (or a named system path) hands out.
 */

type StepRow = Selectable<DB['self_management_step']> & {
  created_by: string | null;
  progress_by: string | null;
};

/** The one mapping of a self_management_step row (with who set it and who last ticked it) to a step. */
export function rowToStep(r: StepRow): SelfManagementStep {
  return {
    stepId: r.step_id,
    outcomeId: r.outcome_id,
    words: r.words,
    targetDate: r.target_date,
    doneAt: r.done_at?.toISOString() ?? null,
    whatHelped: r.what_helped,
    whatGotInTheWay: r.what_got_in_the_way,
    setBy: r.set_by as Viewpoint,
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
    progressBy: r.progress_by,
    progressAt: r.progress_at?.toISOString() ?? null,
  };
}

const stepsQuery = fixedQuery((db, v: RecordScope) =>
  db
    .selectFrom('self_management_step as s')
    .leftJoin('user_account as c', 'c.user_id', 's.created_by_user_id')
    .leftJoin('user_account as p', 'p.user_id', 's.progress_by_user_id')
    .selectAll('s')
    .select(['c.display_name as created_by', 'p.display_name as progress_by'])
    .where('s.person_id', '=', v.personId)
    .orderBy('s.created_at')
    .orderBy('s.step_id'),
);

/** Every step the person has, oldest set first: one statement. */
export async function stepsOf(db: Kysely<DB>, scope: RecordScope): Promise<SelfManagementStep[]> {
  return (await stepsQuery.rows(db, scope)).map(rowToStep);
}

const outcomeQuery = fixedQuery((db, v: RecordScope & { outcomeId: string }) =>
  db
    .selectFrom('personal_outcome')
    .select(['outcome_id', 'status'])
    .where('person_id', '=', v.personId)
    .where('outcome_id', '=', v.outcomeId),
);

/** The status of one of the person's outcomes ('active', 'achieved', …), or undefined if not theirs. */
export async function outcomeStatusOf(
  db: Kysely<DB>,
  scope: RecordScope,
  outcomeId: string,
): Promise<string | undefined> {
  return (await outcomeQuery.first(db, { personId: scope.personId, outcomeId }))?.status;
}

export interface NewStep {
  stepId: string;
  outcomeId: string;
  words: string;
  targetDate: string | null;
  setBy: Viewpoint;
  createdByUserId: string;
}

export async function insertSteps(
  db: Kysely<DB>,
  scope: RecordScope,
  steps: readonly NewStep[],
): Promise<void> {
  if (!steps.length) return;
  await db
    .insertInto('self_management_step')
    .values(
      steps.map((s) => ({
        person_id: scope.personId,
        step_id: s.stepId,
        outcome_id: s.outcomeId,
        words: s.words,
        target_date: s.targetDate,
        set_by: s.setBy,
        created_by_user_id: s.createdByUserId,
      })),
    )
    .execute();
}

/**
 * How a step went. Ticking a step already done keeps the day it was first done (the words may be
 * changed without moving it on the timeline); unticking clears it. False when the person has no
 * such step.
 */
export async function updateStepProgress(
  db: Kysely<DB>,
  scope: RecordScope,
  stepId: string,
  progress: { done: boolean; whatHelped: string; whatGotInTheWay: string; byUserId: string; at: Date },
): Promise<boolean> {
  const result = await db
    .updateTable('self_management_step')
    .set((eb) => ({
      done_at: progress.done ? eb.fn.coalesce('done_at', eb.val(progress.at)) : null,
      what_helped: progress.whatHelped,
      what_got_in_the_way: progress.whatGotInTheWay,
      progress_by_user_id: progress.byUserId,
      progress_at: progress.at,
    }))
    .where('person_id', '=', scope.personId)
    .where('step_id', '=', stepId)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

const latestConversationQuery = fixedQuery((db, v: RecordScope) =>
  db.selectFrom('person').select('latest_held_on').where('person_id', '=', v.personId),
);

/** The date of the person's latest conversation (kept on the person by migration 0006), or null. */
export async function latestConversationOn(db: Kysely<DB>, scope: RecordScope): Promise<string | null> {
  return (await latestConversationQuery.first(db, scope))?.latest_held_on ?? null;
}
