import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { requireActor } from '../../http/request-actor.js';
import { responses } from '../../http/schemas.js';
import type { Services } from '../../services/index.js';
import {
  CommissioningFrameworkSchema,
  CommissioningFrameworkSummarySchema,
  PublishFrameworkBody,
} from './schema.js';

/** The roles the routes let through; what each may do is the service's rule (domain/commissioning/access). */
export const FRAMEWORK_READERS = { roles: ['commissioner', 'analyst'] } as const;
export const FRAMEWORK_EDITORS = { roles: ['commissioner'] } as const;

export const CommissioningFrameworkParams = Type.Object({ frameworkId: Type.String({ format: 'uuid' }) });

/** Commissioning outcomes frameworks over HTTP: read by commissioners and analysts, published by commissioners. */
export async function commissioningApiRoutes(parent: FastifyInstance, opts: { services: Services }) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { commissioning } = opts.services;

  app.get(
    '/api/commissioning/frameworks',
    {
      config: { access: FRAMEWORK_READERS },
      schema: {
        tags: ['commissioning'],
        summary: 'Commissioning outcomes frameworks: the current version of each',
        response: responses({ 200: Type.Array(CommissioningFrameworkSummarySchema) }),
      },
    },
    async (request) => commissioning.listFrameworks(requireActor(request)),
  );

  app.get(
    '/api/commissioning/frameworks/:frameworkId',
    {
      config: { access: FRAMEWORK_READERS },
      schema: {
        tags: ['commissioning'],
        summary: 'One version of a commissioning framework',
        description:
          'Overarching outcomes → I statements, each with the personal outcome domains and indicators it maps to; ' +
          'who shaped the version; and every version of the framework. Earlier versions stay readable.',
        params: CommissioningFrameworkParams,
        response: responses({ 200: CommissioningFrameworkSchema }, [404]),
      },
    },
    async (request) => commissioning.getFramework(requireActor(request), request.params.frameworkId),
  );

  app.post(
    '/api/commissioning/frameworks',
    {
      config: { access: FRAMEWORK_EDITORS },
      schema: {
        tags: ['commissioning'],
        summary: 'Publish a commissioning framework, or a new version of one',
        description:
          'A version is never changed: this publishes a new one, which becomes current. `basedOnVersion` is the ' +
          'version edited (null for a new framework); 409 when another was published meanwhile. Unknown domains or ' +
          'indicators, and missing stakeholder involvement, are refused with 422, naming each field.',
        body: PublishFrameworkBody,
        response: responses({ 201: CommissioningFrameworkSchema }, [409, 422]),
      },
    },
    async (request, reply) =>
      reply.code(201).send(await commissioning.publish(requireActor(request), request.body)),
  );
}
