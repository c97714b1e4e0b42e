import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.js';
import { requireActor } from '../request-actor.js';
import { responses } from '../schemas.js';

export async function directoryApiRoutes(app: FastifyInstance, opts: { services: Services }) {
  app.get(
    '/api/organisations',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['directory'],
        summary: 'Organisations and their teams',
        description: 'Every organisation that supports people or commissions support, with its teams.',
        response: responses({ 200: Type.Array(Type.Ref('Organisation')) }),
      },
    },
    async (request) => opts.services.directory.listOrganisations(requireActor(request)),
  );
}
