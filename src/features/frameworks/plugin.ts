import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.js';
import { frameworksApiRoutes } from './api.js';
import { frameworkPages } from './pages.js';

/** The frameworks feature as one plugin: outcomes frameworks. */
export async function frameworksFeature(app: FastifyInstance, opts: { services: Services }): Promise<void> {
  await app.register(frameworksApiRoutes, opts);
  await app.register(frameworkPages, opts);
}
