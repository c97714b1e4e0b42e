import type { FastifyInstance } from 'fastify';
import { ORGANISATION_KIND_LABELS } from '../../domain/organisation-kinds.js';
import { requireActor } from '../../http/request-actor.js';
import type { Services } from '../../services/index.js';

export async function organisationPages(app: FastifyInstance, opts: { services: Services }) {
  app.get(
    '/organisations',
    { config: { access: 'signed-in', page: true }, schema: { hide: true } },
    async (request, reply) => {
      const organisations = await opts.services.directory.listOrganisations(requireActor(request));
      return reply.page('organisations', {
        pageTitle: 'Organisations and teams',
        organisations,
        kindLabels: ORGANISATION_KIND_LABELS,
      });
    },
  );
}
