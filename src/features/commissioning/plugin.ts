import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.js';
import { commissioningApiRoutes } from './api.js';
import { commissioningPages } from './pages.js';
import { auditRefusedRoutes } from './refusals.js';

/** The commissioning feature as one plugin: commissioning outcomes frameworks, pages and API. */
export async function commissioningFeature(
  app: FastifyInstance,
  opts: { services: Services },
): Promise<void> {
  await app.register(async (scope) => {
    auditRefusedRoutes(scope, opts.services, 'open-commissioning-route');
    await scope.register(commissioningApiRoutes, opts);
    await scope.register(commissioningPages, opts);
  });
}
