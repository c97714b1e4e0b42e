import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.js';
import { sharingPages } from './pages.js';

/** The sharing feature as one plugin: sharing bases and break-glass. */
export async function sharingFeature(app: FastifyInstance, opts: { services: Services }): Promise<void> {
  await app.register(sharingPages, opts);
}
