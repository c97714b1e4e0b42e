import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.js';
import { accountAdminPages } from './account-pages.js';
import { organisationAdminPages } from './organisation-pages.js';
import { adminHomePage } from './pages.js';
import { passwordResetPages } from './password-reset-pages.js';
import { auditRefusedAdminRoutes } from './refusals.js';

/**
 * Running the service from pages: organisations and teams, user accounts, and the one-time links
 * that set a password. Frameworks are administered on their own pages (features/frameworks).
 */
export async function adminFeature(app: FastifyInstance, opts: { services: Services }): Promise<void> {
  await app.register(async (admin) => {
    auditRefusedAdminRoutes(admin, opts.services);
    await admin.register(adminHomePage, opts);
    await admin.register(organisationAdminPages, opts);
    await admin.register(accountAdminPages, opts);
  });
  await app.register(passwordResetPages, opts);
}
