import { type Kysely, sql } from 'kysely';
import { executeStatements } from './execute-statements.js';

/**
 * Trust: the recorded basis for sharing a person's record with each organisation, break-glass
 * access, the person's rights (rectification and erasure requests), and identities from outside
 * (OpenID Connect subjects; API clients with scoped tokens).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, [
    // An organisation in the care team sees the record only while a basis naming it is in force.
    sql`create table sharing_basis (
      person_id uuid not null references person (person_id),
      basis_id uuid not null,
      organisation_id uuid not null references organisation (organisation_id),
      basis text not null check (basis in ('consent', 'direct-care', 'legal-obligation', 'vital-interests', 'safeguarding')),
      purpose text not null check (length(purpose) between 1 and 500),
      note text not null default '',
      recorded_by_user_id uuid not null,
      recorded_at timestamptz not null default now(),
      withdrawn_at timestamptz,
      withdrawn_by_user_id uuid,
      withdrawal_reason text,
      primary key (person_id, basis_id)
    )`,
    sql`create index sharing_basis_active_idx on sharing_basis (person_id, organisation_id) where withdrawn_at is null`,

    sql`create table break_glass_grant (
      person_id uuid not null references person (person_id),
      grant_id uuid not null,
      user_id uuid not null,
      reason text not null check (length(reason) between 10 and 2000),
      granted_at timestamptz not null default now(),
      expires_at timestamptz not null,
      primary key (person_id, grant_id)
    )`,
    sql`create index break_glass_user_idx on break_glass_grant (user_id, expires_at)`,

    sql`create table rectification_request (
      person_id uuid not null references person (person_id),
      request_id uuid not null,
      what_is_wrong text not null check (length(what_is_wrong) between 1 and 4000),
      what_it_should_say text not null default '',
      requested_by_user_id uuid not null,
      requested_at timestamptz not null default now(),
      status text not null default 'open' check (status in ('open', 'corrected', 'declined')),
      response text not null default '',
      resolved_by_user_id uuid,
      resolved_at timestamptz,
      primary key (person_id, request_id)
    )`,

    // Kept after an erasure: which record was erased, when, why and what was kept. No personal data.
    sql`create table erasure_record (
      person_id uuid primary key,
      requested_at timestamptz not null,
      erased_at timestamptz not null default now(),
      erased_by_user_id uuid not null,
      grounds text not null,
      kept text not null
    )`,
    sql`create table erasure_request (
      person_id uuid not null references person (person_id),
      request_id uuid not null,
      grounds text not null check (length(grounds) between 1 and 4000),
      requested_by_user_id uuid not null,
      requested_at timestamptz not null default now(),
      status text not null default 'open' check (status in ('open', 'erased', 'declined')),
      decision text not null default '',
      decided_by_user_id uuid,
      decided_at timestamptz,
      primary key (person_id, request_id)
    )`,

    sql`alter table user_account add column oidc_issuer text, add column oidc_subject text`,
    sql`create unique index user_account_oidc_idx on user_account (oidc_issuer, oidc_subject) where oidc_subject is not null`,

    sql`create table api_client (
      client_id text primary key check (client_id ~ '^[a-z0-9-]{3,64}$'),
      name text not null,
      secret_hash text not null,
      scopes text[] not null,
      organisation_id uuid references organisation (organisation_id),
      created_at timestamptz not null default now(),
      disabled_at timestamptz
    )`,
    sql`create table api_token (
      token_hash text primary key,
      client_id text not null references api_client (client_id) on delete cascade,
      scopes text[] not null,
      issued_at timestamptz not null default now(),
      expires_at timestamptz not null
    )`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await executeStatements(db, [
    sql`drop table api_token, api_client, erasure_request, erasure_record, rectification_request,
      break_glass_grant, sharing_basis`,
    sql`alter table user_account drop column oidc_issuer, drop column oidc_subject`,
  ]);
}
