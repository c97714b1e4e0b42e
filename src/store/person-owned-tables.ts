import type { DB } from './schema.js';

/**
 * Every table holding rows about one person, children before parents: the order erasure deletes
 * them in (each foreign key points from a table to one later in the list). Schema knowledge, kept
 * beside the schema: export reads these tables and erasure empties them, so a table added to the
 * schema with a person_id must be added here or to TABLES_KEPT_OR_UNLINKED (a test compares both
 * lists with the database). Three other tables carry person_id and are not here on purpose:
 * `audit_event` (kept: the record of who accessed the record), `erasure_record` (kept: the proof of
 * erasure), and `user_account` (a person's sign-in, emptied on erasure as `user remove` empties an account).
 */
export const PERSON_OWNED_TABLES = [
  'measure_score',
  'questionnaire_response',
  'measure_request',
  'measure_schedule',
  'conversation_draft',
  'community_attendance',
  'community_referral',
  'self_management_step',
  'plan_comment',
  'care_plan_version',
  'gas_attainment',
  'gas_goal',
  'outcome_rating',
  'personal_outcome_domain',
  'personal_outcome',
  'conversation_participant',
  'conversation',
  'care_team_member',
  'relationship',
  'sharing_basis',
  'break_glass_grant',
  'rectification_request',
  'erasure_request',
  'person_nhs_number',
  'person',
] as const satisfies readonly (keyof DB)[];
export type PersonOwnedTable = (typeof PERSON_OWNED_TABLES)[number];

/**
 * What each table holds, in words an administrator deciding on an erasure can weigh (the erasure
 * page lists what will be deleted by these, never by table name). Typed by the list, so a table
 * added above cannot go unnamed.
 */
export const PERSON_OWNED_TABLE_LABELS: Record<PersonOwnedTable, string> = {
  measure_score: 'Scores of standard measures (such as PHQ-9)',
  questionnaire_response: 'Answers to standard measures and questionnaires',
  measure_request: 'Requests to fill in a measure',
  measure_schedule: 'Measures scheduled on the plan',
  conversation_draft: 'Unsaved drafts of conversations',
  community_attendance: 'Attendance at community groups and services',
  community_referral: 'Referrals and signposting to community groups and services',
  self_management_step: 'Steps the person set themselves between reviews, and what helped',
  plan_comment: 'Comments on the care and support plan',
  care_plan_version: 'Versions of the care and support plan',
  gas_attainment: 'Goal attainment scores',
  gas_goal: 'Goal attainment scales',
  outcome_rating: 'Ratings of progress',
  personal_outcome_domain: 'Codings of outcomes to framework domains',
  personal_outcome: 'Things that matter to the person (outcomes)',
  conversation_participant: 'Who took part in conversations',
  conversation: 'Conversations',
  care_team_member: 'Care team memberships',
  relationship: 'People important to the person, carers among them',
  sharing_basis: 'Agreements to share the record',
  break_glass_grant: 'Emergency (break-glass) access grants',
  rectification_request: 'Requests to correct the record',
  erasure_request: 'Requests to erase the record, this one among them',
  person_nhs_number: 'NHS numbers recorded',
  person: 'The person’s details (name, date of birth, contact details)',
};

/**
 * Tables with a person_id that erasure does not delete from directly, and why (above). And the
 * rollups' queue and contributions (migration 0014): numbers and codes only, nothing to export. They
 * are emptied for an erased person by the rollup worker's step, which erasure runs in its own
 * transaction after deleting the record (`applyRollupsOf`): it must subtract the person's last
 * contribution from the rollup before the contribution goes, so a plain delete would be wrong.
 */
export const TABLES_KEPT_OR_UNLINKED = [
  'audit_event',
  'erasure_record',
  'user_account',
  'rollup_dirty',
  'rollup_contribution',
] as const satisfies readonly (keyof DB)[];
