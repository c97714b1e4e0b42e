import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { describeAccess } from '../../domain/route-access.js';
import { SHARED_SCHEMAS } from '../schemas.js';

/**
 * A copy of a schema without the contracts' own `errorMessage` keyword (services/contract.ts), which
 * OpenAPI does not allow. The message is for people filling in a form and the API answers with it;
 * the document describes the rule itself (pattern, lengths).
 */
function withoutErrorMessages(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutErrorMessages);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== 'errorMessage')
      .map(([key, inner]) => [key, withoutErrorMessages(inner)]),
  );
}

/**
 * OpenAPI 3 from the same TypeBox schemas that validate requests. Each operation's description
 * says who may call it. The document is at /api/openapi.json; /api/docs shows it as a page.
 */
export const openApi = fp(
  async (app: FastifyInstance, opts: { version: string }) => {
    for (const schema of SHARED_SCHEMAS) app.addSchema(schema);
    await app.register(swagger, {
      openapi: {
        openapi: '3.0.3',
        info: {
          title: 'WhatMatters API',
          version: opts.version,
          description:
            'Person-centred outcomes for health and social care. Errors are application/problem+json (RFC 9457). ' +
            'Browser sessions use the session cookie set at sign-in.',
        },
        components: {
          securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'wm_session' } },
        },
      },
      hideUntagged: false,
      transform: ({ schema, url, route }) => {
        const access = route.config?.access;
        if (!access || schema?.hide) return { schema, url };
        const who = `Who may call this: ${describeAccess(access)}`;
        return {
          schema: {
            ...(withoutErrorMessages(schema) as typeof schema),
            description: schema?.description ? `${schema.description}\n\n${who}` : who,
            ...(access === 'public' ? {} : { security: [{ session: [] }] }),
          },
          url,
        };
      },
    });
    app.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () =>
      app.swagger(),
    );
  },
  { name: 'openapi' },
);
