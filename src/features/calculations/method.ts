import type { Static, TSchema } from '@sinclair/typebox';

/**
 * One published method, callable from the CLI (`whatmatters calc <method>`) and the API
 * (`POST /api/calc/{method}`) with one definition: a name, a summary, the input and answer
 * schemas, and a pure function from the domain. Each method lives in its own module and is listed
 * once in `service.ts`.
 */
export interface CalculationMethod<S extends TSchema = TSchema, R extends TSchema = TSchema> {
  name: string;
  summary: string;
  input: S;
  output: R;
  run(input: Static<S>): Static<R>;
}

export const defineCalculation = <S extends TSchema, R extends TSchema>(method: CalculationMethod<S, R>) =>
  method as unknown as CalculationMethod;
