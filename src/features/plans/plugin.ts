import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.js';
import { plansApiRoutes } from './api.js';
import { planPages } from './pages.js';

/** The plans feature as one plugin: the care and support plan. */
export async function plansFeature(app: FastifyInstance, opts: { services: Services }): Promise<void> {
  await app.register(plansApiRoutes, opts);
  await app.register(planPages, opts);
}
