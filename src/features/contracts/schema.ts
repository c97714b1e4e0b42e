import { type Static, Type } from '@sinclair/typebox';
import { MAX_CONTRACT_INDICATORS, MAX_CONTRACT_TEAMS } from '../../domain/commissioning/contract.js';
import { contract } from '../../services/contract.js';
import { IndicatorRefSchema } from '../commissioning/schema.js';

/**
 * The contract of making or changing a contract between a commissioner and a provider: the API
 * body, the service's input and what the commissioner's form maps onto. Rules across fields and
 * against what exists (teams of the provider, indicators in the library, the period) are the
 * domain's `contractProblems`, applied by the service after this.
 */
export const SaveContractBody = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 200 }),
    commissionerOrganisationId: Type.String({ format: 'uuid' }),
    providerOrganisationId: Type.String({ format: 'uuid' }),
    teamIds: Type.Array(Type.String({ format: 'uuid' }), {
      maxItems: MAX_CONTRACT_TEAMS,
      description: 'The provider’s services or teams the contract is for',
    }),
    startsOn: Type.String({ format: 'date', description: 'The first day the contract runs' }),
    endsOn: Type.String({ format: 'date', description: 'The last day it runs' }),
    indicators: Type.Array(
      Type.Object(
        {
          indicatorKey: Type.String({ minLength: 1, maxLength: 80 }),
          target: Type.Number({ minimum: -1_000_000, maximum: 1_000_000 }),
        },
        { additionalProperties: false },
      ),
      {
        maxItems: MAX_CONTRACT_INDICATORS,
        description: 'Indicators with targets; which way is better is the indicator’s own direction',
      },
    ),
    riskGainShare: Type.String({ maxLength: 4000, description: 'How risk and gain are shared' }),
    frameworkKey: Type.Union([Type.String({ maxLength: 60 }), Type.Null()], {
      description: 'The commissioning framework the contract serves, by key',
    }),
  },
  { additionalProperties: false },
);
export type SaveContractInput = Static<typeof SaveContractBody>;
export const SaveContractContract = contract(SaveContractBody);

// ——— answers ———

const Organisation = Type.Object(
  { organisationId: Type.String({ format: 'uuid' }), name: Type.String() },
  { additionalProperties: false },
);

export const ContractStatusSchema = Type.Union(
  [Type.Literal('not-started'), Type.Literal('running'), Type.Literal('ended')],
  { description: 'Where today falls in the contract’s period' },
);
export type ContractStatus = Static<typeof ContractStatusSchema>;

export const ContractSummarySchema = Type.Object(
  {
    contractId: Type.String({ format: 'uuid' }),
    title: Type.String(),
    commissioner: Organisation,
    provider: Organisation,
    startsOn: Type.String({ format: 'date' }),
    endsOn: Type.String({ format: 'date' }),
    status: ContractStatusSchema,
    teamCount: Type.Integer(),
    indicatorCount: Type.Integer(),
  },
  { additionalProperties: false },
);
export type ContractSummary = Static<typeof ContractSummarySchema>;

export const ContractDetailSchema = Type.Object(
  {
    contractId: Type.String({ format: 'uuid' }),
    title: Type.String(),
    commissioner: Organisation,
    provider: Organisation,
    teams: Type.Array(
      Type.Object(
        { teamId: Type.String({ format: 'uuid' }), name: Type.String() },
        { additionalProperties: false },
      ),
    ),
    startsOn: Type.String({ format: 'date' }),
    endsOn: Type.String({ format: 'date' }),
    status: ContractStatusSchema,
    indicators: Type.Array(
      Type.Object(
        {
          indicator: IndicatorRefSchema,
          target: Type.Number(),
        },
        { additionalProperties: false },
      ),
    ),
    riskGainShare: Type.String(),
    framework: Type.Union([
      Type.Object(
        {
          frameworkId: Type.String({ format: 'uuid' }),
          key: Type.String(),
          version: Type.Integer(),
          name: Type.String(),
        },
        { additionalProperties: false, description: 'The current version of the framework it serves' },
      ),
      Type.Null(),
    ]),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
    mayEdit: Type.Boolean({ description: 'Whether the caller may change this contract' }),
  },
  { additionalProperties: false },
);
export type ContractDetail = Static<typeof ContractDetailSchema>;
