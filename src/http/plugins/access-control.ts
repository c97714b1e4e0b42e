import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { grantsScope } from '../../domain/interop/smart-scopes.js';
import { type Access, decideAccess } from '../../domain/route-access.js';
import type { Services } from '../../services/index.js';
import { isFhirRequest, problem, sendRefusal } from '../problem.js';

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
  /** The JSON schema of the query string, when the route declares one: the fuzz tests try each field. */
  querySchema: unknown;
  /** Scopes that let an API client's bearer token call the route (none: tokens are refused). */
  scopes: readonly string[];
}

/**
 * The token of an `Authorization: Bearer` header ('' when the header names the scheme but no
 * usable token), or null when the request does not use the Bearer scheme.
 */
export function bearerToken(header: string | undefined): string | null {
  const match = /^bearer(?:\s+(.*))?$/i.exec(header?.trim() ?? '');
  if (!match) return null;
  const token = match[1]?.trim() ?? '';
  // RFC 6750 section 2.1: b64token.
  return /^[A-Za-z0-9\-._~+/]+=*$/.test(token) ? token : '';
}

const BEARER_REALM = 'realm="WhatMatters"';

/**
 * A request with a bearer token is an API client, never a user: the session cookie is not read, and
 * the route must opt in with `config.scopes`. 401 for a token that is unknown, expired or revoked;
 * 403 (insufficient_scope) for a route the token's scopes do not open. RFC 6750 section 3.
 */
async function authoriseApiClient(
  request: FastifyRequest,
  reply: FastifyReply,
  services: Services,
  token: string,
): Promise<FastifyReply | undefined> {
  const client = token ? await services.apiClients.callerForToken(token) : null;
  if (!client) {
    reply
      .code(401)
      .header(
        'www-authenticate',
        `Bearer ${BEARER_REALM}, error="invalid_token", error_description="The access token is unknown, expired or revoked"`,
      );
    return sendRefusal(
      reply,
      request.url,
      problem(
        401,
        'Invalid access token',
        'The access token is unknown, has expired or was revoked. Get a new one from POST /oauth/token.',
      ),
    );
  }
  const needed = request.routeOptions.config.scopes ?? [];
  if (!needed.some((scope) => grantsScope(client.scopes, scope))) {
    reply
      .code(403)
      .header(
        'www-authenticate',
        `Bearer ${BEARER_REALM}, error="insufficient_scope"${needed.length ? `, scope="${needed.join(' ')}"` : ''}`,
      );
    return sendRefusal(
      reply,
      request.url,
      problem(
        403,
        'Insufficient scope',
        isFhirRequest(request.url)
          ? 'This needs an access token with a SMART system scope for the resource type, such as system/Patient.read or system/*.read.'
          : needed.length
            ? `This needs an access token with the scope ${needed.join(' or ')}.`
            : 'API clients cannot use this; it is for signed-in users only.',
      ),
    );
  }
  request.apiClient = client;
  return undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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
    app.decorateRequest('apiClient', null);

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
            querySchema: route.schema?.querystring ?? null,
            scopes: route.config?.scopes ?? [],
          });
      }
    });

    app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      const bearer = bearerToken(request.headers.authorization);
      // Public routes take anyone, so a token there is neither checked nor needed.
      if (
        bearer !== null &&
        request.routeOptions.url &&
        routeAccess(request.routeOptions.url, request.routeOptions.config.access) !== 'public'
      ) {
        return authoriseApiClient(request, reply, opts.services, bearer);
      }
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
      // A refusal of a request about a person is on that person's trail, like a refusal by the
      // access check in the services (which this refusal means is never reached: once, not twice).
      const personId = (request.params as { personId?: unknown } | undefined)?.personId;
      if (typeof personId === 'string' && UUID.test(personId)) {
        await opts.services.audit.record(
          request.actor,
          {
            action: 'open-route',
            resourceType: 'route',
            resourceId: `${request.method} ${request.routeOptions.url}`,
            personId,
            purpose:
              decision === 'sign-in-needed' ? 'not signed in' : 'refused by the role the route requires',
            outcome: 'denied',
          },
          undefined,
          request.ip,
        );
      }
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
      return sendRefusal(
        reply,
        request.url,
        status === 401
          ? problem(401, 'Not signed in', 'Sign in to use this.')
          : problem(403, 'Not allowed', 'Your role does not allow this.'),
      );
    });
  },
  { name: 'access-control', dependencies: ['@fastify/cookie'] },
);
