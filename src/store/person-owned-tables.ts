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
  'conversation_draft',
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

/** Tables with a person_id that erasure does not delete from, and why (above). */
export const TABLES_KEPT_OR_UNLINKED = [
  'audit_event',
  'erasure_record',
  'user_account',
] as const satisfies readonly (keyof DB)[];
