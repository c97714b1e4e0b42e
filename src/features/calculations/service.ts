import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { ageBand, ageOn } from '../../domain/demographics.js';
import { gasTScore } from '../../domain/gas.js';
import { formatNhsNumber, isValidNhsNumber, normaliseNhsNumber } from '../../domain/nhs-number.js';
import { deidentifyMethod } from './deidentify-method.js';
import { funnelMethod } from './funnel-method.js';
import { type CalculationMethod, defineCalculation as define } from './method.js';
import {
  AgeCalcInput,
  AgeCalcResult,
  GasCalcInput,
  GasCalcResult,
  NhsNumberCalcInput,
  NhsNumberCalcResult,
} from './schema.js';
import { scoreMethod } from './score-method.js';
import { spcMethod } from './spc-method.js';
import { suppressMethod } from './suppress-method.js';

export type { CalculationMethod } from './method.js';

export const CALCULATION_METHODS: readonly CalculationMethod[] = [
  define({
    name: 'nhs-number',
    summary: 'Check an NHS number with the Modulus 11 algorithm',
    input: NhsNumberCalcInput,
    output: NhsNumberCalcResult,
    run({ nhsNumber }) {
      const normalised = normaliseNhsNumber(nhsNumber);
      const valid = isValidNhsNumber(nhsNumber);
      return { valid, normalised, formatted: valid && normalised ? formatNhsNumber(normalised) : null };
    },
  }),
  define({
    name: 'age',
    summary: 'Age in whole years on a date, and its reporting band',
    input: AgeCalcInput,
    output: AgeCalcResult,
    run({ dateOfBirth, on }) {
      const age = ageOn(dateOfBirth, on);
      return { age, band: ageBand(age) };
    },
  }),
  define({
    name: 'gas',
    summary: 'Goal attainment scaling T-score (Kiresuk–Sherman)',
    input: GasCalcInput,
    output: GasCalcResult,
    run(input) {
      // Length mismatch and all-zero weights are left to the domain, which says what is wrong.
      return { t: gasTScore(input) };
    },
  }),
  spcMethod,
  funnelMethod,
  suppressMethod,
  deidentifyMethod,
  scoreMethod,
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

/**
 * Validates the input against the method's schema and runs it; the first problem is reported as
 * "field: what is wrong", one line, as the CLI prints it (the API's own validation of the same
 * schema answers first there, naming every field).
 */
/** A choice of words ("increase" | "decrease") is named in full rather than as "Expected union value". */
function describeProblem(schema: TSchema, message: string): string {
  const choices = (schema.anyOf as TSchema[] | undefined)?.map((option) => option.const);
  if (choices && choices.length > 0 && choices.every((c) => typeof c === 'string')) {
    return `must be one of ${choices.map((c) => `"${c}"`).join(', ')}`;
  }
  return message;
}

export function calculate(name: string, input: unknown): unknown {
  const method = findMethod(name);
  const problem = Value.Errors(method.input, input).First();
  if (problem) {
    const field = problem.path.replace(/^\//, '').replaceAll('/', '.') || undefined;
    throw new CalculationError(
      `${field ? `${field}: ` : ''}${describeProblem(problem.schema, problem.message)}`,
      field,
    );
  }
  try {
    return method.run(input);
  } catch (error) {
    // The domain throws RangeError for values the schema cannot rule out, such as 30 February.
    if (error instanceof RangeError) throw new CalculationError(error.message);
    throw error;
  }
}
