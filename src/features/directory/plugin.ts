import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.js';
import { directoryApiRoutes } from './api.js';
import { organisationPages } from './pages.js';

/** The directory feature as one plugin: organisations and teams. */
export async function directoryFeature(app: FastifyInstance, opts: { services: Services }): Promise<void> {
  await app.register(directoryApiRoutes, opts);
  await app.register(organisationPages, opts);
}
