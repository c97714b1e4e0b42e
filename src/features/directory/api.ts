import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { requireActor } from '../../http/request-actor.js';
import { responses } from '../../http/schemas.js';
import type { Services } from '../../services/index.js';

export async function directoryApiRoutes(app: FastifyInstance, opts: { services: Services }) {
  app.get(
    '/api/organisations',
    {
      config: { access: 'signed-in', scopes: ['directory:read'] },
      schema: {
        tags: ['directory'],
        summary: 'Organisations and their teams',
        description:
          'Every organisation that supports people or commissions support, with its teams. ' +
          'API clients: a bearer token with the scope directory:read.',
        response: responses({ 200: Type.Array(Type.Ref('Organisation')) }),
      },
    },
    async (request) => opts.services.directory.listOrganisations(request.apiClient ?? requireActor(request)),
  );
}
