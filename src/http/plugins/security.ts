import { createHash } from 'node:crypto';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { SESSION_COOKIE } from './access-control.js';

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const FORM_TYPES = /^(application\/x-www-form-urlencoded|multipart\/form-data)/i;

/**
 * Security headers with a strict CSP (scripts only from here or with the per-response nonce; no
 * unsafe-inline), cookies, form bodies, and CSRF protection on every form post and every page
 * route, whatever the body's type. JSON API requests need no token: a cross-site page cannot send
 * application/json without a CORS preflight, which we never allow.
 */
/**
 * What a CSRF token is bound to: the session it was issued in (a hash of its cookie), or no session.
 * Checked in preValidation, after the session was resolved (access-control.ts, onRequest).
 * A token from one session, with its secret cookie, is refused in any other.
 */
export function csrfBinding(request: FastifyRequest): string {
  // Only a session that signed someone in counts: a stale cookie is cleared by this very answer.
  const session = request.actor ? request.cookies?.[SESSION_COOKIE] : undefined;
  return session ? createHash('sha256').update(session).digest('base64url') : 'no-session';
}

export const security = fp(
  async (app: FastifyInstance, options: { csrfKey: string }) => {
    await app.register(helmet, {
      enableCSPNonces: true,
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          upgradeInsecureRequests: null,
        },
      },
      strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
      referrerPolicy: { policy: 'same-origin' },
    });
    await app.register(cookie);
    await app.register(formbody, { bodyLimit: 100 * 1024 });
    await app.register(csrf, {
      cookieOpts: { path: '/', httpOnly: true, sameSite: 'strict', secure: 'auto', signed: false },
      getToken: (request) => (request.body as Record<string, string> | undefined)?._csrf,
      getUserInfo: csrfBinding,
      csrfOpts: { hmacKey: options.csrfKey },
    });
    // Answers carry personal data: no browser or proxy may keep them (a shared computer's back
    // button, a proxy's cache). Files served with their own caching headers (the stylesheet,
    // scripts and images) keep them.
    app.addHook('onSend', async (_request, reply, payload) => {
      if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
      return payload;
    });
    app.addHook('preValidation', (request, reply, done) => {
      if (request.routeOptions.config.csrfExempt) return done();
      const isForm = FORM_TYPES.test(request.headers['content-type'] ?? '');
      if (UNSAFE_METHODS.has(request.method) && (isForm || request.routeOptions.config.page)) {
        app.csrfProtection(request, reply, done);
        return;
      }
      done();
    });
  },
  { name: 'security' },
);
