import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.js';

/**
 * Audits every refused request to an administration page. The route's access rule turns a
 * signed-in user without the administrator role away before the handler runs (so the service,
 * which audits its own refusals, is never reached): this records that refusal, with who asked and
 * what they asked for, before the answer is sent.
 */
export function auditRefusedAdminRoutes(app: FastifyInstance, services: Services): void {
  auditRefusedRoleRoutes(app, services, 'open-admin-page', 'not an administrator');
}

/** The same for any scope whose routes admit some roles only: the refusal recorded as `action`. */
export function auditRefusedRoleRoutes(
  app: FastifyInstance,
  services: Services,
  action: string,
  purpose: string,
): void {
  // onSend, before the answer leaves: recorded after it (onResponse), a refusal could be missing
  // from the trail for a moment after the caller was told, and lost if the process stopped then.
  app.addHook('onSend', async (request, reply, payload) => {
    if (reply.statusCode !== 403 || !request.actor) return payload;
    await services.audit.record(request.actor, {
      action,
      resourceType: 'route',
      resourceId: `${request.method} ${request.routeOptions.url ?? request.url}`,
      purpose,
      outcome: 'denied',
    });
    return payload;
  });
}
