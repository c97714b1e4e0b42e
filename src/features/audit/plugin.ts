import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.js';
import { auditApiRoutes } from './api.js';
import { auditPages } from './pages.js';

/** The audit feature as one plugin: the audit trail: search, verification and who looked at my record. */
export async function auditFeature(app: FastifyInstance, opts: { services: Services }): Promise<void> {
  await app.register(auditApiRoutes, opts);
  await app.register(auditPages, opts);
}
