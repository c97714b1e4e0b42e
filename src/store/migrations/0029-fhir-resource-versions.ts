import { type Kysely, sql } from 'kysely';
import { executeStatements } from './execute-statements.js';

/**
 * FHIR versions (issue 13). A FHIR resource carries `meta.versionId` and `meta.lastUpdated`, and an
 * update with `If-Match` must fail with 412 when the version it names is not the current one. The
 * plan already keeps every version (`care_plan_version`); the other rows a client can change get a
 * version that goes up, and a time that moves, on every update that changes what the resource shows.
 *
 * One trigger function for every table. Each table names the columns whose change is not a new
 * version of the resource: on `person`, the counters and summaries other triggers keep (a new
 * rating bumps `record_version`; that is not a new version of the Patient) and the lead team, which
 * the Patient resource does not carry. `to_jsonb(row) - text[]` drops them before comparing.
 *
 * Earlier versions of these rows are not kept (only the plan's are): history answers the current
 * version and says so, and the CapabilityStatement does not claim `readHistory` for them.
 *
 * Adding a column with a default evaluated once (`now()` is stable) does not rewrite the table, so
 * this is cheap at a million people; existing rows show the migration time as their last update.
 */
const VERSIONED: { table: string; ignored: string[] }[] = [
  {
    table: 'person',
    ignored: [
      'updated_at',
      'record_version',
      'search_name',
      'latest_held_on',
      'latest_next_review_date',
      'plan_version',
      'plan_review_date',
      'lead_team_id',
      'lead_state',
      'lead_state_reason',
      'lead_state_by_user_id',
      'lead_state_since',
    ],
  },
  { table: 'personal_outcome', ignored: [] },
  { table: 'gas_goal', ignored: [] },
  { table: 'relationship', ignored: [] },
  { table: 'care_team_member', ignored: [] },
  { table: 'sharing_basis', ignored: [] },
];

const list = (values: string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));

export async function up(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, [
    sql`create function wm_bump_resource_version() returns trigger language plpgsql as $$
      begin
        if (to_jsonb(new) - coalesce(tg_argv, '{}'::text[]) - 'version_id' - 'last_updated')
           is distinct from (to_jsonb(old) - coalesce(tg_argv, '{}'::text[]) - 'version_id' - 'last_updated') then
          new.version_id := old.version_id + 1;
          new.last_updated := now();
        else
          new.version_id := old.version_id;
          new.last_updated := old.last_updated;
        end if;
        return new;
      end
    $$`,
    ...VERSIONED.flatMap(({ table, ignored }) => [
      sql`alter table ${sql.table(table)}
            add column version_id integer not null default 1 check (version_id >= 1),
            add column last_updated timestamptz not null default now()`,
      sql`create trigger ${sql.raw(`${table}_resource_version`)} before update on ${sql.table(table)}
            for each row execute function wm_bump_resource_version(${list(ignored)})`,
    ]),
    // FHIR Bulk Data export jobs (the files themselves are on disk, under the data directory).
    sql`create table fhir_export_job (
      job_id uuid primary key,
      requested_by_user_id uuid,
      requested_by_client_id text,
      organisation_id uuid references organisation (organisation_id),
      export_level text not null check (export_level in ('system', 'patient', 'group')),
      group_id uuid,
      resource_types text[] not null,
      since timestamptz,
      request_url text not null,
      status text not null default 'in-progress'
        check (status in ('in-progress', 'complete', 'failed', 'cancelled')),
      progress text not null default '',
      transaction_time timestamptz not null,
      output jsonb not null default '[]',
      error text,
      created_at timestamptz not null default now(),
      completed_at timestamptz,
      check ((requested_by_user_id is null) <> (requested_by_client_id is null))
    )`,
    sql`create index fhir_export_job_status_idx on fhir_export_job (status, created_at)`,
    // The records an organisation holds (a system client's Patient search and bulk export), in
    // person order for keyset paging: without it each page would read every membership.
    sql`create index care_team_member_organisation_idx on care_team_member (organisation_id, person_id)
          where end_date is null`,
    // Client ids as short as one character (`client add --id x`), as OAuth allows.
    sql`alter table api_client drop constraint api_client_client_id_check,
          add constraint api_client_client_id_check check (client_id ~ '^[a-z0-9-]{1,64}$')`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, [
    sql`alter table api_client drop constraint api_client_client_id_check,
          add constraint api_client_client_id_check check (client_id ~ '^[a-z0-9-]{3,64}$')`,
    sql`drop index care_team_member_organisation_idx`,
    sql`drop table fhir_export_job`,
    ...VERSIONED.flatMap(({ table }) => [
      sql`drop trigger ${sql.raw(`${table}_resource_version`)} on ${sql.table(table)}`,
      sql`alter table ${sql.table(table)} drop column version_id, drop column last_updated`,
    ]),
    sql`drop function wm_bump_resource_version()`,
  ]);
}
