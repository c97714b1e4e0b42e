import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.js';
import { catalogueApiRoutes } from './api.js';
import { cataloguePages } from './pages.js';

/** The catalogue feature as one plugin: the catalogue of measures and its gap analysis. */
export async function catalogueFeature(app: FastifyInstance, opts: { services: Services }): Promise<void> {
  await app.register(catalogueApiRoutes, opts);
  await app.register(cataloguePages, opts);
}
