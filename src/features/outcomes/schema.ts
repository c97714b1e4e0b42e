import { type Static, type TLiteral, type TSchema, type TUnion, Type } from '@sinclair/typebox';
import { CONVERSATION_KINDS, OUTCOME_STATUSES, PARTICIPANT_KINDS } from '../../domain/conversations.js';
import { VIEWPOINTS } from '../../domain/ratings.js';
import { PersonParams } from '../../http/schemas.js';
import { contract } from '../../services/contract.js';

/**
 * The outcomes feature's use cases, one contract each: recording a good conversation, adding what
 * matters, rating it. Each schema is the API body, the service's input type and what the pages'
 * form mappings (form.ts, ../my/form.ts) produce; the services check it before anything else.
 * Rules that need the database (a date not in the future, a domain in the current framework, a
 * score on the framework's own scale) stay in the services, which name the same paths.
 */

const uuid = () => Type.String({ format: 'uuid' });
const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const isoDate = () => Type.String({ format: 'date', description: 'YYYY-MM-DD' });
const oneOf = <T extends string>(values: readonly T[]) =>
  Type.Union(values.map((v) => Type.Literal(v))) as TUnion<TLiteral<T>[]>;

/** The path parameters of a route about one of the person's outcomes, API and pages alike. */
export const OutcomeParams = Type.Object({ ...PersonParams.properties, outcomeId: uuid() });

/** The longest a statement in the person's own words, a why, or a note may be. */
export const MAX_OWN_WORDS = 2000;

/** Scores run 1 to at most 10; each framework's scale says how far (Talking Points: 1–4). */
const Score = Type.Integer({
  minimum: 1,
  maximum: 10,
  description: "On the framework's scale (default 1–4)",
});
const Importance = Type.Integer({ minimum: 1, maximum: 10 });

const Rating = Type.Object(
  {
    viewpoint: oneOf(VIEWPOINTS),
    score: Score,
    note: Type.Optional(Type.String({ maxLength: MAX_OWN_WORDS })),
  },
  { additionalProperties: false },
);

const GasLevelText = (description?: string) =>
  Type.String({ minLength: 1, maxLength: 500, ...(description ? { description } : {}) });

const GasGoal = Type.Object(
  {
    levels: Type.Object(
      {
        '-2': GasLevelText(),
        '-1': GasLevelText(),
        '0': GasLevelText('The expected outcome'),
        '1': GasLevelText(),
        '2': GasLevelText(),
      },
      { additionalProperties: false },
    ),
    baselineLevel: Type.Integer({ minimum: -2, maximum: -1 }),
    importance: Type.Optional(nullable(Type.Integer({ minimum: 0, maximum: 3 }))),
    difficulty: Type.Optional(nullable(Type.Integer({ minimum: 0, maximum: 3 }))),
    weight: Type.Optional(
      nullable(
        Type.Number({
          // Above 0 (gasWeightProblem): OpenAPI 3.0 and JSON Schema spell exclusiveMinimum differently.
          minimum: 0,
          maximum: 100,
          description: 'Above 0. When absent: importance × difficulty, else 1',
        }),
      ),
    ),
  },
  { additionalProperties: false },
);

const Participant = Type.Object(
  {
    kind: oneOf(PARTICIPANT_KINDS),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    userId: Type.Optional(nullable(uuid())),
    organisationId: Type.Optional(nullable(uuid())),
    role: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

const NewOutcome = Type.Object(
  {
    statement: Type.String({
      minLength: 1,
      maxLength: MAX_OWN_WORDS,
      description: "In the person's own words",
    }),
    whyItMatters: Type.Optional(Type.String({ maxLength: MAX_OWN_WORDS })),
    domainIds: Type.Array(uuid(), { maxItems: 10 }),
    importance: Type.Optional(nullable(Importance)),
    ratings: Type.Optional(Type.Array(Rating, { maxItems: 3 })),
    gas: Type.Optional(nullable(GasGoal)),
  },
  { additionalProperties: false },
);

export const RecordConversation = Type.Object(
  {
    kind: oneOf(CONVERSATION_KINDS),
    heldOn: isoDate(),
    summary: Type.String({ maxLength: 5000 }),
    whatHelped: Type.Optional(Type.String({ maxLength: 5000 })),
    whatGotInTheWay: Type.Optional(Type.String({ maxLength: 5000 })),
    nextReviewDate: Type.Optional(nullable(isoDate())),
    participants: Type.Array(Participant, { minItems: 1, maxItems: 20 }),
    newOutcomes: Type.Optional(Type.Array(NewOutcome, { maxItems: 20 })),
    /** Ratings of outcomes the person already has. */
    ratings: Type.Optional(
      Type.Array(
        Type.Composite([Rating, Type.Object({ outcomeId: uuid() })], { additionalProperties: false }),
        {
          maxItems: 60,
        },
      ),
    ),
    gasGoals: Type.Optional(
      Type.Array(
        Type.Composite([GasGoal, Type.Object({ outcomeId: uuid() })], { additionalProperties: false }),
        {
          maxItems: 20,
        },
      ),
    ),
    gasAttainments: Type.Optional(
      Type.Array(
        Type.Object(
          { outcomeId: uuid(), level: Type.Integer({ minimum: -2, maximum: 2 }) },
          { additionalProperties: false },
        ),
        { maxItems: 20 },
      ),
    ),
    outcomeStatuses: Type.Optional(
      Type.Array(
        Type.Object({ outcomeId: uuid(), status: oneOf(OUTCOME_STATUSES) }, { additionalProperties: false }),
        { maxItems: 20 },
      ),
    ),
  },
  { additionalProperties: false },
);
export type RecordConversationInput = Static<typeof RecordConversation>;
export type NewOutcomeInput = Static<typeof NewOutcome>;
export type GasGoalInput = Static<typeof GasGoal>;
export type RatingInput = Static<typeof Rating>;
export type ParticipantInput = Static<typeof Participant>;
export const RecordConversationContract = contract(RecordConversation);

/** Someone adds what matters to them, from their own viewpoint. */
export const AddOutcome = Type.Object(
  {
    statement: Type.String({ minLength: 1, maxLength: MAX_OWN_WORDS }),
    whyItMatters: Type.Optional(Type.String({ maxLength: MAX_OWN_WORDS })),
    domainIds: Type.Optional(Type.Array(uuid(), { maxItems: 10 })),
    importance: Type.Optional(nullable(Importance)),
    score: Type.Optional(nullable(Score)),
  },
  { additionalProperties: false },
);
export type AddOutcomeInput = Static<typeof AddOutcome>;
export const AddOutcomeContract = contract(AddOutcome);

/** A rating of how far an outcome is achieved, from the rater's own viewpoint. */
export const RateOutcome = Type.Object(
  {
    score: Score,
    note: Type.Optional(Type.String({ maxLength: MAX_OWN_WORDS })),
  },
  { additionalProperties: false },
);
export type RateOutcomeInput = Static<typeof RateOutcome>;
export const RateOutcomeContract = contract(RateOutcome);

// What the API answers: closed, so clients (and the FHIR and CSV mappings to come) can rely on them.

export const RecordedConversationSchema = Type.Object(
  { conversationId: uuid(), outcomeIds: Type.Array(uuid()) },
  { additionalProperties: false },
);
export type RecordedConversation = Static<typeof RecordedConversationSchema>;

export const OutcomeAddedSchema = Type.Object({ outcomeId: uuid() }, { additionalProperties: false });
export const RatingAddedSchema = Type.Object({ ratingId: uuid() }, { additionalProperties: false });

const OutcomeRatingSchema = Type.Object(
  {
    ratingId: uuid(),
    viewpoint: oneOf(VIEWPOINTS),
    score: Type.Integer(),
    ratedAt: Type.String({ format: 'date-time' }),
    note: Type.String(),
    ratedBy: Type.String(),
    conversationId: nullable(uuid()),
  },
  { additionalProperties: false },
);

const GasLevelValue = Type.Integer({ minimum: -2, maximum: 2 });

export const PersonalOutcomeSchema = Type.Object(
  {
    outcomeId: uuid(),
    statement: Type.String(),
    whyItMatters: Type.String(),
    importance: nullable(Type.Integer()),
    status: oneOf(OUTCOME_STATUSES),
    addedBy: oneOf(VIEWPOINTS),
    createdAt: Type.String({ format: 'date-time' }),
    framework: Type.Object(
      {
        frameworkId: uuid(),
        name: Type.String(),
        version: Type.Integer(),
        ratingLabels: Type.Array(Type.String()),
      },
      { additionalProperties: false },
    ),
    domains: Type.Array(
      Type.Object(
        { domainId: uuid(), name: Type.String(), category: Type.String() },
        { additionalProperties: false },
      ),
    ),
    ratings: Type.Array(OutcomeRatingSchema),
    latest: Type.Object(
      {
        person: Type.Optional(OutcomeRatingSchema),
        practitioner: Type.Optional(OutcomeRatingSchema),
        carer: Type.Optional(OutcomeRatingSchema),
      },
      { additionalProperties: false, description: "Each viewpoint's latest rating; never averaged" },
    ),
    disagreement: Type.Object(
      { spread: Type.Integer(), viewpoints: Type.Array(oneOf(VIEWPOINTS)), disagree: Type.Boolean() },
      { additionalProperties: false },
    ),
    distance: Type.Array(
      Type.Object(
        {
          viewpoint: oneOf(VIEWPOINTS),
          first: OutcomeRatingSchema,
          latest: OutcomeRatingSchema,
          change: Type.Integer(),
          ratings: Type.Integer(),
        },
        { additionalProperties: false },
      ),
    ),
    gas: nullable(
      Type.Object(
        {
          goalId: uuid(),
          levels: Type.Object(
            {
              '-2': Type.String(),
              '-1': Type.String(),
              '0': Type.String(),
              '1': Type.String(),
              '2': Type.String(),
            },
            { additionalProperties: false },
          ),
          baselineLevel: GasLevelValue,
          importance: nullable(Type.Integer()),
          difficulty: nullable(Type.Integer()),
          weight: Type.Number(),
          attainments: Type.Array(
            Type.Object(
              {
                level: GasLevelValue,
                recordedAt: Type.String({ format: 'date-time' }),
                conversationId: nullable(uuid()),
              },
              { additionalProperties: false },
            ),
          ),
          currentLevel: GasLevelValue,
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

/** The T-score at one review, for a person's record (GET /api/people/{id} declares it from here). */
export const GasReviewScoreSchema = Type.Object(
  { conversationId: uuid(), heldOn: isoDate(), t: Type.Number(), goals: Type.Integer() },
  { additionalProperties: false },
);
export const GasGoalContract = contract(GasGoal);
