import { type Kysely, sql } from 'kysely';
import { VIEWPOINTS } from '../../domain/ratings.js';
import { MAX_STEP_NOTE, MAX_STEP_WORDS } from '../../domain/self-management.js';
import { recordVersionTriggers } from './0005-record-versions.js';
import { executeStatements } from './execute-statements.js';

const list = (values: readonly string[]) => sql.join(values.map((v) => sql.lit(v)));

/**
 * Self-management steps (issue 14, part 3): the small steps a person sets themselves between
 * reviews for one of their personal outcomes, in their own words, ticked off when done, with what
 * helped and what got in the way. Set by the person, a carer they authorised to add to their
 * record, or a practitioner with them (`set_by`, the viewpoint, as outcomes and ratings record it).
 *
 * Person-owned and Citus-ready (docs/SCALING.md): person_id first in the primary key and in the
 * foreign key to the outcome, so a person's steps live on their shard beside their outcomes. One
 * index serves the one read: a person's steps by outcome (their page, the summary, the review form).
 * `progress_at`/`progress_by_user_id` say who last ticked or unticked it or said what helped.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, [
    sql`create table self_management_step (
      person_id uuid not null references person (person_id),
      step_id uuid not null,
      outcome_id uuid not null,
      words text not null check (length(words) between 1 and ${sql.lit(MAX_STEP_WORDS)}),
      target_date date,
      done_at timestamptz,
      what_helped text not null default '' check (length(what_helped) <= ${sql.lit(MAX_STEP_NOTE)}),
      what_got_in_the_way text not null default ''
        check (length(what_got_in_the_way) <= ${sql.lit(MAX_STEP_NOTE)}),
      set_by text not null check (set_by in (${list(VIEWPOINTS)})),
      created_by_user_id uuid not null,
      created_at timestamptz not null default now(),
      progress_by_user_id uuid,
      progress_at timestamptz,
      primary key (person_id, step_id),
      foreign key (person_id, outcome_id) references personal_outcome (person_id, outcome_id)
    )`,
    sql`create index self_management_step_outcome_idx
      on self_management_step (person_id, outcome_id, created_at)`,
    // Each change counts on the person's record version (migration 0005), so the record cache sees it.
    ...recordVersionTriggers('self_management_step'),
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, [sql`drop table self_management_step`]);
}
