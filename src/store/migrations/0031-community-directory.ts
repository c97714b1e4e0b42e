import { type Kysely, sql } from 'kysely';
import { COST_KINDS, RESOURCE_KINDS, RESOURCE_STATUSES } from '../../domain/community/vocabulary.js';
import { executeStatements } from './execute-statements.js';

const list = (values: readonly string[]) => sql.join(values.map((v) => sql.lit(v)));

/**
 * The community resource directory (issue 14): groups, activities and services outside clinical
 * care that people can be referred or signposted to. Reference data about organisations' offers,
 * never about a person: under Citus it is a reference table (docs/SCALING.md), a few thousand rows
 * for a region. Needs, outcome domain codes and accessibility features are text arrays of the
 * vocabularies' keys (domain/community/vocabulary.ts) and of outcome_domain codes, which are kept
 * across framework versions, so they are not foreign keys. Sessions are a small JSON array of
 * {day, start, end}; `version` goes up with each change so two people editing at once cannot
 * overwrite each other (409 on a stale version).
 *
 * Indexes serve the directory's questions: an organisation's entries (the staff list), entries due
 * for review, public search by kind and need (GIN over the needs array), and by postcode sector.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, [
    sql`create table community_resource (
      resource_id uuid primary key,
      organisation_id uuid not null references organisation (organisation_id),
      name text not null,
      kind text not null check (kind in (${list(RESOURCE_KINDS)})),
      summary text not null,
      description text not null default '',
      needs text[] not null default '{}',
      domain_codes text[] not null default '{}',
      online boolean not null default false,
      address text,
      postcode text,
      sessions jsonb not null default '[]'::jsonb,
      schedule_note text not null default '',
      eligibility text not null default '',
      min_age integer check (min_age between 0 and 120),
      max_age integer check (max_age between 0 and 120),
      cost_kind text not null check (cost_kind in (${list(COST_KINDS)})),
      cost_note text not null default '',
      accessibility text[] not null default '{}',
      accessibility_note text not null default '',
      self_referral boolean not null default false,
      how_to_refer text not null default '',
      phone text,
      email text,
      website text,
      capacity integer check (capacity >= 0),
      accepting_referrals boolean not null default true,
      maintainer_user_id uuid references user_account (user_id) on delete set null,
      review_due date not null,
      last_reviewed_at timestamptz,
      status text not null default 'active' check (status in (${list(RESOURCE_STATUSES)})),
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      created_by uuid references user_account (user_id) on delete set null,
      check (min_age is null or max_age is null or min_age <= max_age),
      check (jsonb_typeof(sessions) = 'array')
    )`,
    sql`create index community_resource_organisation_idx on community_resource (organisation_id, name)`,
    sql`create index community_resource_kind_idx on community_resource (status, kind)`,
    sql`create index community_resource_review_idx on community_resource (status, review_due)`,
    sql`create index community_resource_needs_idx on community_resource using gin (needs)`,
    sql`create index community_resource_sector_idx on community_resource
      ((left(postcode, length(postcode) - 2))) where postcode is not null`,
    sql`create index community_resource_maintainer_idx on community_resource (maintainer_user_id)`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, [sql`drop table community_resource`]);
}
