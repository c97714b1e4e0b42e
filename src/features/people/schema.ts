import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { CARE_TEAM_SUPPORT_KINDS } from '../../domain/care-team.js';
import { CONVERSATION_KINDS } from '../../domain/conversations.js';
import { ETHNIC_CATEGORIES, SEXES } from '../../domain/demographics.js';
import { POSTCODE_PATTERN } from '../../domain/postcode.js';
import { REVIEW_STATUSES } from '../../domain/review-status.js';
import { contract } from '../../services/contract.js';
import { GasReviewScoreSchema, PersonalOutcomeSchema } from '../outcomes/schema.js';
import { PlanViewSchema } from '../plans/schema.js';
import { SharingBasisInput, SharingBasisSchema } from '../sharing/schema.js';

/**
 * The people feature's contracts, one per use case: the API body (or query), the service's input
 * type and what the service checks, and the target of the pages' form mapping (form.ts). Then the
 * closed shapes of the feature's answers.
 */

const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const text = (maxLength: number) => Type.String({ maxLength });
const optionalText = (maxLength: number) => Type.Optional(nullable(text(maxLength)));
const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));

/** Blank (to clear it) or an email address; spaces around it are trimmed when stored. */
const EmailText = Type.String({
  maxLength: 254,
  pattern: '^\\s*([^\\s@]+@[^\\s@]+\\.[^\\s@]+)?\\s*$',
});

/** A UK postcode (domain/postcode.ts), typed in any case, with or without the space. */
const PostcodeText = Type.String({
  maxLength: 10,
  pattern: POSTCODE_PATTERN,
});

// ---------------------------------------------------------------------------------------------
// Use cases

/** Register a person, for example at referral. */
export const RegisterPerson = Type.Object(
  {
    givenName: Type.String({ minLength: 1, maxLength: 100 }),
    familyName: Type.String({ minLength: 1, maxLength: 100 }),
    preferredName: optionalText(100),
    dateOfBirth: Type.Optional(nullable(Type.String({ format: 'date' }))),
    nhsNumber: optionalText(20),
    sex: literals(SEXES),
    gender: optionalText(100),
    ethnicCategory: Type.Optional(nullable(literals(ETHNIC_CATEGORIES.map((c) => c.code)))),
    postcode: Type.Optional(nullable(PostcodeText)),
    phone: optionalText(40),
    email: Type.Optional(nullable(EmailText)),
    preferredContactMethod: optionalText(200),
    communicationNeeds: optionalText(2000),
    /** The kind of support the registering practitioner gives. */
    supportKind: Type.Optional(literals(CARE_TEAM_SUPPORT_KINDS)),
  },
  { additionalProperties: false },
);
export type RegisterPersonInput = Static<typeof RegisterPerson>;
export const RegisterPersonContract = contract(RegisterPerson);

/** Change contact preferences and communication needs; a blank value clears it. */
export const UpdateContact = Type.Object(
  {
    preferredName: Type.Optional(text(100)),
    phone: Type.Optional(text(40)),
    email: Type.Optional(EmailText),
    preferredContactMethod: Type.Optional(text(200)),
    communicationNeeds: Type.Optional(text(2000)),
    address: Type.Optional(text(500)),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateContactInput = Static<typeof UpdateContact>;
export const UpdateContactContract = contract(UpdateContact);

/** Add an organisation, team or named practitioner from any agency to the care team. */
export const AddCareTeamMember = Type.Object(
  {
    organisationId: Type.String({ format: 'uuid' }),
    teamId: Type.Optional(nullable(Type.String({ format: 'uuid' }))),
    userId: Type.Optional(nullable(Type.String({ format: 'uuid' }))),
    supportKind: literals(CARE_TEAM_SUPPORT_KINDS),
    roleDescription: Type.Optional(text(300)),
    isKeyWorker: Type.Optional(Type.Boolean()),
    /** The basis for sharing with this organisation, when none is recorded yet. */
    sharing: Type.Optional(nullable(SharingBasisInput)),
  },
  { additionalProperties: false },
);
export type AddCareTeamMemberInput = Static<typeof AddCareTeamMember>;
export const AddCareTeamMemberContract = contract(AddCareTeamMember);

/** Add someone important to the person: family, friend, carer. */
export const AddRelationship = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    relationshipType: Type.String({ minLength: 1, maxLength: 100 }),
    isCarer: Type.Boolean(),
    contact: optionalText(300),
    /** A carer's WhatMatters account, linked so the person can later let them see the record. */
    carerUsername: optionalText(254),
  },
  { additionalProperties: false },
);
export type AddRelationshipInput = Static<typeof AddRelationship>;
export const AddRelationshipContract = contract(AddRelationship);

/** What a carer may see and add, as the person decides. */
export const CarerAuthorisation = Type.Object(
  { mayView: Type.Boolean(), mayContribute: Type.Boolean() },
  { additionalProperties: false },
);
export type CarerAuthorisationInput = Static<typeof CarerAuthorisation>;
export const CarerAuthorisationContract = contract(CarerAuthorisation);

/** The caseload's filters and page, as the service takes them. */
export const CaseloadFilters = Type.Object(
  {
    search: Type.Optional(Type.String({ maxLength: 200 })),
    overdueOnly: Type.Optional(Type.Boolean()),
    noPlanOnly: Type.Optional(Type.Boolean()),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
    /** The UK calendar date reviews are due against (domain/calendar.ts). */
    today: Type.String({ format: 'date' }),
  },
  { additionalProperties: false },
);
export type CaseloadFiltersInput = Static<typeof CaseloadFilters>;
export const CaseloadFiltersContract = contract(CaseloadFilters);

/** The caseload's address query (`GET /api/caseload`): the same filters under their URL names. */
export const CaseloadQuery = Type.Object(
  {
    search: Type.Optional(Type.String({ maxLength: 200, description: 'Name or NHS number' })),
    overdue: Type.Optional(Type.Boolean({ description: 'Only people whose review is overdue' })),
    noPlan: Type.Optional(Type.Boolean({ description: 'Only people without a care and support plan' })),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
  },
  { additionalProperties: false },
);

/** The ids in the address of a carer's authorisation. */
export const RelationshipParams = Type.Object({
  personId: Type.String({ format: 'uuid' }),
  relationshipId: Type.String({ format: 'uuid' }),
});

/** The ids in the address of a sharing basis. */
export const SharingBasisParams = Type.Object({
  personId: Type.String({ format: 'uuid' }),
  basisId: Type.String({ format: 'uuid' }),
});

// ---------------------------------------------------------------------------------------------
// Answers

const ReviewStatusSchema = literals(REVIEW_STATUSES);

export const CaseloadEntrySchema = Type.Object(
  {
    personId: Type.String({ format: 'uuid' }),
    name: Type.String(),
    nhsNumber: nullable(Type.String()),
    dateOfBirth: nullable(Type.String({ format: 'date' })),
    nextReviewDate: nullable(Type.String({ format: 'date' })),
    reviewStatus: ReviewStatusSchema,
    hasPlan: Type.Boolean(),
    lastConversationOn: nullable(Type.String({ format: 'date' })),
  },
  { additionalProperties: false },
);
export type CaseloadEntry = Static<typeof CaseloadEntrySchema>;

export const CaseloadSchema = Type.Object(
  {
    entries: Type.Array(CaseloadEntrySchema),
    total: Type.Integer(),
    page: Type.Integer(),
    pageSize: Type.Integer(),
  },
  { additionalProperties: false },
);
export type Caseload = Static<typeof CaseloadSchema>;

export const PersonDetailsSchema = Type.Object(
  {
    personId: Type.String({ format: 'uuid' }),
    givenName: Type.String(),
    familyName: Type.String(),
    preferredName: nullable(Type.String()),
    name: Type.String(),
    nhsNumber: nullable(Type.String()),
    dateOfBirth: nullable(Type.String({ format: 'date' })),
    sex: Type.String(),
    gender: nullable(Type.String()),
    ethnicCategory: nullable(Type.String()),
    postcode: nullable(Type.String()),
    address: nullable(Type.String()),
    phone: nullable(Type.String()),
    email: nullable(Type.String()),
    preferredContactMethod: nullable(Type.String()),
    communicationNeeds: nullable(Type.String()),
  },
  { additionalProperties: false },
);
export type PersonDetails = Static<typeof PersonDetailsSchema>;

export const CareTeamMemberSchema = Type.Object(
  {
    memberId: Type.String({ format: 'uuid' }),
    organisationId: Type.String({ format: 'uuid' }),
    organisationName: Type.String(),
    organisationKind: Type.String(),
    teamId: nullable(Type.String({ format: 'uuid' })),
    teamName: nullable(Type.String()),
    userId: nullable(Type.String({ format: 'uuid' })),
    userName: nullable(Type.String()),
    supportKind: Type.String(),
    roleDescription: Type.String(),
    isKeyWorker: Type.Boolean(),
    startDate: Type.String({ format: 'date' }),
  },
  { additionalProperties: false },
);
export type CareTeamMember = Static<typeof CareTeamMemberSchema>;

export const RelationshipEntrySchema = Type.Object(
  {
    relationshipId: Type.String({ format: 'uuid' }),
    name: Type.String(),
    relationshipType: Type.String(),
    isCarer: Type.Boolean(),
    contact: nullable(Type.String()),
    hasAccount: Type.Boolean(),
    mayView: Type.Boolean(),
    mayContribute: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type RelationshipEntry = Static<typeof RelationshipEntrySchema>;

export const ConversationSummarySchema = Type.Object(
  {
    conversationId: Type.String({ format: 'uuid' }),
    kind: literals(CONVERSATION_KINDS),
    heldOn: Type.String({ format: 'date' }),
    summary: Type.String(),
    whatHelped: Type.String(),
    whatGotInTheWay: Type.String(),
    nextReviewDate: nullable(Type.String({ format: 'date' })),
    recordedBy: Type.String(),
    participants: Type.Array(
      Type.Object(
        {
          kind: Type.String(),
          name: Type.String(),
          role: Type.String(),
          organisationName: nullable(Type.String()),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type ConversationSummary = Static<typeof ConversationSummarySchema>;

/** How the reader is related to the record (domain/record-access.ts), as JSON. */
export const RelationSchema = Type.Union([
  Type.Object({ kind: Type.Literal('self') }, { additionalProperties: false }),
  Type.Object(
    {
      kind: Type.Literal('carer'),
      relationshipId: Type.String({ format: 'uuid' }),
      mayView: Type.Boolean(),
      mayContribute: Type.Boolean(),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('care-team'),
      via: literals(['user', 'team'] as const),
      organisationId: Type.String({ format: 'uuid' }),
      basis: Type.String(),
      purpose: Type.String(),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('break-glass'),
      grantId: Type.String({ format: 'uuid' }),
      reason: Type.String(),
      expiresAt: Type.String({ format: 'date-time' }),
    },
    { additionalProperties: false },
  ),
]);

/** One event of the timeline as the API gives it: its title and link are built by the web layer. */
export const TimelineEventSchema = Type.Object(
  {
    at: Type.String(),
    kind: literals([
      'conversation',
      'outcome-added',
      'rating',
      'gas-attainment',
      'plan-version',
      'plan-comment',
    ] as const),
    title: Type.String(),
    detail: nullable(Type.String()),
    by: nullable(Type.String()),
    link: nullable(Type.String()),
  },
  { additionalProperties: false },
);

const TimelineMonthSchema = Type.Object(
  { month: Type.String(), events: Type.Array(TimelineEventSchema) },
  { additionalProperties: false },
);

/** `GET /api/people/{id}`: everything about the person the reader may see. */
export const PersonRecordSchema = Type.Object(
  {
    person: PersonDetailsSchema,
    relation: RelationSchema,
    careTeam: Type.Array(CareTeamMemberSchema),
    circle: Type.Array(RelationshipEntrySchema),
    sharing: Type.Array(SharingBasisSchema),
    outcomes: Type.Array(PersonalOutcomeSchema),
    plan: PlanViewSchema,
    gasScores: Type.Array(GasReviewScoreSchema),
    conversations: Type.Array(ConversationSummarySchema),
    nextReviewDate: nullable(Type.String({ format: 'date' })),
    reviewStatus: ReviewStatusSchema,
    timeline: Type.Array(TimelineMonthSchema),
  },
  { additionalProperties: false },
);
