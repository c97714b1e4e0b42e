import { type Static, Type } from '@sinclair/typebox';
import { OUTCOME_CATEGORIES } from '../../domain/outcome-frameworks.js';
import { contract } from '../../services/contract.js';

/**
 * The contract of adding an outcomes framework (or a new version of one): the API body, the
 * service's input and what the admin's form maps onto. The rules across fields (kebab-case codes
 * used once, labels told apart) are the domain's `frameworkFieldProblems`, which the service
 * applies after this.
 */

const Kebab = (description: string) =>
  Type.String({ minLength: 1, maxLength: 60, pattern: '^[a-z0-9]+(?:-[a-z0-9]+)*$', description });

export const Category = Type.Union(
  OUTCOME_CATEGORIES.map((c) => Type.Literal(c)),
  { description: 'The kind of outcome the domain is' },
);

export const AddFrameworkBody = Type.Object(
  {
    key: Kebab('Lower-case words joined by hyphens; a new version keeps the key'),
    version: Type.Integer({ minimum: 1, maximum: 10_000, description: 'The next number after the latest' }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.String({ maxLength: 2000 }),
    ratingScale: Type.Object(
      {
        labels: Type.Array(Type.String({ minLength: 1, maxLength: 60 }), {
          minItems: 2,
          maxItems: 10,
          description: 'Score k (from 1) has label k, lowest first',
        }),
      },
      { additionalProperties: false },
    ),
    domains: Type.Array(
      Type.Object(
        {
          code: Kebab('Unique within the framework; stored against coded outcomes, so never renamed'),
          name: Type.String({ minLength: 1, maxLength: 200 }),
          description: Type.String({ maxLength: 2000 }),
          category: Category,
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 100 },
    ),
  },
  { additionalProperties: false },
);
export type AddFrameworkInput = Static<typeof AddFrameworkBody>;
export const AddFrameworkContract = contract(AddFrameworkBody);

// ——— answers ———

export const FrameworkDomainSchema = Type.Object(
  {
    domainId: Type.String({ format: 'uuid' }),
    code: Type.String(),
    name: Type.String(),
    description: Type.String(),
    category: Category,
  },
  { additionalProperties: false },
);
export type FrameworkDomain = Static<typeof FrameworkDomainSchema>;

export const FrameworkSchema = Type.Object(
  {
    frameworkId: Type.String({ format: 'uuid' }),
    key: Type.String(),
    version: Type.Integer(),
    name: Type.String(),
    description: Type.String(),
    ratingLabels: Type.Array(Type.String(), { description: 'Score k (from 1) has label k' }),
    isDefault: Type.Boolean({ description: 'New outcomes are coded with the latest version of this one' }),
    retired: Type.Boolean({
      description:
        'Retired by an administrator: not offered for new outcomes; outcomes coded with it keep it',
    }),
    domains: Type.Array(FrameworkDomainSchema),
  },
  { additionalProperties: false },
);
export type Framework = Static<typeof FrameworkSchema>;
