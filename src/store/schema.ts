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
  preferred_name: ColumnType<string | null, string | null | undefined, string | null>;
  phone: ColumnType<string | null, string | null | undefined, string | null>;
  email: ColumnType<string | null, string | null | undefined, string | null>;
  preferred_contact_method: ColumnType<string | null, string | null | undefined, string | null>;
  communication_needs: ColumnType<string | null, string | null | undefined, string | null>;
  address: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  /** Goes up with every change to the person's record, kept by triggers (migration 0005). */
  record_version: ColumnType<number, never, never>;
  /** The latest conversation's date and the review it set, kept by triggers (migration 0006). */
  latest_held_on: ColumnType<string | null, never, never>;
  latest_next_review_date: ColumnType<string | null, never, never>;
  /** The latest plan version and its planned review, kept by triggers (migration 0006). */
  plan_version: ColumnType<number | null, never, never>;
  plan_review_date: ColumnType<string | null, never, never>;
  /** The team responsible for the record and whether it still is (migration 0010). */
  lead_team_id: ColumnType<string | null, string | null | undefined, string | null>;
  lead_state: ColumnType<string, string | undefined, string>;
  lead_state_reason: ColumnType<string | null, string | null | undefined, string | null>;
  lead_state_by_user_id: ColumnType<string | null, string | null | undefined, string | null>;
  lead_state_since: ColumnType<Date, Date | string | undefined, Date | string>;
  /** `person`, or `carer` for a carer's own record, coded with the carers' framework (migration 0012). */
  registered_as: ColumnType<string, string | undefined, string>;
}

/** One row: goes up when a name the records show from elsewhere changes (migration 0005). */
export interface ReferenceVersionTable {
  only_row: ColumnType<boolean, never, never>;
  version: ColumnType<string | number, never, never>;
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
  oidc_issuer: ColumnType<string | null, string | null | undefined, string | null>;
  oidc_subject: ColumnType<string | null, string | null | undefined, string | null>;
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
  /** HMAC of purpose and ip: the chain covers it, so both can be redacted on erasure (migration 0008). */
  private_digest: string | null;
  /** True once purpose and ip were removed because the person's record was erased. */
  redacted: Generated<boolean>;
  /** People a listing showed (a caseload page), when the entry is about more than one person. */
  listed_person_ids: string[] | null;
}

export interface AppMetaTable {
  key: string;
  value: ColumnType<unknown, string, string>;
}

type Text = ColumnType<string, string | undefined, string>;
type Json<T> = ColumnType<T, string, string>;

export interface OutcomeFrameworkTable {
  framework_id: string;
  key: string;
  version: number;
  name: string;
  description: Text;
  rating_labels: Json<string[]>;
  is_default: ColumnType<boolean, boolean | undefined, boolean>;
  /** When an administrator retired it: no longer offered for new outcomes (migration 0009). */
  retired_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  created_at: CreatedAt;
}

export interface OutcomeDomainTable {
  domain_id: string;
  framework_id: string;
  code: string;
  name: string;
  description: Text;
  category: string;
  sort_order: number;
}

export interface RelationshipTable {
  person_id: string;
  relationship_id: string;
  name: string;
  relationship_type: string;
  is_carer: ColumnType<boolean, boolean | undefined, boolean>;
  contact: string | null;
  carer_user_id: string | null;
  may_view: ColumnType<boolean, boolean | undefined, boolean>;
  may_contribute: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: CreatedAt;
}

export interface CareTeamMemberTable {
  person_id: string;
  member_id: string;
  organisation_id: string;
  team_id: string | null;
  user_id: string | null;
  support_kind: string;
  role_description: Text;
  is_key_worker: ColumnType<boolean, boolean | undefined, boolean>;
  start_date: ColumnType<string, string | undefined, string>;
  end_date: string | null;
}

export interface ConversationTable {
  person_id: string;
  conversation_id: string;
  kind: string;
  held_on: string;
  summary: Text;
  what_helped: Text;
  what_got_in_the_way: Text;
  next_review_date: string | null;
  recorded_by_user_id: string;
  recorded_at: CreatedAt;
}

export interface ConversationParticipantTable {
  person_id: string;
  conversation_id: string;
  participant_id: string;
  kind: string;
  name: string;
  user_id: string | null;
  organisation_id: string | null;
  role: Text;
}

export interface PersonalOutcomeTable {
  person_id: string;
  outcome_id: string;
  framework_id: string;
  statement: string;
  why_it_matters: Text;
  importance: number | null;
  status: ColumnType<string, string | undefined, string>;
  added_by: string;
  conversation_id: string | null;
  created_by_user_id: string;
  created_at: CreatedAt;
}

export interface PersonalOutcomeDomainTable {
  person_id: string;
  outcome_id: string;
  domain_id: string;
}

export interface OutcomeRatingTable {
  person_id: string;
  rating_id: string;
  outcome_id: string;
  viewpoint: string;
  score: number;
  note: Text;
  conversation_id: string | null;
  rated_by_user_id: string;
  rated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface GasGoalTable {
  person_id: string;
  goal_id: string;
  outcome_id: string;
  level_minus_2: string;
  level_minus_1: string;
  level_0: string;
  level_plus_1: string;
  level_plus_2: string;
  baseline_level: number;
  importance: number | null;
  difficulty: number | null;
  /** numeric: the driver returns it as text, to keep its precision. */
  weight: ColumnType<string, number | string, number | string>;
  created_by_user_id: string;
  created_at: CreatedAt;
}

export interface GasAttainmentTable {
  person_id: string;
  attainment_id: string;
  goal_id: string;
  level: number;
  conversation_id: string | null;
  recorded_by_user_id: string;
  recorded_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface CarePlanVersionTable {
  person_id: string;
  version: number;
  content: Json<unknown>;
  planned_review_date: string | null;
  change_summary: Text;
  created_by_user_id: string;
  created_at: CreatedAt;
}

export interface ConversationDraftTable {
  person_id: string;
  user_id: string;
  draft_id: string;
  answers: Json<Record<string, string | string[]>>;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  expires_at: Timestamp;
}

export interface PlanCommentTable {
  person_id: string;
  comment_id: string;
  version: number;
  body: string;
  author_user_id: string;
  author_viewpoint: string;
  created_at: CreatedAt;
}

export interface SharingBasisTable {
  person_id: string;
  basis_id: string;
  organisation_id: string;
  basis: string;
  purpose: string;
  note: Text;
  recorded_by_user_id: string;
  recorded_at: CreatedAt;
  withdrawn_at: Timestamp | null;
  withdrawn_by_user_id: string | null;
  withdrawal_reason: string | null;
}

export interface BreakGlassGrantTable {
  person_id: string;
  grant_id: string;
  user_id: string;
  reason: string;
  granted_at: CreatedAt;
  expires_at: Timestamp;
}

export interface RectificationRequestTable {
  person_id: string;
  request_id: string;
  what_is_wrong: string;
  what_it_should_say: Text;
  requested_by_user_id: string;
  requested_at: CreatedAt;
  status: ColumnType<string, string | undefined, string>;
  response: Text;
  resolved_by_user_id: string | null;
  resolved_at: Timestamp | null;
}

export interface ErasureRecordTable {
  person_id: string;
  requested_at: Timestamp;
  erased_at: CreatedAt;
  erased_by_user_id: string;
  grounds: string;
  kept: string;
}

export interface ErasureRequestTable {
  person_id: string;
  request_id: string;
  grounds: string;
  requested_by_user_id: string;
  requested_at: CreatedAt;
  status: ColumnType<string, string | undefined, string>;
  decision: Text;
  decided_by_user_id: string | null;
  decided_at: Timestamp | null;
}

export interface ApiClientTable {
  client_id: string;
  name: string;
  secret_hash: string;
  scopes: string[];
  organisation_id: string | null;
  created_at: CreatedAt;
  disabled_at: Timestamp | null;
}

export interface ApiTokenTable {
  token_hash: string;
  client_id: string;
  scopes: string[];
  issued_at: CreatedAt;
  expires_at: Timestamp;
}

/** A one-time link to set a new password, made by an administrator (migration 0009). */
export interface PasswordResetTable {
  token_hash: string;
  user_id: string;
  created_by: string | null;
  created_at: CreatedAt;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

export interface DB {
  password_reset: PasswordResetTable;
  sharing_basis: SharingBasisTable;
  break_glass_grant: BreakGlassGrantTable;
  rectification_request: RectificationRequestTable;
  erasure_record: ErasureRecordTable;
  erasure_request: ErasureRequestTable;
  api_client: ApiClientTable;
  api_token: ApiTokenTable;
  outcome_framework: OutcomeFrameworkTable;
  outcome_domain: OutcomeDomainTable;
  relationship: RelationshipTable;
  care_team_member: CareTeamMemberTable;
  conversation: ConversationTable;
  conversation_participant: ConversationParticipantTable;
  personal_outcome: PersonalOutcomeTable;
  personal_outcome_domain: PersonalOutcomeDomainTable;
  outcome_rating: OutcomeRatingTable;
  gas_goal: GasGoalTable;
  gas_attainment: GasAttainmentTable;
  care_plan_version: CarePlanVersionTable;
  plan_comment: PlanCommentTable;
  conversation_draft: ConversationDraftTable;
  organisation: OrganisationTable;
  team: TeamTable;
  area_deprivation: AreaDeprivationTable;
  person: PersonTable;
  person_nhs_number: PersonNhsNumberTable;
  reference_version: ReferenceVersionTable;
  user_account: UserAccountTable;
  user_role: UserRoleTable;
  user_session: UserSessionTable;
  audit_event: AuditEventTable;
  app_meta: AppMetaTable;
}

export type PersonRow = Selectable<PersonTable>;
export type NewPerson = Insertable<PersonTable>;
export type UserAccountRow = Selectable<UserAccountTable>;
