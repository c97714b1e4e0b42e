import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.js';
import { ADMIN_ONLY } from './access.js';

/** The administration home: where each part of running the service from pages is. */
export async function adminHomePage(app: FastifyInstance, _opts: { services: Services }) {
  app.get(
    '/admin',
    { config: { access: ADMIN_ONLY, page: true }, schema: { hide: true } },
    async (_request, reply) => reply.page('admin-home', { pageTitle: 'Administration' }),
  );
}
