import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/** Kysely's view of the tables the migrations create. Column names are the domain's names. */

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;

export interface OrganisationTable {
  organisation_id: string;
  kind: string;
  name: string;
  ods_code: string | null;
  created_at: CreatedAt;
}

export interface TeamTable {
  team_id: string;
  organisation_id: string;
  name: string;
  created_at: CreatedAt;
}

export interface AreaDeprivationTable {
  postcode_sector: string;
  deprivation_decile: number;
  source: string;
}

export interface PersonTable {
  person_id: string;
  nhs_number: string | null;
  given_name: string;
  family_name: string;
  date_of_birth: string | null;
  sex: string;
  gender: string | null;
  ethnic_category: string | null;
  postcode: string | null;
  deprivation_decile: number | null;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface PersonNhsNumberTable {
  nhs_number: string;
  person_id: string;
}

export interface UserAccountTable {
  user_id: string;
  username: string;
  display_name: string;
  job_title: string | null;
  password_hash: string | null;
  person_id: string | null;
  failed_sign_ins: ColumnType<number, number | undefined, number>;
  locked_until: Timestamp | null;
  disabled_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface UserRoleTable {
  user_role_id: string;
  user_id: string;
  role: string;
  organisation_id: string | null;
  team_id: string | null;
}

export interface UserSessionTable {
  session_hash: string;
  user_id: string;
  created_at: CreatedAt;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  ip: string | null;
  user_agent: string | null;
}

export interface AuditEventTable {
  audit_id: Generated<string>;
  occurred_at: CreatedAt;
  actor_user_id: string | null;
  actor_role: string | null;
  action: string;
  resource_type: string;
  resource_id: string | null;
  person_id: string | null;
  purpose: string | null;
  ip: string | null;
  outcome: string;
  previous_hash: string;
  hash: string;
}

export interface AppMetaTable {
  key: string;
  value: ColumnType<unknown, string, string>;
}

export interface DB {
  organisation: OrganisationTable;
  team: TeamTable;
  area_deprivation: AreaDeprivationTable;
  person: PersonTable;
  person_nhs_number: PersonNhsNumberTable;
  user_account: UserAccountTable;
  user_role: UserRoleTable;
  user_session: UserSessionTable;
  audit_event: AuditEventTable;
  app_meta: AppMetaTable;
}

export type PersonRow = Selectable<PersonTable>;
export type NewPerson = Insertable<PersonTable>;
export type UserAccountRow = Selectable<UserAccountTable>;
