import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.js';
import { accountPages } from './account-pages.js';
import { oauthApiRoutes } from './oauth-api.js';
import { oidcSignInPages } from './oidc-pages.js';
import { sessionApiRoutes } from './session-api.js';
import { signInPages } from './sign-in-pages.js';

/** The auth feature as one plugin: sign-in, sessions, OAuth clients and the account pages. */
export async function authFeature(app: FastifyInstance, opts: { services: Services }): Promise<void> {
  await app.register(sessionApiRoutes, opts);
  await app.register(oauthApiRoutes, opts);
  await app.register(signInPages, opts);
  await app.register(oidcSignInPages, opts);
  await app.register(accountPages, opts);
}
