import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { ageBand, ageOn } from '../../domain/demographics.js';
import { gasTScore } from '../../domain/gas.js';
import { formatNhsNumber, isValidNhsNumber, normaliseNhsNumber } from '../../domain/nhs-number.js';

/**
 * Published methods, callable from the CLI (`whatmatters calc <method>`) and the API
 * (`POST /api/calc/{method}`) with one definition each: a name, a summary, an input schema and a
 * pure function from the domain.
 */
export interface CalculationMethod<S extends TSchema = TSchema> {
  name: string;
  summary: string;
  input: S;
  run(input: Static<S>): unknown;
}

const define = <S extends TSchema>(method: CalculationMethod<S>) => method as unknown as CalculationMethod;

const isoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'A date, YYYY-MM-DD' });

export const CALCULATION_METHODS: readonly CalculationMethod[] = [
  define({
    name: 'nhs-number',
    summary: 'Check an NHS number with the Modulus 11 algorithm',
    input: Type.Object({ nhsNumber: Type.String({ maxLength: 20 }) }, { additionalProperties: false }),
    run({ nhsNumber }) {
      const normalised = normaliseNhsNumber(nhsNumber);
      const valid = isValidNhsNumber(nhsNumber);
      return { valid, normalised, formatted: valid && normalised ? formatNhsNumber(normalised) : null };
    },
  }),
  define({
    name: 'age',
    summary: 'Age in whole years on a date, and its reporting band',
    input: Type.Object({ dateOfBirth: isoDate, on: isoDate }, { additionalProperties: false }),
    run({ dateOfBirth, on }) {
      const age = ageOn(dateOfBirth, on);
      return { age, band: ageBand(age) };
    },
  }),
  define({
    name: 'gas',
    summary: 'Goal attainment scaling T-score (Kiresuk–Sherman)',
    input: Type.Object(
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
    ),
    run(input) {
      // Length mismatch and all-zero weights are left to the domain, which says what is wrong.
      return { t: gasTScore(input) };
    },
  }),
];

export class CalculationError extends Error {
  override name = 'CalculationError';
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export function findMethod(name: string): CalculationMethod {
  const method = CALCULATION_METHODS.find((m) => m.name === name);
  if (!method) {
    throw new CalculationError(
      `Unknown method "${name}". Methods: ${CALCULATION_METHODS.map((m) => m.name).join(', ')}.`,
    );
  }
  return method;
}

/** Validates the input against the method's schema and runs it; the first problem is reported. */
export function calculate(name: string, input: unknown): unknown {
  const method = findMethod(name);
  const problem = Value.Errors(method.input, input).First();
  if (problem) {
    const field = problem.path.replace(/^\//, '').replaceAll('/', '.') || undefined;
    throw new CalculationError(`${field ? `${field}: ` : ''}${problem.message}`, field);
  }
  try {
    return method.run(input);
  } catch (error) {
    // The domain throws RangeError for values the schema cannot rule out, such as 30 February.
    if (error instanceof RangeError) throw new CalculationError(error.message);
    throw error;
  }
}
