import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { originOf, setSessionCookie } from '../../http/session-cookie.js';
import type { Services } from '../../services/index.js';
import { type OidcFailure, type OidcFlow, OidcSignInError } from './oidc-sign-in.js';
import { safeReturnPath } from './sign-in-pages.js';

/** Holds state, nonce, PKCE verifier and where to go afterwards, between leaving and coming back. */
export const OIDC_FLOW_COOKIE = 'wm_oidc';
const FLOW_COOKIE_PATH = '/sign-in/oidc';
/** Long enough to sign in at the provider, short enough that a stale flow is not left lying about. */
const FLOW_MAX_AGE_SECONDS = 10 * 60;

interface StoredFlow extends OidcFlow {
  returnTo: string;
}

function encodeFlow(flow: StoredFlow): string {
  return Buffer.from(JSON.stringify(flow), 'utf8').toString('base64url');
}

function decodeFlow(value: string | undefined): StoredFlow | null {
  if (!value || value.length > 2000) return null;
  try {
    const parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as Partial<StoredFlow>;
    const { state, nonce, codeVerifier, returnTo } = parsed;
    return typeof state === 'string' &&
      typeof nonce === 'string' &&
      typeof codeVerifier === 'string' &&
      typeof returnTo === 'string'
      ? { state, nonce, codeVerifier, returnTo: safeReturnPath(returnTo) }
      : null;
  } catch {
    return null;
  }
}

const FAILURE_PAGES: Record<OidcFailure, { status: number; title: string }> = {
  'unknown-identity': { status: 403, title: 'Your account is not set up for WhatMatters' },
  refused: { status: 403, title: 'You were not signed in' },
  failed: { status: 400, title: 'Signing in did not work' },
  unavailable: { status: 503, title: 'Sign-in with your organisation is not available' },
};

/**
 * Signing in with an organisation's account (OpenID Connect), when it is configured:
 * `GET /sign-in/oidc` sends the browser to the identity provider, which sends it back to
 * `GET /sign-in/oidc/callback`; a known user then has the same session cookie as after a password
 * sign-in. The flow's secrets wait in an HttpOnly cookie limited to these two paths for 10 minutes.
 */
export async function oidcSignInPages(parent: FastifyInstance, opts: { services: Services }) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { oidc } = opts.services;

  const notConfigured = (reply: FastifyReply) =>
    reply.code(404).page('error', {
      pageTitle: 'Page not found',
      message: "Signing in with an organisation's account is not set up on this WhatMatters.",
    });

  const problemPage = (reply: FastifyReply, error: OidcSignInError) => {
    const page = FAILURE_PAGES[error.reason];
    if (error.cause)
      reply.log.warn({ err: error.cause, reason: error.reason }, 'OpenID Connect sign-in failed');
    return reply.code(page.status).page('account-oidc-problem', {
      pageTitle: page.title,
      message: error.message,
    });
  };

  app.get(
    '/sign-in/oidc',
    {
      config: { access: 'public', page: true },
      schema: {
        hide: true,
        querystring: Type.Object({ returnTo: Type.Optional(Type.String({ maxLength: 2000 })) }),
      },
    },
    async (request, reply) => {
      if (!oidc) return notConfigured(reply);
      const returnTo = safeReturnPath(request.query.returnTo);
      if (request.actor) return reply.redirect(returnTo, 303);
      try {
        const { authorizationUrl, flow } = await oidc.start();
        reply.setCookie(OIDC_FLOW_COOKIE, encodeFlow({ ...flow, returnTo }), {
          path: FLOW_COOKIE_PATH,
          httpOnly: true,
          // Lax: the provider's redirect back is a top-level GET from another site, which must carry it.
          sameSite: 'lax',
          secure: 'auto',
          maxAge: FLOW_MAX_AGE_SECONDS,
        });
        return reply.redirect(authorizationUrl.href, 303);
      } catch (error) {
        if (error instanceof OidcSignInError) return problemPage(reply, error);
        throw error;
      }
    },
  );

  app.get(
    '/sign-in/oidc/callback',
    { config: { access: 'public', page: true }, schema: { hide: true } },
    async (request, reply) => {
      if (!oidc) return notConfigured(reply);
      const flow = decodeFlow(request.cookies[OIDC_FLOW_COOKIE]);
      reply.clearCookie(OIDC_FLOW_COOKIE, { path: FLOW_COOKIE_PATH });
      if (!flow) {
        return problemPage(
          reply,
          new OidcSignInError(
            'failed',
            'This sign-in took too long or was started in another browser. Start again from the sign-in page.',
          ),
        );
      }
      const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
      try {
        const signedIn = await oidc.finish(query, flow, originOf(request));
        setSessionCookie(reply, signedIn);
        return reply.redirect(flow.returnTo, 303);
      } catch (error) {
        if (error instanceof OidcSignInError) return problemPage(reply, error);
        throw error;
      }
    },
  );
}
