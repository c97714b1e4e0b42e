import { type Static, type TSchema, Type } from '@sinclair/typebox';
import {
  CATALOGUE_KINDS,
  CATALOGUE_LEVELS,
  LIFE_AREAS,
  MAX_ENTRY_DOMAINS,
  PRODUCT_LINK_KINDS,
  RESPONDENTS,
} from '../../domain/measures/catalogue.js';
import { COVERAGE_REASONS, GAP_STATUSES } from '../../domain/measures/catalogue-gaps.js';
import { contract } from '../../services/contract.js';

/**
 * The contracts of the catalogue of measures: adding or changing an entry (the API body, the
 * service's input, what the editor's form maps onto), and the answers. The rules across fields
 * (domains that exist, a link to something that exists) are the domain's `catalogueEntryProblems`,
 * applied by the service after this.
 */

const oneOf = <T extends string>(values: readonly T[], description: string) =>
  Type.Union(
    values.map((v) => Type.Literal(v)),
    { description },
  );

export const CatalogueKindSchema = oneOf(CATALOGUE_KINDS, 'measure, metric, indicator, tool or approach');
export const CatalogueLevelSchema = oneOf(CATALOGUE_LEVELS, 'The level it is used at');
export const LifeAreaSchema = oneOf(LIFE_AREAS, 'An area of life it is about');
export const RespondentSchema = oneOf(RESPONDENTS, 'Who answers it, or where its data comes from');
export const ProductLinkKindSchema = oneOf(PRODUCT_LINK_KINDS, 'What it is in the product');
const Status = oneOf(GAP_STATUSES, 'no-measure, no-data (a measure but nothing collected here) or data');

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

const DomainRefSchema = Type.Object(
  {
    framework: Type.String({
      minLength: 1,
      maxLength: 120,
      description: '`outcomes:<key>` (a personal outcomes framework) or `commissioning:<key>`',
    }),
    code: Type.String({ minLength: 1, maxLength: 80, description: 'The domain’s (or I statement’s) code' }),
  },
  { additionalProperties: false },
);

export const CatalogueEntryBody = Type.Object(
  {
    key: Type.String({
      minLength: 1,
      maxLength: 80,
      pattern: '^[a-z0-9]+(?:-[a-z0-9]+)*$',
      description: 'Lower-case words joined by hyphens; never changed once made',
    }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    kind: CatalogueKindSchema,
    measures: Type.String({ minLength: 1, maxLength: 2000, description: 'What it measures' }),
    levels: Type.Array(CatalogueLevelSchema, { maxItems: CATALOGUE_LEVELS.length }),
    lifeAreas: Type.Array(LifeAreaSchema, { maxItems: LIFE_AREAS.length }),
    domains: Type.Array(DomainRefSchema, { maxItems: MAX_ENTRY_DOMAINS }),
    respondents: Type.Array(RespondentSchema, { maxItems: RESPONDENTS.length }),
    validation: Type.String({ maxLength: 4000, description: 'Validation evidence, with references' }),
    licence: Type.String({ maxLength: 2000, description: 'Who holds the rights, and on what terms' }),
    sourceUrl: Nullable(Type.String({ minLength: 1, maxLength: 500, description: 'Where to get it' })),
    link: Nullable(
      Type.Object(
        {
          kind: ProductLinkKindSchema,
          key: Nullable(Type.String({ minLength: 1, maxLength: 80 })),
        },
        { additionalProperties: false, description: 'Where it is in the product' },
      ),
    ),
  },
  { additionalProperties: false },
);
export type CatalogueEntryInput = Static<typeof CatalogueEntryBody>;
export const CatalogueEntryContract = contract(CatalogueEntryBody);

export const EntryIdParams = Type.Object({ entryId: Type.String({ format: 'uuid' }) });

export const CatalogueQuery = Type.Object(
  {
    kind: Type.Optional(CatalogueKindSchema),
    level: Type.Optional(CatalogueLevelSchema),
    lifeArea: Type.Optional(LifeAreaSchema),
    domain: Type.Optional(
      Type.String({
        maxLength: 200,
        description: 'A framework and one of its domains: `outcomes:talking-points:feeling-safe`',
      }),
    ),
  },
  { additionalProperties: false },
);
export type CatalogueFilters = Static<typeof CatalogueQuery>;
export const CatalogueFiltersContract = contract(CatalogueQuery);

export const GapsQuery = Type.Object(
  {
    framework: Type.Optional(
      Type.String({
        maxLength: 120,
        description: '`outcomes:<key>` or `commissioning:<key>`; by default the default outcomes framework',
      }),
    ),
  },
  { additionalProperties: false },
);

// ——— answers ———

const ShownCount = Type.String({
  description: 'A count as it may be shown: rounded to 5, or * for 1 to 7 (NHS disclosure control)',
});

export const CatalogueEntrySchema = Type.Object(
  {
    entryId: Type.String({ format: 'uuid' }),
    key: Type.String(),
    name: Type.String(),
    kind: CatalogueKindSchema,
    measures: Type.String(),
    levels: Type.Array(CatalogueLevelSchema),
    lifeAreas: Type.Array(LifeAreaSchema),
    domains: Type.Array(
      Type.Object(
        {
          framework: Type.String(),
          frameworkName: Type.String(),
          code: Type.String(),
          name: Type.String({
            description: 'The domain’s name; its code when the framework no longer has it',
          }),
        },
        { additionalProperties: false },
      ),
    ),
    respondents: Type.Array(RespondentSchema),
    validation: Type.String(),
    licence: Type.String(),
    sourceUrl: Nullable(Type.String()),
    link: Nullable(
      Type.Object(
        {
          kind: ProductLinkKindSchema,
          key: Nullable(Type.String()),
          href: Nullable(
            Type.String({
              description:
                'The page where it is in the product: for a built-in instrument, its questionnaire’s page (staff), by its key',
            }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    shipped: Type.Boolean({ description: 'Seeded with the product (it may have been edited since)' }),
    usage: Type.Object(
      {
        inProduct: Type.Boolean(),
        inUseHere: Nullable(
          Type.Boolean({
            description:
              'Data collected in the last 12 months within what the asker may see in aggregate; null when not in the product or the asker sees no service figures',
          }),
        ),
        count: Nullable(ShownCount),
      },
      { additionalProperties: false },
    ),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
);
export type CatalogueEntry = Static<typeof CatalogueEntrySchema>;

export const GapCoverageSchema = Type.Object(
  {
    entryId: Type.String({ format: 'uuid' }),
    key: Type.String(),
    name: Type.String(),
    kind: CatalogueKindSchema,
    how: oneOf(COVERAGE_REASONS, 'How it covers the domain'),
    inProduct: Type.Boolean(),
    hasData: Nullable(Type.Boolean({ description: 'null when it is not in the product' })),
    count: Nullable(ShownCount),
  },
  { additionalProperties: false },
);

export const GapAnalysisSchema = Type.Object(
  {
    framework: Type.Object({ ref: Type.String(), name: Type.String() }, { additionalProperties: false }),
    since: Type.String({
      format: 'date',
      description: 'The first day counted: twelve whole months to this one',
    }),
    here: Type.String({ description: 'Whose data is counted, in words' }),
    summary: Type.Object(
      {
        domains: Type.Integer(),
        noMeasure: Type.Integer(),
        noData: Type.Integer(),
        withData: Type.Integer(),
      },
      { additionalProperties: false },
    ),
    domains: Type.Array(
      Type.Object(
        {
          code: Type.String(),
          name: Type.String(),
          group: Type.String(),
          status: Status,
          hasData: Type.Boolean(),
          count: ShownCount,
          coveredBy: Type.Array(GapCoverageSchema),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type GapAnalysisView = Static<typeof GapAnalysisSchema>;

export const FrameworkChoiceSchema = Type.Object(
  { ref: Type.String(), name: Type.String() },
  { additionalProperties: false },
);
export type FrameworkChoice = Static<typeof FrameworkChoiceSchema>;
