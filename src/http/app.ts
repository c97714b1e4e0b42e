import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { adminFeature } from '../features/admin/plugin.js';
import { auditFeature } from '../features/audit/plugin.js';
import { authFeature } from '../features/auth/plugin.js';
import { calculationsFeature } from '../features/calculations/plugin.js';
import { catalogueFeature } from '../features/catalogue/plugin.js';
import { commissioningFeature } from '../features/commissioning/plugin.js';
import { communityFeature } from '../features/community/plugin.js';
import { communityOutcomesFeature } from '../features/community-outcomes/plugin.js';
import { communityReferralsFeature } from '../features/community-referrals/plugin.js';
import { contractsFeature } from '../features/contracts/plugin.js';
import { csvExchangeFeature } from '../features/csv-exchange/plugin.js';
import { dashboardsFeature } from '../features/dashboards/plugin.js';
import { directoryFeature } from '../features/directory/plugin.js';
import { feedbackFeature } from '../features/feedback/plugin.js';
import { frameworksFeature } from '../features/frameworks/plugin.js';
import { indicatorsFeature } from '../features/indicators/plugin.js';
import { measuresFeature } from '../features/measures/plugin.js';
import { myFeature } from '../features/my/plugin.js';
import { outcomesFeature } from '../features/outcomes/plugin.js';
import { peopleFeature } from '../features/people/plugin.js';
import { plansFeature } from '../features/plans/plugin.js';
import { questionnairesFeature } from '../features/questionnaires/plugin.js';
import { rightsFeature } from '../features/rights/plugin.js';
import { selfManagementFeature } from '../features/self-management/plugin.js';
import { sharingFeature } from '../features/sharing/plugin.js';
import { fhirBulkExportRoutes } from '../interop/fhir/bulk-export-routes.js';
import { fhirRoutes } from '../interop/fhir/plugin.js';
import type { Services } from '../services/index.js';
import { apiDocsPages } from '../web/api-docs-pages.js';
import { homePages } from '../web/home-pages.js';
import { healthRoutes } from './health.js';
import { accessControl } from './plugins/access-control.js';
import { errorHandling, routerErrors } from './plugins/errors.js';
import { openApi } from './plugins/openapi.js';
import { type RateLimits, rateLimits } from './plugins/rate-limits.js';
import { security } from './plugins/security.js';
import { textInput } from './plugins/text-input.js';
import { web } from './plugins/web.js';
import './types.js';
import { installValidators } from './validation.js';

export interface AppOptions {
  services: Services;
  logger?: FastifyServerOptions['logger'];
  trustProxy?: boolean;
  version?: string;
  /** Requests per client address on sign-in and token routes; tests lower or raise them. */
  rateLimits?: Partial<RateLimits>;
}

/** JSON bodies larger than this are refused with 413: nothing the service takes is bigger. */
export const BODY_LIMIT_BYTES = 1024 * 1024;

/** The whole HTTP application. Each feature is a plugin registered here, in one place. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    trustProxy: options.trustProxy ?? false,
    bodyLimit: BODY_LIMIT_BYTES,
    requestTimeout: 60_000,
    connectionTimeout: 60_000,
    return503OnClosing: true,
    // A malformed or over-long address is refused by the router before any hook: answered as every refusal is.
    frameworkErrors: routerErrors,
  });
  const { services } = options;
  installValidators(app);
  // Only JSON and form bodies are accepted; anything else is 415, never a string to misread.
  app.removeContentTypeParser('text/plain');

  await app.register(security, { csrfKey: await services.auth.csrfKey() });
  await app.register(textInput);
  await app.register(errorHandling);
  await app.register(accessControl, { services });
  await app.register(web);
  // Before any route, so it sees the routes it limits being added.
  await app.register(rateLimits, { limits: options.rateLimits });
  await app.register(openApi, { version: options.version ?? '0.0.0' });

  await app.register(healthRoutes, { services });
  await app.register(homePages, { services });
  await app.register(apiDocsPages);
  // Each feature is one plugin holding its API routes and pages.
  for (const feature of [
    authFeature,
    directoryFeature,
    calculationsFeature,
    frameworksFeature,
    peopleFeature,
    sharingFeature,
    outcomesFeature,
    plansFeature,
    myFeature,
    auditFeature,
    rightsFeature,
    adminFeature,
    indicatorsFeature,
    commissioningFeature,
    contractsFeature,
    dashboardsFeature,
    catalogueFeature,
    measuresFeature,
    questionnairesFeature,
    feedbackFeature,
    csvExchangeFeature,
    selfManagementFeature,
    communityFeature,
    communityReferralsFeature,
    communityOutcomesFeature,
  ]) {
    await app.register(feature, { services });
  }
  // FHIR R4 over the same services (src/interop/fhir): its answers, refusals included, are FHIR.
  await app.register(fhirRoutes, { services });
  await app.register(fhirBulkExportRoutes, { services });

  return app;
}
