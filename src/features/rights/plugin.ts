import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.js';
import { rightsApiRoutes } from './api.js';
import { rightsPages } from './pages.js';

/** The rights feature as one plugin: the person's rights: export, rectification, erasure. */
export async function rightsFeature(app: FastifyInstance, opts: { services: Services }): Promise<void> {
  await app.register(rightsApiRoutes, opts);
  await app.register(rightsPages, opts);
}
