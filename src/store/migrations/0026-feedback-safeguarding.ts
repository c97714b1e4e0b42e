import { type Kysely, sql } from 'kysely';
import { detectHarm } from '../../domain/feedback/harm.js';
import { applyMasks, findMasks } from '../../domain/feedback/masking.js';
import { FIRST_ACTIONS } from '../../domain/feedback/moderation.js';
import { executeStatements } from './execute-statements.js';

const list = (values: readonly string[]) => sql.join(values.map((v) => sql.lit(v)));

/**
 * Personal information out, harm flagged (issue 12, item 2). Each service names a safeguarding
 * contact (`feedback_service.safeguarding_user_id`). Each story keeps, beside its original words,
 * the spans the de-identifier masked in each field (`masks`, moderators correct them) and the
 * masked text built from them, computed once when it is stored; what harm it describes (`harm`)
 * and when it was flagged; the moderator's criticality (0–5); and the first action on a flag,
 * who took it, its note, and the seconds from flag to action (the time-to-first-action clock).
 * Stories stored before this migration are masked and checked here, once.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, [
    sql`alter table feedback_service add column safeguarding_user_id uuid references user_account (user_id)`,
    sql`alter table feedback add column masks jsonb not null default '{"whatWasGood":[],"whatCouldBeBetter":[]}'`,
    sql`alter table feedback add column masked_what_was_good text not null default ''`,
    sql`alter table feedback add column masked_what_could_be_better text not null default ''`,
    sql`alter table feedback add column harm jsonb not null default '[]'`,
    sql`alter table feedback add column flagged_at timestamptz`,
    sql`alter table feedback add column criticality smallint check (criticality between 0 and 5)`,
    sql`alter table feedback add column first_action text check (first_action in (${list(FIRST_ACTIONS)}))`,
    sql`alter table feedback add column first_action_note text`,
    sql`alter table feedback add column first_action_at timestamptz`,
    sql`alter table feedback add column first_action_by_user_id uuid references user_account (user_id)`,
    sql`alter table feedback add column seconds_to_first_action integer`,
    sql`create index feedback_flagged_idx on feedback (service_key, flagged_at) where flagged_at is not null`,
  ]);
  const rows = await sql<{ feedback_id: string; what_was_good: string; what_could_be_better: string }>`
    select feedback_id, what_was_good, what_could_be_better from feedback`.execute(db);
  for (const r of rows.rows) {
    const good = findMasks(r.what_was_good);
    const better = findMasks(r.what_could_be_better);
    const harm = detectHarm(`${r.what_was_good}\n${r.what_could_be_better}`);
    await sql`update feedback set
        masks = ${JSON.stringify({ whatWasGood: good, whatCouldBeBetter: better })}::jsonb,
        masked_what_was_good = ${applyMasks(r.what_was_good, good)},
        masked_what_could_be_better = ${applyMasks(r.what_could_be_better, better)},
        harm = ${JSON.stringify(harm)}::jsonb,
        flagged_at = ${harm.length ? sql`now()` : sql`null`}
      where feedback_id = ${r.feedback_id}`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, [
    sql`drop index feedback_flagged_idx`,
    ...[
      'masks',
      'masked_what_was_good',
      'masked_what_could_be_better',
      'harm',
      'flagged_at',
      'criticality',
      'first_action',
      'first_action_note',
      'first_action_at',
      'first_action_by_user_id',
      'seconds_to_first_action',
    ].map((c) => sql`alter table feedback drop column ${sql.ref(c)}`),
    sql`alter table feedback_service drop column safeguarding_user_id`,
  ]);
}
