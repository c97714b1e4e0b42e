import { type Kysely, sql } from 'kysely';
import {
  ATTENDANCE_OUTCOMES,
  DECLINE_REASONS,
  MAX_REFERRAL_NOTE,
  MAX_REFERRAL_REASON,
  REFERRAL_KINDS,
  REFERRAL_STATUSES,
} from '../../domain/community/referrals.js';
import { VIEWPOINTS } from '../../domain/ratings.js';
import { recordVersionTriggers } from './0005-record-versions.js';
import { executeStatements } from './execute-statements.js';

const list = (values: readonly string[]) => sql.join(values.map((v) => sql.lit(v)));

/**
 * Referrals and signposts to community resources, and attendance at them (issue 14, part 2;
 * domain/community/referrals.ts holds the words and the rules).
 *
 * Person-owned and Citus-ready (docs/SCALING.md): person_id leads both primary keys and the foreign
 * keys to the outcome and between the two tables, so a person's referrals live on their shard beside
 * their outcomes and ratings (the aggregates join them there). The organisation's list of referrals
 * made to its resources reads `community_referral_resource_idx`; under Citus that list fans out to
 * every shard, which is fine for a list a few staff open a few times a day.
 *
 * `made_by` is the viewpoint that made it (person: a self-referral; carer; practitioner), as
 * outcomes and ratings record theirs. `share_consent`: the person agreed that their name and contact
 * details go to the organisation (a referral cannot be made without it; a signpost passes nothing).
 * `needs` are keys of NEEDS (the standard's needs and concerns). `version` goes up with each change so
 * two people answering at once cannot overwrite each other.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, [
    sql`create table community_referral (
      person_id uuid not null references person (person_id),
      referral_id uuid not null,
      resource_id uuid not null references community_resource (resource_id),
      outcome_id uuid,
      kind text not null check (kind in (${list(REFERRAL_KINDS)})),
      made_by text not null check (made_by in (${list(VIEWPOINTS)})),
      needs text[] not null default '{}',
      reason text not null default '' check (length(reason) <= ${sql.lit(MAX_REFERRAL_REASON)}),
      share_consent boolean not null,
      status text not null check (status in (${list(REFERRAL_STATUSES)})),
      decline_reason text check (decline_reason in (${list(DECLINE_REASONS)})),
      status_note text not null default '' check (length(status_note) <= ${sql.lit(MAX_REFERRAL_NOTE)}),
      responded_by_user_id uuid,
      responded_at timestamptz,
      created_by_user_id uuid not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version integer not null default 1,
      primary key (person_id, referral_id),
      foreign key (person_id, outcome_id) references personal_outcome (person_id, outcome_id),
      check (kind = 'signpost' or share_consent),
      check ((status = 'signposted') = (kind = 'signpost')),
      check ((status = 'declined') = (decline_reason is not null))
    )`,
    sql`create index community_referral_person_idx on community_referral (person_id, created_at)`,
    sql`create index community_referral_resource_idx on community_referral (resource_id, status, created_at)`,
    sql`create table community_attendance (
      person_id uuid not null,
      attendance_id uuid not null,
      referral_id uuid not null,
      attended_on date not null,
      outcome text not null check (outcome in (${list(ATTENDANCE_OUTCOMES)})),
      note text not null default '' check (length(note) <= ${sql.lit(MAX_REFERRAL_NOTE)}),
      recorded_by_user_id uuid not null,
      recorded_at timestamptz not null default now(),
      primary key (person_id, attendance_id),
      unique (person_id, referral_id, attended_on),
      foreign key (person_id, referral_id) references community_referral (person_id, referral_id)
    )`,
    // Each change counts on the person's record version (migration 0005), so the record cache sees it.
    ...recordVersionTriggers('community_referral'),
    ...recordVersionTriggers('community_attendance'),
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, [sql`drop table community_attendance`, sql`drop table community_referral`]);
}
