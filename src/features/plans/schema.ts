import { type Static, Type } from '@sinclair/typebox';
import { CarePlanContentSchema } from '../../domain/care-plan.js';
import { contract } from '../../services/contract.js';

/**
 * The care and support plan's use cases as contracts: what saving a version and commenting take
 * (the API bodies, the service inputs and what the edit and comment forms map onto), and what the
 * API answers with. The plan's content itself is the PRSB contract in `domain/care-plan.ts`.
 */

/** The largest version number the database holds (a PostgreSQL integer): beyond it nothing is found. */
const MAX_VERSION = 2_147_483_647;

/** A saved version's number, 1 upwards. */
export const VersionNumber = Type.Integer({ minimum: 1, maximum: MAX_VERSION });

/** The address of one version of one person's plan. */
export const VersionParams = Type.Object({
  personId: Type.String({ format: 'uuid' }),
  version: VersionNumber,
});

/** Two versions to compare; the pages compare the latest two when they are left out. */
export const CompareQuery = Type.Object(
  { from: VersionNumber, to: VersionNumber },
  { additionalProperties: false },
);

export const SavePlanVersion = Type.Object(
  {
    content: CarePlanContentSchema,
    /** The version the editor started from, 0 for a first plan: a save from an older one is refused (409). */
    basedOn: Type.Integer({ minimum: 0, maximum: MAX_VERSION }),
    changeSummary: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);
export type SavePlanVersionInput = Static<typeof SavePlanVersion>;
export const SavePlanVersionContract = contract(SavePlanVersion);

export const CommentOnPlan = Type.Object(
  {
    version: VersionNumber,
    /** Words, not only spaces: the comment is kept trimmed. */
    body: Type.String({ minLength: 1, maxLength: 4000, pattern: '\\S' }),
  },
  { additionalProperties: false },
);
export type CommentOnPlanInput = Static<typeof CommentOnPlan>;
export const CommentOnPlanContract = contract(CommentOnPlan);

// The answers. Times are ISO 8601 strings in JSON; a planned review date is a calendar date.

export const PlanVersionSummarySchema = Type.Object(
  {
    version: VersionNumber,
    createdAt: Type.String({ format: 'date-time' }),
    /** The display name of whoever saved it. */
    createdBy: Type.String(),
    changeSummary: Type.String(),
    plannedReviewDate: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
  },
  { additionalProperties: false },
);
export type PlanVersionSummary = Static<typeof PlanVersionSummarySchema>;

export const PlanVersionSchema = Type.Composite(
  [PlanVersionSummarySchema, Type.Object({ content: CarePlanContentSchema })],
  { additionalProperties: false },
);
export type PlanVersion = Static<typeof PlanVersionSchema>;

export const PlanCommentSchema = Type.Object(
  {
    commentId: Type.String({ format: 'uuid' }),
    version: VersionNumber,
    body: Type.String(),
    author: Type.String(),
    /** Whose point of view: the person, a carer or a practitioner. */
    viewpoint: Type.String(),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
);
export type PlanComment = Static<typeof PlanCommentSchema>;

export const PlanViewSchema = Type.Object(
  {
    /** Null when no plan has been agreed yet. */
    current: Type.Union([PlanVersionSchema, Type.Null()]),
    /** Every version, newest first. */
    versions: Type.Array(PlanVersionSummarySchema),
    /** Every comment, newest first. */
    comments: Type.Array(PlanCommentSchema),
  },
  { additionalProperties: false },
);
export type PlanView = Static<typeof PlanViewSchema>;

export const PlanChangeSchema = Type.Object(
  {
    path: Type.String(),
    label: Type.String(),
    kind: Type.Union([Type.Literal('added'), Type.Literal('removed'), Type.Literal('changed')]),
    before: Type.Union([Type.String(), Type.Null()]),
    after: Type.Union([Type.String(), Type.Null()]),
  },
  { additionalProperties: false },
);

export const PlanComparisonSchema = Type.Object(
  { from: PlanVersionSchema, to: PlanVersionSchema, changes: Type.Array(PlanChangeSchema) },
  { additionalProperties: false },
);
export type PlanComparison = Static<typeof PlanComparisonSchema>;

export const CommentAddedSchema = Type.Object(
  { commentId: Type.String({ format: 'uuid' }) },
  { additionalProperties: false },
);
