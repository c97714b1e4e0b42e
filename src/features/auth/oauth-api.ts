import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Services } from '../../services/index.js';
import { ACCESS_TOKEN_LIFETIME_SECONDS, API_SCOPES, OAuthError } from './api-client-service.js';

const FORM_TYPE = /^application\/x-www-form-urlencoded\b/i;

const TokenRequest = Type.Record(Type.String(), Type.Union([Type.String(), Type.Array(Type.String())]), {
  description:
    'grant_type=client_credentials, optional scope (space-separated), and client_id and client_secret unless sent with HTTP Basic authentication',
});

const TokenResponse = Type.Object({
  access_token: Type.String(),
  token_type: Type.Literal('Bearer'),
  expires_in: Type.Integer({ description: 'Seconds until the token expires' }),
  scope: Type.String({ description: 'The scopes granted, space-separated' }),
});

const OAuthErrorResponse = Type.Object(
  {
    error: Type.String({
      description:
        'invalid_request, invalid_client, invalid_grant, unauthorized_client, unsupported_grant_type or invalid_scope',
    }),
    error_description: Type.String(),
  },
  { description: 'An error as RFC 6749 section 5.2 defines it' },
);

/** `Authorization: Basic` credentials: each part is form-urlencoded first (RFC 6749 section 2.3.1). */
function basicCredentials(
  header: string | undefined,
): { clientId: string; secret: string } | null | 'malformed' {
  const match = /^basic\s+(\S+)\s*$/i.exec(header?.trim() ?? '');
  if (!match) return header && /^basic\b/i.test(header.trim()) ? 'malformed' : null;
  const decoded = Buffer.from(match[1] ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 1) return 'malformed';
  try {
    const formDecode = (part: string) => decodeURIComponent(part.replaceAll('+', ' '));
    return { clientId: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
  } catch {
    return 'malformed';
  }
}

/** 401 says how to authenticate (RFC 6749 section 5.2: invalid_client). */
function sendOAuthError(reply: FastifyReply, error: OAuthError) {
  if (error.status === 401) reply.header('www-authenticate', 'Basic realm="WhatMatters", charset="UTF-8"');
  return reply.code(error.status).send({ error: error.error, error_description: error.message });
}

/**
 * The OAuth 2 token endpoint for systems (client credentials grant, RFC 6749 section 4.4). Token
 * requests carry no cookies, so no CSRF token either (`csrfExempt`). Answers are never cached.
 */
export async function oauthApiRoutes(parent: FastifyInstance, opts: { services: Services }) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { apiClients } = opts.services;

  app.post(
    '/oauth/token',
    {
      config: { access: 'public', csrfExempt: true },
      schema: {
        tags: ['oauth'],
        summary: 'Get an access token for a system (OAuth 2 client credentials)',
        description:
          'Send `grant_type=client_credentials` as application/x-www-form-urlencoded, with the client id and ' +
          'secret as HTTP Basic authentication (or as client_id and client_secret in the body). The access token ' +
          `lasts ${ACCESS_TOKEN_LIFETIME_SECONDS / 60} minutes; send it as \`Authorization: Bearer <token>\`. ` +
          `Scopes: ${Object.entries(API_SCOPES)
            .map(([scope, what]) => `${scope} (${what})`)
            .join('; ')}. Errors follow RFC 6749 section 5.2.`,
        consumes: ['application/x-www-form-urlencoded'],
        body: TokenRequest,
        response: { 200: TokenResponse, 400: OAuthErrorResponse, 401: OAuthErrorResponse },
      },
      // Whatever refuses the request before the handler (a body that cannot be parsed, a NUL in a
      // field, a failed validation) answers as RFC 6749 says, not with a problem document.
      errorHandler: (error, _request, reply) => {
        if (error instanceof OAuthError) return sendOAuthError(reply, error);
        const status = (error as { statusCode?: number }).statusCode ?? (error as { status?: number }).status;
        if (status === 400 || status === 415) {
          return sendOAuthError(
            reply,
            new OAuthError(
              'invalid_request',
              'The token request could not be read: send grant_type and the client credentials as application/x-www-form-urlencoded.',
            ),
          );
        }
        throw error;
      },
      // Before validation, so a body of the wrong kind gets an OAuth error rather than a problem document.
      preValidation: async (request, reply) => {
        reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
        if (!FORM_TYPE.test(request.headers['content-type'] ?? '')) {
          return sendOAuthError(
            reply,
            new OAuthError('invalid_request', 'Send the token request as application/x-www-form-urlencoded.'),
          );
        }
      },
    },
    async (request, reply) => {
      const form = request.body;
      const basic = basicCredentials(request.headers.authorization);
      try {
        const single = (name: string): string | undefined => {
          const value = form[name];
          if (Array.isArray(value))
            throw new OAuthError('invalid_request', `${name} is given more than once.`);
          return value === '' ? undefined : value;
        };
        const grantType = single('grant_type');
        if (!grantType) throw new OAuthError('invalid_request', 'grant_type is required.');
        if (grantType !== 'client_credentials') {
          throw new OAuthError('unsupported_grant_type', 'Only grant_type=client_credentials is supported.');
        }
        const bodyId = single('client_id');
        const bodySecret = single('client_secret');
        const scope = single('scope');
        if (basic === 'malformed') {
          throw new OAuthError('invalid_client', 'The Basic authorization header is malformed.');
        }
        if (basic && (bodySecret !== undefined || (bodyId !== undefined && bodyId !== basic.clientId))) {
          throw new OAuthError(
            'invalid_request',
            'Authenticate the client one way only: HTTP Basic or client_id and client_secret in the body.',
          );
        }
        const clientId = basic?.clientId ?? bodyId;
        const secret = basic?.secret ?? bodySecret;
        if (!clientId || !secret) {
          throw new OAuthError(
            'invalid_client',
            'Client authentication is required: HTTP Basic, or client_id and client_secret in the body.',
          );
        }
        const token = await apiClients.issueToken(clientId, secret, scope, request.ip);
        return {
          access_token: token.accessToken,
          token_type: token.tokenType,
          expires_in: token.expiresIn,
          scope: token.scope,
        };
      } catch (error) {
        if (error instanceof OAuthError) return sendOAuthError(reply, error);
        throw error;
      }
    },
  );
}
