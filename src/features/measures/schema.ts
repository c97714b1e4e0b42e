import { type Static, type TLiteral, type TSchema, type TUnion, Type } from '@sinclair/typebox';
import {
  COMPLETED_BY,
  MEASURE_DUE_STATUSES,
  MEASURE_OCCASIONS,
  MEASURE_REQUEST_STATUSES,
} from '../../domain/measures/measure-requests.js';
import { INSTRUMENT_KEYS } from '../../domain/measures/types.js';
import { PersonParams } from '../../http/schemas.js';
import { contract } from '../../services/contract.js';

/**
 * The measures feature's use cases, one contract each: recording a completed measure (with the
 * person, or by the person in their own view), asking for one (sent to the person, or due at a
 * time), scheduling measures on the plan, and recording that support is ending. Each is the API
 * body, the service's input type and what the pages' forms produce; the service checks it first.
 * Rules that need the questionnaire (which answers it takes) stay in the service and name the
 * same paths (`answers.3`, `response.item`).
 */

const uuid = () => Type.String({ format: 'uuid' });
const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const isoDate = (description = 'YYYY-MM-DD') => Type.String({ format: 'date', description });
const oneOf = <T extends string>(values: readonly T[]) =>
  Type.Union(values.map((v) => Type.Literal(v))) as TUnion<TLiteral<T>[]>;
const closed = <P extends Record<string, TSchema>>(properties: P, description?: string) =>
  Type.Object(properties, { additionalProperties: false, ...(description ? { description } : {}) });

export const Instrument = oneOf(INSTRUMENT_KEYS);

/** Which measure: a built-in instrument by key, or any questionnaire in the library by id. */
const which = {
  instrument: Type.Optional({
    ...Instrument,
    description: 'A built-in instrument (or give questionnaireId)',
  }),
  questionnaireId: Type.Optional(uuid()),
};

/** A FHIR R4 QuestionnaireResponse, as far as the service reads one; the rest is kept as sent. */
const ResponseAnswer = Type.Object(
  {
    valueBoolean: Type.Optional(Type.Boolean()),
    valueDecimal: Type.Optional(Type.Number()),
    valueInteger: Type.Optional(Type.Integer()),
    valueDate: Type.Optional(Type.String({ maxLength: 30 })),
    valueDateTime: Type.Optional(Type.String({ maxLength: 40 })),
    valueString: Type.Optional(Type.String({ maxLength: 4000 })),
    valueCoding: Type.Optional(
      Type.Object({
        system: Type.Optional(Type.String({ maxLength: 500 })),
        code: Type.Optional(Type.String({ maxLength: 200 })),
        display: Type.Optional(Type.String({ maxLength: 500 })),
      }),
    ),
  },
  { additionalProperties: true },
);
const ResponseItem = Type.Recursive((self) =>
  Type.Object(
    {
      linkId: Type.String({ minLength: 1, maxLength: 200 }),
      text: Type.Optional(Type.String({ maxLength: 4000 })),
      answer: Type.Optional(Type.Array(ResponseAnswer, { maxItems: 100 })),
      item: Type.Optional(Type.Array(self, { maxItems: 500 })),
    },
    { additionalProperties: true },
  ),
);
export const QuestionnaireResponseBody = Type.Object(
  {
    resourceType: Type.Literal('QuestionnaireResponse'),
    questionnaire: Type.Optional(Type.String({ maxLength: 1000 })),
    status: Type.Literal('completed', { description: 'Only a completed response is recorded' }),
    authored: Type.Optional(Type.String({ maxLength: 40 })),
    item: Type.Optional(Type.Array(ResponseItem, { maxItems: 500 })),
  },
  { additionalProperties: true, description: 'A FHIR R4 QuestionnaireResponse' },
);

/** A completed measure: the answers in the instrument's order, or a whole QuestionnaireResponse. */
export const RecordMeasure = closed({
  ...which,
  answers: Type.Optional(
    Type.Array(Type.Integer(), {
      maxItems: 50,
      description:
        "A built-in instrument's answers as scores, in its order (PHQ-9: nine 0–3, and optionally the difficulty item)",
    }),
  ),
  response: Type.Optional(QuestionnaireResponseBody),
  authoredOn: Type.Optional(isoDate('The day it was completed (UK date); today if not given')),
  requestId: Type.Optional({
    ...uuid(),
    description: 'The request it completes; otherwise the open request due first',
  }),
  conversationId: Type.Optional({ ...uuid(), description: 'The conversation it was completed in' }),
});
export type RecordMeasureInput = Static<typeof RecordMeasure>;
export const RecordMeasureContract = contract(RecordMeasure);

/** Asking for a measure: sent to the person to fill in in their own view, or to do with them. */
export const RequestMeasure = closed({
  ...which,
  dueOn: Type.Optional(isoDate('When it is due; today if not given')),
  sendToPerson: Type.Optional(
    Type.Boolean({ description: 'Show it in the person’s own view to fill in (default true)' }),
  ),
});
export type RequestMeasureInput = Static<typeof RequestMeasure>;
export const RequestMeasureContract = contract(RequestMeasure);

/** Measuring on the plan: at the start, each review and the end (at least one). */
export const ScheduleMeasure = closed({
  ...which,
  atStart: Type.Boolean(),
  atReview: Type.Boolean(),
  atEnd: Type.Boolean(),
  sendToPerson: Type.Optional(
    Type.Boolean({ description: 'Send each request to the person to fill in themselves (default false)' }),
  ),
});
export type ScheduleMeasureInput = Static<typeof ScheduleMeasure>;
export const ScheduleMeasureContract = contract(ScheduleMeasure);

/** Support is ending: the end measures fall due. */
export const EndOfSupport = closed({
  endOn: Type.Optional(isoDate('The day support ends; today if not given')),
});
export type EndOfSupportInput = Static<typeof EndOfSupport>;
export const EndOfSupportContract = contract(EndOfSupport);

// ——— path parameters ———

export const ScheduleParams = Type.Object({ ...PersonParams.properties, scheduleId: uuid() });
export const RequestParams = Type.Object({ ...PersonParams.properties, requestId: uuid() });
export const MeasurePageParams = Type.Object({ ...PersonParams.properties, questionnaireId: uuid() });

// ——— answers ———

export const MeasureRecordedSchema = closed({
  responseId: uuid(),
  requestId: nullable(uuid()),
  scores: Type.Array(
    closed({
      key: Type.String(),
      label: Type.String(),
      value: Type.Number(),
      band: nullable(Type.String()),
      bandLabel: nullable(Type.String()),
    }),
  ),
});

export const MeasureRequestSchema = closed(
  {
    requestId: uuid(),
    questionnaireId: uuid(),
    title: Type.String(),
    instrument: nullable(Instrument),
    scheduleId: nullable(uuid()),
    occasion: oneOf(MEASURE_OCCASIONS),
    dueOn: nullable(isoDate('Its own due date; null for a review request, which follows the next review')),
    effectiveDueOn: nullable(isoDate('When it falls due: its own date, or the next review')),
    dueStatus: oneOf(MEASURE_DUE_STATUSES),
    sentToPerson: Type.Boolean(),
    status: oneOf(MEASURE_REQUEST_STATUSES),
    responseId: nullable(uuid()),
    createdAt: Type.String({ format: 'date-time' }),
  },
  'A request to fill in a measure',
);

export const MeasureScheduleSchema = closed(
  {
    scheduleId: uuid(),
    questionnaireId: uuid(),
    title: Type.String(),
    instrument: nullable(Instrument),
    atStart: Type.Boolean(),
    atReview: Type.Boolean(),
    atEnd: Type.Boolean(),
    createdAt: Type.String({ format: 'date-time' }),
  },
  'A measure scheduled on the plan',
);

const ScorePointSchema = closed({
  responseId: uuid(),
  observedOn: isoDate(),
  value: Type.Number(),
  band: nullable(Type.String()),
  bandLabel: nullable(Type.String()),
  completedBy: oneOf(COMPLETED_BY),
  recordedBy: Type.String({ description: 'Who recorded it' }),
});

const ScoreSeriesSchema = closed({
  key: Type.String(),
  label: Type.String(),
  points: Type.Array(ScorePointSchema),
  change: nullable(
    closed(
      { category: Type.String(), label: Type.String(), from: Type.Number(), to: Type.Number() },
      'The change between the first and the latest score, by the instrument’s reliable-change rule',
    ),
  ),
});

export const PersonMeasureSchema = closed({
  questionnaireId: uuid(),
  title: Type.String(),
  instrument: nullable(Instrument),
  series: Type.Array(ScoreSeriesSchema),
});

export const PersonMeasuresSchema = closed(
  {
    measures: Type.Array(PersonMeasureSchema),
    requests: Type.Array(MeasureRequestSchema),
    schedules: Type.Array(MeasureScheduleSchema),
  },
  'The person’s measures: scores over time, open requests and schedules',
);

export const RequestCreatedSchema = closed({ requestId: uuid() });
export const ScheduleCreatedSchema = closed({ scheduleId: uuid(), requestIds: Type.Array(uuid()) });
export const EndOfSupportRecordedSchema = closed({ requestIds: Type.Array(uuid()) });
