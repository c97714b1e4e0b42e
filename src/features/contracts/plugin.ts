import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.js';
import { auditRefusedRoutes } from '../commissioning/refusals.js';
import { contractsApiRoutes } from './api.js';
import { contractPages } from './pages.js';

/** The contracts feature as one plugin: contracts between commissioners and providers, pages and API. */
export async function contractsFeature(app: FastifyInstance, opts: { services: Services }): Promise<void> {
  await app.register(async (scope) => {
    auditRefusedRoutes(scope, opts.services, 'open-contracts-route');
    await scope.register(contractsApiRoutes, opts);
    await scope.register(contractPages, opts);
  });
}
