import { type Static, Type } from '@sinclair/typebox';

/**
 * The published methods' inputs and answers: one schema each, the body of `POST /api/calc/{method}`
 * and what `whatmatters calc <method>` checks its stdin against, so both take the same input.
 */

const isoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'A date, YYYY-MM-DD' });

export const NhsNumberCalcInput = Type.Object(
  { nhsNumber: Type.String({ maxLength: 20 }) },
  { additionalProperties: false },
);
export const NhsNumberCalcResult = Type.Object(
  {
    valid: Type.Boolean({ description: 'Ten digits that pass the Modulus 11 check' }),
    normalised: Type.Union([Type.String(), Type.Null()], { description: 'The ten digits, if there are ten' }),
    formatted: Type.Union([Type.String(), Type.Null()], { description: 'As 3 3 4 digits, if valid' }),
  },
  { additionalProperties: false },
);

// A date that the pattern lets through but the calendar does not have (30 February) is the
// domain's to refuse, with a message that says so (422).
export const AgeCalcInput = Type.Object(
  { dateOfBirth: isoDate, on: isoDate },
  { additionalProperties: false },
);
export const AgeCalcResult = Type.Object(
  {
    age: Type.Integer({ description: 'Whole years on the date' }),
    band: Type.String({ description: 'The reporting band, for example 75-84' }),
  },
  { additionalProperties: false },
);

export const GasCalcInput = Type.Object(
  {
    scores: Type.Array(Type.Integer({ minimum: -2, maximum: 2 }), {
      minItems: 1,
      maxItems: 100,
      description: 'The attainment level of each goal, -2 to +2 (0 is the expected outcome)',
    }),
    weights: Type.Optional(
      Type.Array(Type.Number({ minimum: 0 }), {
        maxItems: 100,
        description: 'One weight per goal, in the same order; all 1 if left out',
      }),
    ),
    // Not exclusiveMaximum: the API document is OpenAPI 3.0, where that keyword is a boolean.
    // The domain refuses exactly 1, with a message that names rho.
    rho: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: 1,
        description:
          'Assumed correlation between goal scores, from 0 up to but not including 1; 0.3 if left out',
      }),
    ),
  },
  { additionalProperties: false },
);
export const GasCalcResult = Type.Object(
  { t: Type.Number({ description: 'The T-score: 50 when every goal is met as expected' }) },
  { additionalProperties: false },
);

export type NhsNumberCalc = Static<typeof NhsNumberCalcInput>;
export type AgeCalc = Static<typeof AgeCalcInput>;
export type GasCalc = Static<typeof GasCalcInput>;
