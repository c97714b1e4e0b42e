import type { Actor } from '../domain/actor.js';
import type { Access } from '../domain/route-access.js';
import type { ApiClient } from '../features/auth/api-client-service.js';
import type { CataloguedRoute } from './plugins/access-control.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route registered, with the access rule it declared. */
    routeCatalogue: readonly CataloguedRoute[];
    /** A page's HTML for a request no hook has seen (refused by the router): signed out, with no form token. */
    signedOutPage(request: FastifyRequest, view: string, context?: Record<string, unknown>): string;
  }
  interface FastifyContextConfig {
    /** Who may use this route. Every route must say; the app refuses to start otherwise. */
    access?: Access;
    /** The route answers with an HTML page (so errors are pages too). */
    page?: boolean;
    /**
     * API clients (OAuth 2 access tokens) may call this route with any one of these scopes. Without
     * it, a bearer token is refused with 403 on every route that is not public.
     */
    scopes?: readonly string[];
    /** No CSRF token: a request that carries no cookies (the OAuth token endpoint). */
    csrfExempt?: boolean;
  }
  interface FastifyRequest {
    actor: Actor | null;
    sessionToken: string | null;
    /** The API client of a bearer token; `actor` is null then. */
    apiClient: ApiClient | null;
  }
  interface FastifyReply {
    /** Renders a view inside the service layout. */
    page(view: string, context?: Record<string, unknown>): FastifyReply;
  }
}
