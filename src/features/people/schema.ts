import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { CARE_TEAM_SUPPORT_KINDS } from '../../domain/care-team.js';
import { CONVERSATION_KINDS } from '../../domain/conversations.js';
import { ETHNIC_CATEGORIES, SEXES } from '../../domain/demographics.js';
import { PHONE_PATTERN, PHONE_PROBLEM } from '../../domain/phone.js';
import { POSTCODE_PATTERN } from '../../domain/postcode.js';
import { REVIEW_STATUSES } from '../../domain/review-status.js';
import { contract } from '../../services/contract.js';
import { CommunityReferralSchema } from '../community-referrals/schema.js';
import { GasReviewScoreSchema, PersonalOutcomeSchema } from '../outcomes/schema.js';
import { PlanViewSchema } from '../plans/schema.js';
import { SelfManagementStepSchema } from '../self-management/schema.js';
import { LeadTeamSchema, SharingBasisInput, SharingBasisSchema } from '../sharing/schema.js';

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

/** A telephone number (domain/phone.ts), or blank: words are not a number to ring. */
const PhoneText = Type.String({ maxLength: 40, pattern: PHONE_PATTERN, errorMessage: PHONE_PROBLEM });

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
    phone: Type.Optional(nullable(PhoneText)),
    email: Type.Optional(nullable(EmailText)),
    preferredContactMethod: optionalText(200),
    communicationNeeds: optionalText(2000),
    /** The kind of support the registering practitioner gives. */
    supportKind: Type.Optional(literals(CARE_TEAM_SUPPORT_KINDS)),
    /**
     * The registering practitioner has seen that someone with the same name and date of birth is
     * registered, and says this is a different person.
     */
    notADuplicate: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type RegisterPersonInput = Static<typeof RegisterPerson>;
export const RegisterPersonContract = contract(RegisterPerson);

/** Change contact preferences and communication needs; a blank value clears it. */
export const UpdateContact = Type.Object(
  {
    preferredName: Type.Optional(text(100)),
    phone: Type.Optional(PhoneText),
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
    /** Only people with a requested standard measure overdue (features/measures). */
    measureOverdueOnly: Type.Optional(Type.Boolean()),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
    /** The UK calendar date reviews and measures are due against (domain/calendar.ts). */
    today: Type.String({ format: 'date' }),
  },
  { additionalProperties: false },
);
export type CaseloadFiltersInput = Static<typeof CaseloadFilters>;
export const CaseloadFiltersContract = contract(CaseloadFilters);

/** A team manager's view of their teams' caseload: filtered by worker and by review status. */
export const TeamCaseloadFilters = Type.Object(
  {
    search: Type.Optional(Type.String({ maxLength: 200 })),
    /** A worker's user id, or `none` for the people with no named worker in the team. */
    worker: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Literal('none')])),
    review: Type.Optional(literals(REVIEW_STATUSES)),
    noPlanOnly: Type.Optional(Type.Boolean()),
    /** Only people with a requested standard measure overdue (features/measures). */
    measureOverdueOnly: Type.Optional(Type.Boolean()),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
    /** The UK calendar date reviews and measures are due against (domain/calendar.ts). */
    today: Type.String({ format: 'date' }),
  },
  { additionalProperties: false },
);
export type TeamCaseloadFiltersInput = Static<typeof TeamCaseloadFilters>;
export const TeamCaseloadFiltersContract = contract(TeamCaseloadFilters);

/** A team manager gives a person in the team's care a different named worker from the team. */
export const ReallocateWorker = Type.Object(
  { toUserId: Type.String({ format: 'uuid' }) },
  { additionalProperties: false },
);
export type ReallocateWorkerInput = Static<typeof ReallocateWorker>;
export const ReallocateWorkerContract = contract(ReallocateWorker);

/** Start a carer's own record, about the carer: given only with the carer's consent. */
export const StartCarerRecord = Type.Object(
  {
    givenName: Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' }),
    familyName: Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' }),
    consent: Type.Literal(true),
  },
  { additionalProperties: false },
);
export type StartCarerRecordInput = Static<typeof StartCarerRecord>;
export const StartCarerRecordContract = contract(StartCarerRecord);

/** The caseload's address query (`GET /api/caseload`): the same filters under their URL names. */
export const CaseloadQuery = Type.Object(
  {
    search: Type.Optional(Type.String({ maxLength: 200, description: 'Name or NHS number' })),
    overdue: Type.Optional(Type.Boolean({ description: 'Only people whose review is overdue' })),
    noPlan: Type.Optional(Type.Boolean({ description: 'Only people without a care and support plan' })),
    measureOverdue: Type.Optional(
      Type.Boolean({
        description:
          'Only people with a requested standard measure overdue: an open request past its date, or one due at a review that has passed',
      }),
    ),
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

/** One person in a team's caseload, with their named workers in the team. */
export interface TeamCaseloadEntry extends CaseloadEntry {
  /** The team's practitioners named in the person's care team, by name; empty when none is. */
  workers: string[];
}

/** A worker in the manager's teams and how many people they are named for. */
export interface TeamWorker {
  userId: string;
  name: string;
  jobTitle: string | null;
  people: number;
}

export interface TeamCaseload {
  entries: TeamCaseloadEntry[];
  /** How many people match the filters. */
  total: number;
  page: number;
  pageSize: number;
  /** Everyone in the teams' caseload, whatever the filters. */
  teamTotal: number;
  /** People with no named worker in the team. */
  unallocated: number;
  /** The teams' staff, and anyone else still named for someone in their care, by name. */
  workers: TeamWorker[];
  teams: { teamId: string; name: string }[];
}

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
      'self-management-step',
      'community-referral',
      'community-referral-answer',
      'community-attendance',
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
    selfManagementSteps: Type.Array(SelfManagementStepSchema),
    communityReferrals: Type.Array(CommunityReferralSchema),
    nextReviewDate: nullable(Type.String({ format: 'date' })),
    reviewStatus: ReviewStatusSchema,
    timeline: Type.Array(TimelineMonthSchema),
    lead: Type.Union([LeadTeamSchema, Type.Null()], {
      description: 'The team responsible for the record, and whether it still is',
    }),
    mayChangeLeadTeam: Type.Boolean({ description: 'Whether the reader may choose the team responsible' }),
  },
  { additionalProperties: false },
);
