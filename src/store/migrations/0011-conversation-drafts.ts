import { type Kysely, sql } from 'kysely';
import { executeStatements } from './execute-statements.js';

/**
 * A first conversation is recorded one question a page; what has been answered so far is kept here,
 * on the server, between pages, and becomes a conversation only when the practitioner confirms it on
 * the check-your-answers page. One draft per practitioner per person: starting again replaces it.
 * `draft_id` changes each time a draft is started, so a check-your-answers page posted again (Back,
 * then Save) finds its draft gone and saves nothing twice. Drafts expire (`expires_at`), are deleted
 * when saved or discarded, and are erased with the person's record (they hold what was said).
 * `person_id` leads the key, as in every person-owned table (Citus).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, [
    sql`create table conversation_draft (
      person_id uuid not null references person (person_id),
      user_id uuid not null,
      draft_id uuid not null,
      answers jsonb not null default '{}'::jsonb,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      expires_at timestamptz not null,
      primary key (person_id, user_id)
    )`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, [sql`drop table conversation_draft`]);
}
