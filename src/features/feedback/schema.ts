import { type Static, Type } from '@sinclair/typebox';
import { MODERATOR_MASK_KINDS } from '../../domain/feedback/masking.js';
import { FIRST_ACTION_NOTE_LIMIT, FIRST_ACTIONS } from '../../domain/feedback/moderation.js';
import {
  FEEDBACK_AGE_BANDS,
  FEEDBACK_CHANNELS,
  FEEDBACK_LIMITS,
  FEEDBACK_WRITERS,
  FFT_ANSWERS,
  SERVICE_KEY_PATTERN,
  STAFF_ENTRY_CHANNELS,
} from '../../domain/feedback/vocabulary.js';
import { contract } from '../../services/contract.js';

/**
 * The contracts of giving feedback: one story (the public form, staff entry and each imported CSV
 * row all keep it), with what each way of giving it adds.
 */

const oneOf = (values: readonly string[], description?: string) =>
  Type.Union(
    values.map((v) => Type.Literal(v)),
    description ? { description } : {},
  );
const story = (description: string) => Type.String({ maxLength: FEEDBACK_LIMITS.text, description });

export const FeedbackStorySchema = Type.Object(
  {
    fft: oneOf(FFT_ANSWERS, 'The Friends and Family Test answer'),
    whatWasGood: story('What was good?'),
    whatCouldBeBetter: story('What could be better?'),
    writer: Type.Union([oneOf(FEEDBACK_WRITERS), Type.Null()], { description: 'Who is writing' }),
    ageBand: Type.Union([oneOf(FEEDBACK_AGE_BANDS), Type.Null()]),
    consentToPublish: Type.Boolean({ description: 'The writer agrees the story may be published' }),
  },
  { additionalProperties: false },
);
export type FeedbackStory = Static<typeof FeedbackStorySchema>;

/** The public form: the story and the one-time token its form was given (stored once however often sent). */
export const PublicFeedbackBody = Type.Composite(
  [FeedbackStorySchema, Type.Object({ submissionToken: Type.String({ format: 'uuid' }) })],
  { additionalProperties: false },
);
export type PublicFeedbackInput = Static<typeof PublicFeedbackBody>;
export const PublicFeedbackContract = contract(PublicFeedbackBody);

/** Staff typing in feedback received on paper or by phone. */
export const StaffFeedbackBody = Type.Composite(
  [
    FeedbackStorySchema,
    Type.Object({
      channel: oneOf(STAFF_ENTRY_CHANNELS, 'How it was received'),
      receivedOn: Type.String({ format: 'date', description: 'The day it was received' }),
    }),
  ],
  { additionalProperties: false },
);
export type StaffFeedbackInput = Static<typeof StaffFeedbackBody>;
export const StaffFeedbackContract = contract(StaffFeedbackBody);

/** One imported row: the story, the day it was received, and its own id in the file's source. */
export const ImportedFeedbackRow = Type.Composite(
  [
    FeedbackStorySchema,
    Type.Object({
      sourceId: Type.String({ minLength: 1, maxLength: FEEDBACK_LIMITS.sourceId }),
      receivedOn: Type.String({ format: 'date' }),
    }),
  ],
  { additionalProperties: false },
);
export type ImportedFeedbackInput = Static<typeof ImportedFeedbackRow>;
export const ImportedFeedbackContract = contract(ImportedFeedbackRow);

export const ServiceKeyParams = Type.Object({
  serviceKey: Type.String({ pattern: SERVICE_KEY_PATTERN }),
});

export const FeedbackSchema = Type.Object(
  {
    feedbackId: Type.String({ format: 'uuid' }),
    serviceKey: Type.String(),
    ...FeedbackStorySchema.properties,
    channel: oneOf(FEEDBACK_CHANNELS),
    receivedOn: Type.String({ format: 'date' }),
    sourceId: Type.Union([Type.String(), Type.Null()]),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
);
export type Feedback = Static<typeof FeedbackSchema>;

export const FeedbackPageSchema = Type.Object(
  {
    items: Type.Array(FeedbackSchema),
    page: Type.Integer({ minimum: 1 }),
    pageCount: Type.Integer({ minimum: 1 }),
    total: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);
export type FeedbackPage = Static<typeof FeedbackPageSchema>;

export const FeedbackListQuery = Type.Object({
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
});

/** A moderator's correction of what was masked in one field of a story. */
export const MaskCorrectionBody = Type.Object(
  {
    field: Type.Union([Type.Literal('whatWasGood'), Type.Literal('whatCouldBeBetter')]),
    change: Type.Union([Type.Literal('unmask'), Type.Literal('mask')], {
      description: 'unmask: the span at `index` was not personal; mask: mask every occurrence of `words`',
    }),
    index: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
    words: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    kind: Type.Optional(oneOf(MODERATOR_MASK_KINDS)),
  },
  { additionalProperties: false },
);
export type MaskCorrectionInput = Static<typeof MaskCorrectionBody>;
export const MaskCorrectionContract = contract(MaskCorrectionBody);

/** A moderator's criticality for a story, 0–5 (domain/feedback/moderation.ts). */
export const CriticalityBody = Type.Object(
  { level: Type.Integer({ minimum: 0, maximum: 5 }) },
  { additionalProperties: false },
);
export const CriticalityContract = contract(CriticalityBody);

/** The first action on a flagged story: it stops the clock. */
export const FirstActionBody = Type.Object(
  {
    action: oneOf(FIRST_ACTIONS),
    note: Type.String({ minLength: 1, maxLength: FIRST_ACTION_NOTE_LIMIT }),
  },
  { additionalProperties: false },
);
export type FirstActionInput = Static<typeof FirstActionBody>;
export const FirstActionContract = contract(FirstActionBody);

/** The service's named safeguarding contact (null: none named). */
export const SafeguardingContactBody = Type.Object(
  { userId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]) },
  { additionalProperties: false },
);
export const SafeguardingContactContract = contract(SafeguardingContactBody);
