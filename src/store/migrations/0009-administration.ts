import { type Kysely, sql } from 'kysely';
import { executeStatements } from './execute-statements.js';

/**
 * Running the service from pages (issue 9): one-time password reset links an administrator makes
 * for an account (only the SHA-256 of the link's secret is kept; each expires and is used once),
 * frameworks an administrator has retired (no longer offered for new outcomes; outcomes coded with
 * them keep them), and at most one default framework.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, [
    sql`create table password_reset (
      token_hash text primary key,
      user_id uuid not null references user_account (user_id) on delete cascade,
      created_by uuid references user_account (user_id),
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      used_at timestamptz
    )`,
    sql`create index password_reset_user_idx on password_reset (user_id)`,
    sql`alter table outcome_framework add column retired_at timestamptz`,
    sql`create unique index outcome_framework_one_default on outcome_framework ((true)) where is_default`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, [
    sql`drop index outcome_framework_one_default`,
    sql`alter table outcome_framework drop column retired_at`,
    sql`drop table password_reset`,
  ]);
}
