import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.js';
import { communityOutcomesApiRoutes } from './api.js';
import { communityOutcomesPages } from './pages.js';

/** Outcomes of community support for commissioners: connections and change, by kind and organisation. */
export async function communityOutcomesFeature(
  app: FastifyInstance,
  opts: { services: Services },
): Promise<void> {
  const { services } = opts;
  await app.register(async (scope) => {
    // The routes' role rule turns everyone but commissioners and analysts away before the service
    // (which audits the refusals it makes itself) is reached: those refusals are recorded here, once.
    const passedGate = new WeakSet<object>();
    scope.addHook('onRequest', async (request) => {
      passedGate.add(request);
    });
    scope.addHook('onSend', async (request, reply, payload) => {
      if (reply.statusCode !== 403 || !request.actor || passedGate.has(request)) return payload;
      await services.audit.record(request.actor, {
        action: 'read-community-outcomes',
        resourceType: 'route',
        resourceId: `${request.method} ${request.routeOptions.url ?? request.url}`,
        purpose: 'refused: not a commissioner or analyst',
        outcome: 'denied',
      });
      return payload;
    });
    await scope.register(communityOutcomesApiRoutes, opts);
    await scope.register(communityOutcomesPages, opts);
  });
}
