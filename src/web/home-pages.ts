import type { FastifyInstance } from 'fastify';
import type { Services } from '../services/index.js';

export async function homePages(app: FastifyInstance, opts: { services: Services }) {
  app.get(
    '/',
    { config: { access: 'public', page: true }, schema: { hide: true } },
    async (request, reply) => {
      const actor = request.actor;
      return reply.page('home', {
        pageTitle: 'WhatMatters',
        demo: actor ? null : await opts.services.demoData.demoInfo(),
      });
    },
  );

  app.get(
    '/account',
    { config: { access: 'signed-in', page: true }, schema: { hide: true } },
    async (request, reply) =>
      reply.page('account', {
        pageTitle: 'Your account',
        passwordChanged: (request.query as Record<string, unknown>).changed === 'password',
      }),
  );
}
