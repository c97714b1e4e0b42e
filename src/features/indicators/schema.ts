import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { BREAKDOWNS } from '../../domain/indicators/breakdowns.js';
import {
  IMPROVEMENTS,
  IndicatorDefinitionSchema,
  IndicatorFiltersSchema,
  PERIODICITIES,
} from '../../domain/indicators/definition.js';
import { SOURCE_KEYS, SOURCE_KINDS } from '../../domain/indicators/sources.js';
import { contract } from '../../services/contract.js';

/**
 * The indicators feature's contracts: defining an indicator (the domain's IndicatorDefinition is
 * the API body, the service's input and what the form maps onto), asking for its values, and the
 * answers. Every count in an answer is already disclosure-controlled: no raw count leaves the service.
 */

const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));

export const DefineIndicatorBody = IndicatorDefinitionSchema;
export type DefineIndicatorInput = Static<typeof DefineIndicatorBody>;
export const DefineIndicatorContract = contract(DefineIndicatorBody);

/** A month, YYYY-MM: periods of indicators are whole months (the rollup's grain). */
export const Month = Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$', description: 'A month, YYYY-MM' });

export const IndicatorKeyParams = Type.Object({
  key: Type.String({ minLength: 1, maxLength: 60, pattern: '^[a-z0-9]+(?:-[a-z0-9]+)*$' }),
});

/** Which values of an indicator: a breakdown (none: the total) over a range of whole months. */
export const ValuesQuery = Type.Object(
  {
    breakdown: Type.Optional(literals(BREAKDOWNS)),
    from: Type.Optional(Month),
    to: Type.Optional(Month),
  },
  { additionalProperties: false },
);
export type ValuesQueryInput = Static<typeof ValuesQuery>;

// ——— answers ———

export const IndicatorSchema = Type.Object(
  {
    key: Type.String(),
    version: Type.Integer(),
    name: Type.String(),
    description: Type.String(),
    source: literals(SOURCE_KEYS),
    sourceLabel: Type.String(),
    kind: literals(SOURCE_KINDS),
    unit: Type.String(),
    filters: IndicatorFiltersSchema,
    improvement: literals(IMPROVEMENTS),
    target: nullable(Type.Number()),
    breakdowns: Type.Array(literals(BREAKDOWNS)),
    periodicity: literals(PERIODICITIES),
    library: Type.Boolean({ description: 'Shipped with WhatMatters rather than defined here' }),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
);
export type Indicator = Static<typeof IndicatorSchema>;

export const ShownSchema = Type.Object(
  {
    numerator: Type.String({
      description: 'As shown: "0", "*" (suppressed), a count rounded to 5; "" when not a proportion',
    }),
    denominator: Type.String(),
    value: Type.String({
      description: 'As shown, with its unit; "*" when suppressed, "" when there is nothing to show',
    }),
  },
  { additionalProperties: false },
);

export const IndicatorValueRowSchema = Type.Object(
  {
    key: Type.String({
      description:
        'The breakdown value (an id, a code, a month YYYY-MM or quarter YYYY-Qn); "" for the total',
    }),
    label: Type.String(),
    numerator: nullable(
      Type.Number({ description: 'Disclosed: rounded, or null when suppressed or not a proportion' }),
    ),
    denominator: nullable(Type.Number({ description: 'Disclosed: rounded, or null when suppressed' })),
    value: nullable(Type.Number({ description: 'From the disclosed parts; null when suppressed or empty' })),
    shown: ShownSchema,
  },
  { additionalProperties: false },
);
export type IndicatorValueRow = Static<typeof IndicatorValueRowSchema>;

export const IndicatorValuesSchema = Type.Object(
  {
    indicator: IndicatorSchema,
    breakdown: nullable(literals(BREAKDOWNS)),
    from: Month,
    to: Month,
    rows: Type.Array(IndicatorValueRowSchema),
    total: IndicatorValueRowSchema,
  },
  { additionalProperties: false },
);
export type IndicatorValues = Static<typeof IndicatorValuesSchema>;
