import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.js';

/**
 * Audits every refused request to an administration page. The route's access rule turns a
 * signed-in user without the administrator role away before the handler runs (so the service,
 * which audits its own refusals, is never reached): this records that refusal, with who asked and
 * what they asked for, once the answer has gone.
 */
export function auditRefusedAdminRoutes(app: FastifyInstance, services: Services): void {
  app.addHook('onResponse', async (request, reply) => {
    if (reply.statusCode !== 403 || !request.actor) return;
    await services.audit.record(request.actor, {
      action: 'open-admin-page',
      resourceType: 'route',
      resourceId: `${request.method} ${request.routeOptions.url ?? request.url}`,
      purpose: 'not an administrator',
      outcome: 'denied',
    });
  });
}
