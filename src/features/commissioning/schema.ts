import { type Static, Type } from '@sinclair/typebox';
import {
  MAX_I_STATEMENTS_PER_OUTCOME,
  MAX_INVOLVEMENTS,
  MAX_OUTCOMES,
} from '../../domain/commissioning/framework.js';
import { STAKEHOLDER_GROUPS } from '../../domain/commissioning/stakeholders.js';
import { contract } from '../../services/contract.js';

/**
 * The contract of publishing a commissioning outcomes framework (a new one, or a new version of
 * one): the API body, the service's input and what the commissioner's form maps onto. The rules
 * across fields and against what exists (domains, indicators, dates) are the domain's
 * `commissioningFrameworkProblems`, applied by the service after this.
 */

const Code = Type.String({ minLength: 1, maxLength: 60, pattern: '^[a-z0-9]+(?:-[a-z0-9]+)*$' });
const Key = Type.String({
  minLength: 1,
  maxLength: 60,
  pattern: '^[a-z0-9]+(?:-[a-z0-9]+)*$',
  description: 'Lower-case words joined by hyphens; every version of a framework keeps its key',
});

export const StakeholderGroupSchema = Type.Union(
  STAKEHOLDER_GROUPS.map((g) => Type.Literal(g)),
  { description: 'Who shaped the version' },
);

const IsoDate = Type.String({ format: 'date', description: 'YYYY-MM-DD' });

export const PublishFrameworkBody = Type.Object(
  {
    key: Key,
    basedOnVersion: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], {
      description:
        'The version this one was edited from (the current one), or null for a new framework. ' +
        'If another version was published meanwhile, the request is refused with 409.',
    }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.String({ maxLength: 2000 }),
    outcomesFrameworkKey: Type.String({
      minLength: 1,
      maxLength: 60,
      description: 'The personal outcomes framework whose domains the I statements are mapped to',
    }),
    changeSummary: Type.String({ maxLength: 500, description: 'What this version changes' }),
    outcomes: Type.Array(
      Type.Object(
        {
          code: Type.Optional(Code),
          statement: Type.String({ minLength: 1, maxLength: 500 }),
          iStatements: Type.Array(
            Type.Object(
              {
                code: Type.Optional(Code),
                text: Type.String({ minLength: 1, maxLength: 500 }),
                domainCodes: Type.Array(Type.String({ maxLength: 60 }), { maxItems: 30 }),
                indicatorKeys: Type.Array(Type.String({ maxLength: 80 }), { maxItems: 30 }),
              },
              { additionalProperties: false },
            ),
            { maxItems: MAX_I_STATEMENTS_PER_OUTCOME },
          ),
        },
        { additionalProperties: false },
      ),
      { maxItems: MAX_OUTCOMES },
    ),
    shapedBy: Type.Array(
      Type.Object(
        {
          group: StakeholderGroupSchema,
          how: Type.String({ minLength: 1, maxLength: 1000 }),
          on: IsoDate,
        },
        { additionalProperties: false },
      ),
      { maxItems: MAX_INVOLVEMENTS },
    ),
  },
  { additionalProperties: false },
);
export type PublishFrameworkInput = Static<typeof PublishFrameworkBody>;
export const PublishFrameworkContract = contract(PublishFrameworkBody);

// ——— answers ———

const Named = Type.Object({ code: Type.String(), name: Type.String() }, { additionalProperties: false });

export const IndicatorRefSchema = Type.Object(
  {
    key: Type.String(),
    name: Type.String({ description: 'The indicator’s name in the library; its key when not there' }),
    improvement: Type.Union([
      Type.Literal('increase'),
      Type.Literal('decrease'),
      Type.Literal('neutral'),
      Type.Null(),
    ]),
    inLibrary: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type IndicatorRef = Static<typeof IndicatorRefSchema>;

const Publisher = Type.Object(
  { userId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]), name: Type.String() },
  { additionalProperties: false, description: 'Who published the version (no user for shipped data)' },
);

export const FrameworkVersionSchema = Type.Object(
  {
    frameworkId: Type.String({ format: 'uuid' }),
    version: Type.Integer(),
    current: Type.Boolean(),
    publishedAt: Type.String({ format: 'date-time' }),
    publishedBy: Publisher,
    changeSummary: Type.String(),
  },
  { additionalProperties: false },
);
export type FrameworkVersion = Static<typeof FrameworkVersionSchema>;

export const CommissioningFrameworkSummarySchema = Type.Object(
  {
    frameworkId: Type.String({ format: 'uuid', description: 'The current version' }),
    key: Type.String(),
    version: Type.Integer(),
    name: Type.String(),
    description: Type.String(),
    outcomeCount: Type.Integer(),
    iStatementCount: Type.Integer(),
    versionCount: Type.Integer(),
    publishedAt: Type.String({ format: 'date-time' }),
    publishedBy: Publisher,
  },
  { additionalProperties: false },
);
export type CommissioningFrameworkSummary = Static<typeof CommissioningFrameworkSummarySchema>;

export const CommissioningFrameworkSchema = Type.Object(
  {
    frameworkId: Type.String({ format: 'uuid' }),
    key: Type.String(),
    version: Type.Integer(),
    current: Type.Boolean({ description: 'The newest version of its key: the one in use' }),
    name: Type.String(),
    description: Type.String(),
    outcomesFrameworkKey: Type.String(),
    changeSummary: Type.String(),
    publishedAt: Type.String({ format: 'date-time' }),
    publishedBy: Publisher,
    outcomes: Type.Array(
      Type.Object(
        {
          code: Type.String(),
          statement: Type.String(),
          iStatements: Type.Array(
            Type.Object(
              {
                code: Type.String(),
                text: Type.String(),
                domains: Type.Array(Named, { description: 'Personal outcome domains it is about' }),
                indicators: Type.Array(IndicatorRefSchema),
              },
              { additionalProperties: false },
            ),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    shapedBy: Type.Array(
      Type.Object(
        {
          group: StakeholderGroupSchema,
          groupLabel: Type.String(),
          how: Type.String(),
          on: Type.String({ format: 'date' }),
        },
        { additionalProperties: false },
      ),
    ),
    versions: Type.Array(FrameworkVersionSchema, { description: 'Every version of this key, newest first' }),
  },
  { additionalProperties: false },
);
export type CommissioningFramework = Static<typeof CommissioningFrameworkSchema>;
