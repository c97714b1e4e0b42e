import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.js';
import { peopleApiRoutes } from './api.js';
import { caseloadPages } from './caseload-pages.js';
import { circlePages } from './circle-pages.js';
import { peoplePages } from './pages.js';

/** The people feature as one plugin: registering people, the caseload, the person summary, care team and circle. */
export async function peopleFeature(app: FastifyInstance, opts: { services: Services }): Promise<void> {
  await app.register(peopleApiRoutes, opts);
  await app.register(caseloadPages, opts);
  await app.register(peoplePages, opts);
  await app.register(circlePages, opts);
}
