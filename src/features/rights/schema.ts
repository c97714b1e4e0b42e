import { type Static, type TObject, type TSchema, Type } from '@sinclair/typebox';
import { contract } from '../../services/contract.js';
import { PERSON_OWNED_TABLES, type PersonOwnedTable } from '../../store/person-owned-tables.js';

/**
 * The contracts of the person's rights (UK GDPR Articles 15 to 17): one schema per use case, used as
 * the API body, the service's input type and what the service checks, and what the pages' forms map
 * onto; then the answers the API gives, closed, so the export is a declared data contract.
 *
 * Text fields carry no `minLength`: text of only spaces is as empty as no text, so "say something"
 * is one rule in the service (422, naming the field) rather than two answers for the same mistake.
 */

/** Free text a person writes about their record: enough for a letter, never a flood. */
export const MAX_RIGHTS_TEXT = 4000;
const rightsText = (description?: string) =>
  Type.String({ maxLength: MAX_RIGHTS_TEXT, ...(description ? { description } : {}) });

/** The path of one request about a person's record: whose record, and which request. */
export const RequestParams = Type.Object({
  personId: Type.String({ format: 'uuid' }),
  requestId: Type.String({ format: 'uuid' }),
});

// ——— use cases ———

/** Asking for the record to be corrected (Article 16). */
export const RectificationRequestBody = Type.Object(
  {
    whatIsWrong: rightsText('What is wrong in the record, and where'),
    whatItShouldSay: Type.Optional(rightsText('What it should say')),
  },
  { additionalProperties: false },
);
export type RectificationRequestInput = Static<typeof RectificationRequestBody>;
export const RectificationRequestContract = contract(RectificationRequestBody);

export const RECTIFICATION_OUTCOMES = ['corrected', 'declined'] as const;

/** The care team's answer to a request for a correction. */
export const RectificationResolutionBody = Type.Object(
  {
    outcome: Type.Union(RECTIFICATION_OUTCOMES.map((o) => Type.Literal(o))),
    response: rightsText('What was corrected, or why the record will not be changed: the person sees it'),
  },
  { additionalProperties: false },
);
export type RectificationResolutionInput = Static<typeof RectificationResolutionBody>;
export const RectificationResolutionContract = contract(RectificationResolutionBody);

/** Asking for the record to be erased (Article 17). */
export const ErasureRequestBody = Type.Object(
  { grounds: rightsText('Why the record should be erased') },
  { additionalProperties: false },
);
export type ErasureRequestInput = Static<typeof ErasureRequestBody>;
export const ErasureRequestContract = contract(ErasureRequestBody);

const declineReason = rightsText('Why the record cannot be erased: the person sees it');

/** An administrator declines a request to erase a record. */
export const ErasureDeclineBody = Type.Object({ reason: declineReason }, { additionalProperties: false });
export type ErasureDeclineInput = Static<typeof ErasureDeclineBody>;
export const ErasureDeclineContract = contract(ErasureDeclineBody);

const confirmation = Type.Literal(true, {
  description: 'The administrator has read what will be erased and what will be kept',
});

/** An administrator confirms erasure, having seen what will be deleted and kept. */
export const ErasureConfirmBody = Type.Object({ confirm: confirmation }, { additionalProperties: false });
export type ErasureConfirmInput = Static<typeof ErasureConfirmBody>;
export const ErasureConfirmContract = contract(ErasureConfirmBody);

/** The API's one decision route: either of the two above, told apart by `decision`. */
export const ErasureDecisionBody = Type.Union([
  Type.Object({ decision: Type.Literal('decline'), reason: declineReason }, { additionalProperties: false }),
  Type.Object({ decision: Type.Literal('erase'), confirm: confirmation }, { additionalProperties: false }),
]);

// ——— answers ———

const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const closed = <P extends Record<string, TSchema>>(properties: P, description?: string): TObject<P> =>
  Type.Object(properties, { additionalProperties: false, ...(description ? { description } : {}) });
const uuid = () => Type.String({ format: 'uuid' });
const dateTime = () => Type.String({ format: 'date-time' });

export const RECTIFICATION_STATUSES = ['open', 'corrected', 'declined'] as const;
export type RectificationStatus = (typeof RECTIFICATION_STATUSES)[number];
export const ERASURE_STATUSES = ['open', 'erased', 'declined'] as const;
export type ErasureStatus = (typeof ERASURE_STATUSES)[number];

export const RectificationRequestSchema = closed({
  requestId: uuid(),
  personId: uuid(),
  whatIsWrong: Type.String(),
  whatItShouldSay: Type.String(),
  requestedBy: Type.String({ description: 'The display name of who asked' }),
  requestedByThePerson: Type.Boolean({ description: 'The person asked themselves, not someone for them' }),
  requestedAt: dateTime(),
  status: Type.Union(RECTIFICATION_STATUSES.map((s) => Type.Literal(s))),
  response: Type.String({ description: 'What was corrected, or why the record was not changed' }),
  resolvedBy: nullable(Type.String()),
  resolvedAt: nullable(dateTime()),
});
export type RectificationRequest = Static<typeof RectificationRequestSchema>;

export const ErasureRequestSchema = closed({
  requestId: uuid(),
  personId: uuid(),
  grounds: Type.String(),
  requestedBy: Type.String({ description: 'The display name of who asked' }),
  requestedByThePerson: Type.Boolean({ description: 'The person asked themselves, not their care team' }),
  requestedAt: dateTime(),
  status: Type.Union(ERASURE_STATUSES.map((s) => Type.Literal(s))),
  decision: Type.String({ description: 'Why the request was declined' }),
  decidedBy: nullable(Type.String()),
  decidedAt: nullable(dateTime()),
});
export type ErasureRequest = Static<typeof ErasureRequestSchema>;

export const RequestMadeSchema = closed({ requestId: uuid() });

export const KeptItemSchema = closed({ what: Type.String(), why: Type.String() });
export type KeptItem = Static<typeof KeptItemSchema>;

export const ErasureSubjectSchema = closed({
  name: Type.String(),
  nhsNumber: nullable(Type.String()),
  dateOfBirth: nullable(Type.String({ format: 'date' })),
});
export type ErasureSubject = Static<typeof ErasureSubjectSchema>;

export const ErasurePreviewSchema = closed({
  request: ErasureRequestSchema,
  subject: ErasureSubjectSchema,
  rows: Type.Array(
    closed({
      table: Type.Union(PERSON_OWNED_TABLES.map((t) => Type.Literal(t))),
      what: Type.String({ description: 'What the table holds, in words' }),
      count: Type.Integer(),
    }),
    { description: 'Rows that will be deleted, per table (tables with none left out)' },
  ),
  linkedAccounts: Type.Integer({ description: 'Sign-ins that will be removed with the record' }),
  auditEntries: Type.Integer({ description: 'Audit trail entries about the person, which are kept' }),
  kept: Type.Array(KeptItemSchema),
});

export const ErasureDecisionSchema = closed({
  status: Type.Union([Type.Literal('declined'), Type.Literal('erased')]),
  erasedAt: Type.Optional(dateTime()),
  rowsDeleted: Type.Optional(Type.Integer()),
  kept: Type.Optional(Type.String({ description: 'What was kept and why, as the erasure record says' })),
});

// ——— the export: everything held about the person ———

/** The version of the export's shape. Change it when a field's meaning changes. */
export const EXPORT_FORMAT = 'whatmatters-person-export/1';

const text = () => Type.String();
const optionalText = () => nullable(Type.String());
const int = () => Type.Integer();
const calendarDate = () => Type.String({ format: 'date' });

/**
 * Each person-owned table's columns as the export writes them: exactly the columns the database
 * has (a test compares them), so nothing held about the person is left out of their copy, and a
 * column added to the schema must be added here, where its meaning is declared.
 */
export const EXPORT_COLUMNS = {
  person: {
    person_id: uuid(),
    nhs_number: optionalText(),
    given_name: text(),
    family_name: text(),
    date_of_birth: nullable(calendarDate()),
    sex: text(),
    gender: optionalText(),
    ethnic_category: optionalText(),
    postcode: optionalText(),
    deprivation_decile: nullable(int()),
    preferred_name: optionalText(),
    phone: optionalText(),
    email: optionalText(),
    preferred_contact_method: optionalText(),
    communication_needs: optionalText(),
    address: optionalText(),
    created_at: dateTime(),
    updated_at: dateTime(),
    // Kept by the database from the rest of the record (migrations 0005 and 0006): how many changes
    // the record has had, and the latest conversation and plan facts.
    record_version: int(),
    latest_held_on: nullable(calendarDate()),
    latest_next_review_date: nullable(calendarDate()),
    plan_version: nullable(int()),
    plan_review_date: nullable(calendarDate()),
    // The team responsible for the record, and whether it still is, why and since when (0010).
    lead_team_id: nullable(uuid()),
    lead_state: text(),
    lead_state_reason: optionalText(),
    lead_state_by_user_id: nullable(uuid()),
    lead_state_since: dateTime(),
    // Whose record this is: someone who draws on care, or a carer's own record (0012).
    registered_as: text(),
    // The names as searched, lower case without accents, generated from the names (0013).
    search_name: text(),
    // The FHIR resource's version and last change, kept by the database (migration 0029).
    version_id: int(),
    last_updated: dateTime(),
  },
  person_nhs_number: { nhs_number: text(), person_id: uuid() },
  erasure_request: {
    person_id: uuid(),
    request_id: uuid(),
    grounds: text(),
    requested_by_user_id: uuid(),
    requested_at: dateTime(),
    status: text(),
    decision: text(),
    decided_by_user_id: nullable(uuid()),
    decided_at: nullable(dateTime()),
  },
  rectification_request: {
    person_id: uuid(),
    request_id: uuid(),
    what_is_wrong: text(),
    what_it_should_say: text(),
    requested_by_user_id: uuid(),
    requested_at: dateTime(),
    status: text(),
    response: text(),
    resolved_by_user_id: nullable(uuid()),
    resolved_at: nullable(dateTime()),
  },
  break_glass_grant: {
    person_id: uuid(),
    grant_id: uuid(),
    user_id: uuid(),
    reason: text(),
    granted_at: dateTime(),
    expires_at: dateTime(),
  },
  sharing_basis: {
    person_id: uuid(),
    basis_id: uuid(),
    organisation_id: uuid(),
    basis: text(),
    purpose: text(),
    note: text(),
    recorded_by_user_id: uuid(),
    recorded_at: dateTime(),
    withdrawn_at: nullable(dateTime()),
    withdrawn_by_user_id: nullable(uuid()),
    withdrawal_reason: optionalText(),
    // The FHIR resource's version and last change, kept by the database (migration 0029).
    version_id: int(),
    last_updated: dateTime(),
  },
  relationship: {
    person_id: uuid(),
    relationship_id: uuid(),
    name: text(),
    relationship_type: text(),
    is_carer: Type.Boolean(),
    contact: optionalText(),
    carer_user_id: nullable(uuid()),
    may_view: Type.Boolean(),
    may_contribute: Type.Boolean(),
    created_at: dateTime(),
    // The FHIR resource's version and last change, kept by the database (migration 0029).
    version_id: int(),
    last_updated: dateTime(),
  },
  care_team_member: {
    person_id: uuid(),
    member_id: uuid(),
    organisation_id: uuid(),
    team_id: nullable(uuid()),
    user_id: nullable(uuid()),
    support_kind: text(),
    role_description: text(),
    is_key_worker: Type.Boolean(),
    start_date: calendarDate(),
    end_date: nullable(calendarDate()),
    // The FHIR resource's version and last change, kept by the database (migration 0029).
    version_id: int(),
    last_updated: dateTime(),
  },
  conversation: {
    person_id: uuid(),
    conversation_id: uuid(),
    kind: text(),
    held_on: calendarDate(),
    summary: text(),
    what_helped: text(),
    what_got_in_the_way: text(),
    next_review_date: nullable(calendarDate()),
    recorded_by_user_id: uuid(),
    recorded_at: dateTime(),
  },
  conversation_participant: {
    person_id: uuid(),
    conversation_id: uuid(),
    participant_id: uuid(),
    kind: text(),
    name: text(),
    user_id: nullable(uuid()),
    organisation_id: nullable(uuid()),
    role: text(),
  },
  personal_outcome: {
    person_id: uuid(),
    outcome_id: uuid(),
    framework_id: uuid(),
    statement: text(),
    why_it_matters: text(),
    importance: nullable(int()),
    status: text(),
    added_by: text(),
    conversation_id: nullable(uuid()),
    created_by_user_id: uuid(),
    created_at: dateTime(),
    // The FHIR resource's version and last change, kept by the database (migration 0029).
    version_id: int(),
    last_updated: dateTime(),
  },
  personal_outcome_domain: { person_id: uuid(), outcome_id: uuid(), domain_id: uuid() },
  outcome_rating: {
    person_id: uuid(),
    rating_id: uuid(),
    outcome_id: uuid(),
    viewpoint: text(),
    score: int(),
    note: text(),
    conversation_id: nullable(uuid()),
    rated_by_user_id: uuid(),
    rated_at: dateTime(),
  },
  gas_goal: {
    person_id: uuid(),
    goal_id: uuid(),
    outcome_id: uuid(),
    level_minus_2: text(),
    level_minus_1: text(),
    level_0: text(),
    level_plus_1: text(),
    level_plus_2: text(),
    baseline_level: int(),
    importance: nullable(int()),
    difficulty: nullable(int()),
    weight: Type.String({ description: 'A decimal, as text so that no digits are lost' }),
    created_by_user_id: uuid(),
    created_at: dateTime(),
    // The FHIR resource's version and last change, kept by the database (migration 0029).
    version_id: int(),
    last_updated: dateTime(),
  },
  gas_attainment: {
    person_id: uuid(),
    attainment_id: uuid(),
    goal_id: uuid(),
    level: int(),
    conversation_id: nullable(uuid()),
    recorded_by_user_id: uuid(),
    recorded_at: dateTime(),
  },
  // Referrals and signposts to community resources (migration 0035).
  community_referral: {
    person_id: uuid(),
    referral_id: uuid(),
    resource_id: uuid(),
    outcome_id: nullable(uuid()),
    kind: text(),
    made_by: text(),
    needs: Type.Array(text()),
    reason: text(),
    share_consent: Type.Boolean(),
    status: text(),
    decline_reason: nullable(text()),
    status_note: text(),
    responded_by_user_id: nullable(uuid()),
    responded_at: nullable(dateTime()),
    created_by_user_id: uuid(),
    created_at: dateTime(),
    updated_at: dateTime(),
    version: int(),
  },
  // Attendance at a community resource (migration 0035).
  community_attendance: {
    person_id: uuid(),
    attendance_id: uuid(),
    referral_id: uuid(),
    attended_on: calendarDate(),
    outcome: text(),
    note: text(),
    recorded_by_user_id: uuid(),
    recorded_at: dateTime(),
  },
  // Steps the person set themselves between reviews, ticked off with what helped (migration 0032).
  self_management_step: {
    person_id: uuid(),
    step_id: uuid(),
    outcome_id: uuid(),
    words: text(),
    target_date: nullable(calendarDate()),
    done_at: nullable(dateTime()),
    what_helped: text(),
    what_got_in_the_way: text(),
    set_by: text(),
    created_by_user_id: uuid(),
    created_at: dateTime(),
    progress_by_user_id: nullable(uuid()),
    progress_at: nullable(dateTime()),
  },
  care_plan_version: {
    person_id: uuid(),
    version: int(),
    content: Type.Unknown({ description: 'The plan as saved: the care and support plan contract' }),
    planned_review_date: nullable(calendarDate()),
    change_summary: text(),
    created_by_user_id: uuid(),
    created_at: dateTime(),
  },
  plan_comment: {
    person_id: uuid(),
    comment_id: uuid(),
    version: int(),
    body: text(),
    author_user_id: uuid(),
    author_viewpoint: text(),
    created_at: dateTime(),
  },
  conversation_draft: {
    person_id: uuid(),
    user_id: uuid(),
    draft_id: uuid(),
    answers: Type.Unknown({ description: 'A conversation not yet saved: the answers given so far' }),
    created_at: dateTime(),
    updated_at: dateTime(),
    expires_at: dateTime(),
  },
  // Standard measures (migration 0021): schedules, requests, the responses whole, their scores.
  measure_schedule: {
    person_id: uuid(),
    schedule_id: uuid(),
    questionnaire_id: uuid(),
    at_start: Type.Boolean(),
    at_review: Type.Boolean(),
    at_end: Type.Boolean(),
    created_by_user_id: uuid(),
    created_at: dateTime(),
    ended_at: nullable(dateTime()),
    ended_by_user_id: nullable(uuid()),
  },
  measure_request: {
    person_id: uuid(),
    request_id: uuid(),
    questionnaire_id: uuid(),
    schedule_id: nullable(uuid()),
    occasion: text(),
    due_on: nullable(calendarDate()),
    not_before: nullable(calendarDate()),
    sent_to_person: Type.Boolean(),
    status: text(),
    response_id: nullable(uuid()),
    created_by_user_id: uuid(),
    created_at: dateTime(),
    closed_at: nullable(dateTime()),
  },
  questionnaire_response: {
    person_id: uuid(),
    response_id: uuid(),
    questionnaire_id: uuid(),
    status: text(),
    resource: Type.Unknown({ description: 'The answers as a FHIR R4 QuestionnaireResponse' }),
    authored_on: calendarDate(),
    recorded_at: dateTime(),
    recorded_by_user_id: uuid(),
    completed_by: text(),
    request_id: nullable(uuid()),
    conversation_id: nullable(uuid()),
  },
  measure_score: {
    person_id: uuid(),
    response_id: uuid(),
    score_key: text(),
    instrument: optionalText(),
    questionnaire_id: uuid(),
    value: Type.Number(),
    band: optionalText(),
    observed_on: calendarDate(),
  },
} satisfies Record<PersonOwnedTable, Record<string, TSchema>>;

const tableRows = (table: PersonOwnedTable) =>
  Type.Array(closed(EXPORT_COLUMNS[table]), { description: `The rows of ${table} about the person` });

// Parents first, as the export lists them.
const TABLES = Type.Object(
  Object.fromEntries(
    [...PERSON_OWNED_TABLES].reverse().map((table) => [table, tableRows(table)]),
  ) as unknown as Record<PersonOwnedTable, TSchema>,
  { additionalProperties: false, description: "Every person-owned table's rows for the person" },
);

const idToName = (what: string) =>
  Type.Object({}, { additionalProperties: Type.String(), description: `Names of ${what}, by id` });

export const AccessLogItemSchema = closed({
  occurredAt: dateTime(),
  who: nullable(Type.String({ description: 'The display name of who did it; null for the service itself' })),
  action: Type.String(),
  description: Type.String({ description: 'The action in plain English' }),
  purpose: nullable(Type.String()),
  outcome: Type.String(),
});
export type AccessLogItem = Static<typeof AccessLogItemSchema>;

export const PersonExportSchema = closed(
  {
    format: Type.Literal(EXPORT_FORMAT),
    exportedAt: dateTime(),
    personId: uuid(),
    tables: TABLES,
    names: closed({
      users: idToName('users'),
      organisations: idToName('organisations'),
      teams: idToName('teams'),
      outcomeDomains: idToName('outcome domains'),
      outcomeFrameworks: idToName('outcome frameworks, with their version'),
    }),
    accessLog: Type.Array(AccessLogItemSchema, {
      description: 'Who looked at or changed the record, when and why (the audit trail), oldest first',
    }),
  },
  'Everything held about one person, machine-readable',
);

/** One row of a person-owned table, as read from the database (timestamps as Dates until sent). */
export type ExportRow = Record<string, unknown>;

/** Everything held about one person, as the service assembles it. */
export interface PersonExport {
  format: typeof EXPORT_FORMAT;
  exportedAt: string;
  personId: string;
  tables: Record<PersonOwnedTable, ExportRow[]>;
  /** Names for the ids in the rows: users, organisations, teams, outcome domains and frameworks. */
  names: Record<
    'users' | 'organisations' | 'teams' | 'outcomeDomains' | 'outcomeFrameworks',
    Record<string, string>
  >;
  accessLog: AccessLogItem[];
}
