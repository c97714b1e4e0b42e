import { type Static, type TLiteral, type TSchema, type TUnion, Type } from '@sinclair/typebox';
import { VIEWPOINTS } from '../../domain/ratings.js';
import { MAX_STEP_NOTE, MAX_STEP_WORDS } from '../../domain/self-management.js';
import { PersonParams } from '../../http/schemas.js';
import { contract } from '../../services/contract.js';

/**
 * The self-management feature's use cases, one contract each: setting a step for one of the
 * person's outcomes, and recording how it went (ticked off or not, what helped, what got in the
 * way). Each schema is the API body, the service's input type and what the pages' forms (form.ts)
 * produce; the service checks it before anything else. Rules that need the record or the calendar
 * (an outcome of this person's, a target date from today) stay in the service and name the same
 * fields.
 */

const uuid = () => Type.String({ format: 'uuid' });
const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const oneOf = <T extends string>(values: readonly T[]) =>
  Type.Union(values.map((v) => Type.Literal(v))) as TUnion<TLiteral<T>[]>;
const closed = <P extends Record<string, TSchema>>(properties: P, description?: string) =>
  Type.Object(properties, { additionalProperties: false, ...(description ? { description } : {}) });

/** The path parameters of a route about one of the person's steps, API and pages alike. */
export const StepParams = Type.Object({ ...PersonParams.properties, stepId: uuid() });

const note = (description: string) => Type.Optional(Type.String({ maxLength: MAX_STEP_NOTE, description }));

/** Setting a small step for one of the person's outcomes. */
export const SetStep = closed({
  outcomeId: uuid(),
  words: Type.String({
    minLength: 1,
    maxLength: MAX_STEP_WORDS,
    description: "The step in the person's own words, for example 'Walk to the shop twice this week'",
  }),
  targetDate: Type.Optional(
    nullable(Type.String({ format: 'date', description: 'YYYY-MM-DD: today or later, within a year' })),
  ),
});
export type SetStepInput = Static<typeof SetStep>;
export const SetStepContract = contract(SetStep);

/** How a step went: ticked off (or not yet), with what helped and what got in the way. */
export const RecordStepProgress = closed({
  done: Type.Boolean({ description: 'Ticked off: true; not done (yet): false' }),
  whatHelped: note('What helped, in the words of whoever ticked it'),
  whatGotInTheWay: note('What got in the way'),
});
export type RecordStepProgressInput = Static<typeof RecordStepProgress>;
export const RecordStepProgressContract = contract(RecordStepProgress);

// ——— the answers ———

/** One step as every reader sees it (the answer of the API, the pages' source). */
export const SelfManagementStepSchema = closed(
  {
    stepId: uuid(),
    outcomeId: uuid(),
    words: Type.String(),
    targetDate: nullable(Type.String({ format: 'date' })),
    doneAt: nullable(Type.String({ format: 'date-time' })),
    whatHelped: Type.String(),
    whatGotInTheWay: Type.String(),
    setBy: oneOf(VIEWPOINTS),
    createdBy: nullable(Type.String({ description: 'Who set it, while their account exists' })),
    createdAt: Type.String({ format: 'date-time' }),
    progressBy: nullable(Type.String({ description: 'Who last ticked it or said how it went' })),
    progressAt: nullable(Type.String({ format: 'date-time' })),
  },
  'A small step the person set themselves between reviews',
);
export type SelfManagementStep = Static<typeof SelfManagementStepSchema>;

export const StepSetSchema = closed({ stepId: uuid() });
