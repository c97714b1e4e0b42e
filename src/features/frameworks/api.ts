import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { requireActor } from '../../http/request-actor.js';
import { responses } from '../../http/schemas.js';
import type { Services } from '../../services/index.js';
import { AddFrameworkBody, FrameworkSchema } from './schema.js';

/** Outcomes frameworks over HTTP: reference data to read; admins add frameworks and versions. */
export async function frameworksApiRoutes(parent: FastifyInstance, opts: { services: Services }) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { frameworks } = opts.services;

  app.get(
    '/api/frameworks',
    {
      config: { access: 'signed-in', scopes: ['frameworks:read'] },
      schema: {
        tags: ['frameworks'],
        summary: 'Outcomes frameworks with their domains and rating scales',
        description: 'API clients: a bearer token with the scope frameworks:read.',
        response: responses({ 200: Type.Array(FrameworkSchema) }),
      },
    },
    async () => frameworks.list(),
  );

  app.post(
    '/api/frameworks',
    {
      config: { access: { roles: ['admin'] } },
      schema: {
        tags: ['frameworks'],
        summary: 'Add an outcomes framework, or a new version of one',
        description:
          'Versions are never changed once made; outcomes keep the version they were coded with. ' +
          'A framework whose codes repeat or whose labels cannot be told apart is refused with 422, naming each field.',
        body: AddFrameworkBody,
        response: responses({ 201: FrameworkSchema }, [409, 422]),
      },
    },
    async (request, reply) => reply.code(201).send(await frameworks.add(requireActor(request), request.body)),
  );
}
