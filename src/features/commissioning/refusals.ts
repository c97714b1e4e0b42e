import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Services } from '../../services/index.js';

/**
 * Audits every request the routes' role rule refuses. That rule turns away a signed-in user
 * without the role before the handler runs, so the service (which audits its own refusals) is
 * never reached: this records that refusal, with who asked and what for, before the answer is sent
 * (onSend, as the administration pages do: the trail never lags the refusal).
 */
export function auditRefusedRoutes(app: FastifyInstance, services: Services, action: string): void {
  // Requests the gate let through: a 403 for one of them is the service's, already audited by it.
  const passedGate = new WeakSet<FastifyRequest>();
  app.addHook('onRequest', async (request) => {
    passedGate.add(request);
  });
  app.addHook('onSend', async (request, reply, payload) => {
    if (reply.statusCode !== 403 || !request.actor || passedGate.has(request)) return payload;
    await services.audit.record(request.actor, {
      action,
      resourceType: 'route',
      resourceId: `${request.method} ${request.routeOptions.url ?? request.url}`,
      purpose: 'refused by the role the route requires',
      outcome: 'denied',
    });
    return payload;
  });
}
