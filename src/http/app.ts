import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Services } from '../services/index.js';
import { accountPages } from '../web/pages/account-pages.js';
import { apiDocsPages } from '../web/pages/api-docs.js';
import { auditPages } from '../web/pages/audit-pages.js';
import { caseloadPages } from '../web/pages/caseload-pages.js';
import { circlePages } from '../web/pages/circle-pages.js';
import { conversationPages } from '../web/pages/conversation-pages.js';
import { frameworkPages } from '../web/pages/framework-pages.js';
import { homePages } from '../web/pages/home.js';
import { myPages } from '../web/pages/my-pages.js';
import { organisationPages } from '../web/pages/organisations.js';
import { peoplePages } from '../web/pages/people-pages.js';
import { planPages } from '../web/pages/plan-pages.js';
import { rightsPages } from '../web/pages/rights-pages.js';
import { sharingPages } from '../web/pages/sharing-pages.js';
import { signInPages } from '../web/pages/sign-in.js';
import { oidcSignInPages } from '../web/pages/sign-in-oidc.js';
import { accessControl } from './plugins/access-control.js';
import { errorHandling } from './plugins/errors.js';
import { openApi } from './plugins/openapi.js';
import { type RateLimits, rateLimits } from './plugins/rate-limits.js';
import { security } from './plugins/security.js';
import { web } from './plugins/web.js';
import { auditApiRoutes } from './routes/audit-api.js';
import { calcApiRoutes } from './routes/calc-api.js';
import { directoryApiRoutes } from './routes/directory-api.js';
import { healthRoutes } from './routes/health.js';
import { oauthApiRoutes } from './routes/oauth-api.js';
import { outcomesApiRoutes } from './routes/outcomes-api.js';
import { peopleApiRoutes } from './routes/people-api.js';
import { plansApiRoutes } from './routes/plans-api.js';
import { rightsApiRoutes } from './routes/rights-api.js';
import { sessionApiRoutes } from './routes/session-api.js';
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
  });
  const { services } = options;
  installValidators(app);
  // Only JSON and form bodies are accepted; anything else is 415, never a string to misread.
  app.removeContentTypeParser('text/plain');

  await app.register(security);
  await app.register(errorHandling);
  await app.register(accessControl, { services });
  await app.register(web);
  // Before any route, so it sees the routes it limits being added.
  await app.register(rateLimits, { limits: options.rateLimits });
  await app.register(openApi, { version: options.version ?? '0.0.0' });

  await app.register(healthRoutes, { services });
  await app.register(sessionApiRoutes, { services });
  await app.register(oauthApiRoutes, { services });
  await app.register(directoryApiRoutes, { services });
  await app.register(calcApiRoutes);
  await app.register(peopleApiRoutes, { services });
  await app.register(outcomesApiRoutes, { services });
  await app.register(plansApiRoutes, { services });
  await app.register(auditApiRoutes, { services });
  await app.register(rightsApiRoutes, { services });

  await app.register(homePages, { services });
  await app.register(signInPages, { services });
  await app.register(oidcSignInPages, { services });
  await app.register(accountPages, { services });
  await app.register(organisationPages, { services });
  await app.register(apiDocsPages);
  await app.register(planPages, { services });
  await app.register(myPages, { services });
  await app.register(caseloadPages, { services });
  await app.register(peoplePages, { services });
  await app.register(conversationPages, { services });
  await app.register(circlePages, { services });
  await app.register(sharingPages, { services });
  await app.register(frameworkPages, { services });
  await app.register(auditPages, { services });
  await app.register(rightsPages, { services });

  return app;
}
