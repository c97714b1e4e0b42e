import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.js';
import { myPages } from './pages.js';

/** The my feature as one plugin: the person's and carer's own view. */
export async function myFeature(app: FastifyInstance, opts: { services: Services }): Promise<void> {
  await app.register(myPages, opts);
}
