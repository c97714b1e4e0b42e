import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.js';
import { measuresApiRoutes } from './api.js';
import { measurePages } from './pages.js';

/** Standard measures administered to people: recording, asking, scheduling, scores over time. */
export async function measuresFeature(app: FastifyInstance, opts: { services: Services }): Promise<void> {
  await app.register(measuresApiRoutes, opts);
  await app.register(measurePages, opts);
}
