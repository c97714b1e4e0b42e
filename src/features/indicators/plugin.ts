import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.js';
import { indicatorsApiRoutes } from './api.js';
import { indicatorPages } from './pages.js';

/** The indicators feature as one plugin: definitions as data and their disclosure-controlled values. */
export async function indicatorsFeature(app: FastifyInstance, opts: { services: Services }): Promise<void> {
  await app.register(indicatorsApiRoutes, opts);
  await app.register(indicatorPages, opts);
}
