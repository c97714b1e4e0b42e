import type { Access } from '../services/access-policy.js';
import type { Actor } from '../services/actor.js';
import type { CataloguedRoute } from './plugins/access-control.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route registered, with the access rule it declared. */
    routeCatalogue: readonly CataloguedRoute[];
  }
  interface FastifyContextConfig {
    /** Who may use this route. Every route must say; the app refuses to start otherwise. */
    access?: Access;
    /** The route answers with an HTML page (so errors are pages too). */
    page?: boolean;
  }
  interface FastifyRequest {
    actor: Actor | null;
    sessionToken: string | null;
  }
  interface FastifyReply {
    /** Renders a view inside the service layout. */
    page(view: string, context?: Record<string, unknown>): FastifyReply;
  }
}
