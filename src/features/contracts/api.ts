import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { requireActor } from '../../http/request-actor.js';
import { responses } from '../../http/schemas.js';
import type { Services } from '../../services/index.js';
import { ContractDetailSchema, ContractSummarySchema, SaveContractBody } from './schema.js';

/** The roles the routes let through; which contracts each may read or change is the service's rule. */
export const CONTRACT_READERS = { roles: ['commissioner', 'analyst', 'team-manager'] } as const;
export const CONTRACT_EDITORS = { roles: ['commissioner'] } as const;

export const ContractParams = Type.Object({ contractId: Type.String({ format: 'uuid' }) });

/** Contracts over HTTP. */
export async function contractsApiRoutes(parent: FastifyInstance, opts: { services: Services }) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { contracts } = opts.services;

  app.get(
    '/api/contracts',
    {
      config: { access: CONTRACT_READERS },
      schema: {
        tags: ['contracts'],
        summary: 'Contracts the caller may read',
        description:
          'Commissioners and analysts: every contract. Team managers: the contracts naming their organisation as provider.',
        response: responses({ 200: Type.Array(ContractSummarySchema) }),
      },
    },
    async (request) => contracts.list(requireActor(request)),
  );

  app.get(
    '/api/contracts/:contractId',
    {
      config: { access: CONTRACT_READERS },
      schema: {
        tags: ['contracts'],
        summary: 'One contract: parties, teams, period, indicators with targets, risk and gain share',
        params: ContractParams,
        response: responses({ 200: ContractDetailSchema }, [404]),
      },
    },
    async (request) => contracts.loadContract(requireActor(request), request.params.contractId),
  );

  app.post(
    '/api/contracts',
    {
      config: { access: CONTRACT_EDITORS },
      schema: {
        tags: ['contracts'],
        summary: 'Make a contract',
        description:
          'Commissioners, for their own organisation. Teams must be the provider’s; indicators must be in the ' +
          'library; the period must end after it starts: otherwise 422, naming each field.',
        body: SaveContractBody,
        response: responses({ 201: ContractDetailSchema }, [422]),
      },
    },
    async (request, reply) =>
      reply.code(201).send(await contracts.create(requireActor(request), request.body)),
  );
}
