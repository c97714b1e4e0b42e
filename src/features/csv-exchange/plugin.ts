import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.js';
import { auditRefusedAdminRoutes } from '../admin/refusals.js';
import { csvExchangePages } from './pages.js';

/** Importing and exporting CSV files: administrators' pages (the command line is `whatmatters csv`). */
export async function csvExchangeFeature(app: FastifyInstance, opts: { services: Services }): Promise<void> {
  await app.register(async (scope) => {
    auditRefusedAdminRoutes(scope, opts.services);
    await scope.register(csvExchangePages, opts);
  });
}
