import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.js';
import { selfManagementApiRoutes } from './api.js';
import { selfManagementPages } from './pages.js';

/** Self-management: small steps the person sets themselves between reviews, ticked off with what helped. */
export async function selfManagementFeature(
  app: FastifyInstance,
  opts: { services: Services },
): Promise<void> {
  await app.register(selfManagementApiRoutes, opts);
  await app.register(selfManagementPages, opts);
}
