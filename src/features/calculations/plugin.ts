import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.js';
import { calcApiRoutes } from './api.js';

/** The calculations feature as one plugin: published calculations over HTTP. */
export async function calculationsFeature(app: FastifyInstance, opts: { services: Services }): Promise<void> {
  await app.register(calcApiRoutes, opts);
}
