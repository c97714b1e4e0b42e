import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { describeAccess } from '../../domain/route-access.js';
import { SHARED_SCHEMAS } from '../schemas.js';

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
            ...schema,
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
