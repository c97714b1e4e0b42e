import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.js';
import { dashboardPages } from './pages.js';

/** The dashboards feature as one plugin: each role's dashboard, a contract's charts, and the drill-down. */
export async function dashboardsFeature(app: FastifyInstance, opts: { services: Services }): Promise<void> {
  await app.register(dashboardPages, opts);
}
