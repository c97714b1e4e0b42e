import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { type Access, decideAccess } from '../../services/access-policy.js';
import type { Services } from '../../services/index.js';
import { PROBLEM_CONTENT_TYPE, problem } from '../problem.js';

export const SESSION_COOKIE = 'wm_session';

/** Routes added by third-party plugins, which cannot carry our config: static files are public. */
const PLUGIN_ROUTE_ACCESS: { prefix: string; access: Access }[] = [
  { prefix: '/assets/', access: 'public' },
  { prefix: '/static/', access: 'public' },
];

/** Every route with its rule: what the access tests walk through, and what the docs describe. */
export interface CataloguedRoute {
  method: string;
  url: string;
  access: Access;
  page: boolean;
  /** The JSON schema of the request body, when the route takes one: what the fuzz tests aim at. */
  bodySchema: unknown;
}

export function routeAccess(url: string, declared: Access | undefined): Access | undefined {
  return declared ?? PLUGIN_ROUTE_ACCESS.find((r) => url.startsWith(r.prefix))?.access;
}

/**
 * Security by default: every route states who may use it (a route without a rule stops the app
 * from starting), the session cookie is resolved to an Actor, and each request is checked against
 * its route's rule before any handler runs.
 */
export const accessControl = fp(
  async (app: FastifyInstance, opts: { services: Services }) => {
    app.decorateRequest('actor', null);
    app.decorateRequest('sessionToken', null);

    const catalogue: CataloguedRoute[] = [];
    app.decorate('routeCatalogue', catalogue);
    app.addHook('onRoute', (route) => {
      const access = routeAccess(route.url, route.config?.access);
      if (!access) {
        throw new Error(
          `Route ${String(route.method)} ${route.url} declares no access rule (config.access).`,
        );
      }
      for (const method of [route.method].flat()) {
        if (method !== 'HEAD')
          catalogue.push({
            method,
            url: route.url,
            access,
            page: route.config?.page === true,
            bodySchema: route.schema?.body ?? null,
          });
      }
    });

    app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      const token = request.cookies[SESSION_COOKIE];
      // Static files need no actor; resolving the session for each would cost queries per asset.
      const isStaticFile = request.url.startsWith('/assets/') || request.url.startsWith('/static/');
      if (token && !isStaticFile) {
        request.actor = await opts.services.auth.actorForSession(token, request.ip);
        request.sessionToken = request.actor ? token : null;
        if (!request.actor) reply.clearCookie(SESSION_COOKIE, { path: '/' });
      }
      // Not-found requests have no route config; the not-found handler answers them.
      if (!request.routeOptions.url) return;
      const access = routeAccess(request.routeOptions.url, request.routeOptions.config.access);
      const decision = access ? decideAccess(access, request.actor) : 'forbidden';
      if (decision === 'allow') return;
      if (request.routeOptions.config.page) {
        if (decision === 'sign-in-needed') {
          return reply.redirect(`/sign-in?returnTo=${encodeURIComponent(request.url)}`, 303);
        }
        return reply.code(403).page('error', {
          pageTitle: 'You do not have access to this page',
          message: 'Your role does not give you access to this page. Go back to the home page.',
        });
      }
      const status = decision === 'sign-in-needed' ? 401 : 403;
      return reply
        .code(status)
        .type(PROBLEM_CONTENT_TYPE)
        .send(
          status === 401
            ? problem(401, 'Not signed in', 'Sign in to use this.')
            : problem(403, 'Not allowed', 'Your role does not allow this.'),
        );
    });
  },
  { name: 'access-control', dependencies: ['@fastify/cookie'] },
);
