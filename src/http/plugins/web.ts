import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Actor } from '../../domain/actor.js';
import { ROLE_LABELS } from '../../domain/roles.js';
import type { Access } from '../../domain/route-access.js';
import { compiledStylesheet, NHSUK_ASSETS, NHSUK_SCRIPT, PUBLIC_DIR } from '../../web/assets.js';
import { homeTasksFor, navigationFor } from '../../web/navigation.js';
import { createViewEnvironment } from '../../web/render.js';
import { csrfBinding } from './security.js';

/**
 * Server-rendered pages: the view environment, `reply.page()`, and the stylesheet, script and
 * images, all served from this process (nothing from a CDN).
 */
export const web = fp(
  async (app: FastifyInstance) => {
    const env = createViewEnvironment();
    const css = compiledStylesheet();
    // Each page route's declared access, so the header offers exactly the pages a user may open.
    const pageAccess = new Map<string, Access>();
    app.addHook('onRoute', (route) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      const access = (route.config as { access?: Access } | undefined)?.access;
      if (methods.includes('GET') && access) pageAccess.set(route.url, access);
    });

    const render = (
      request: FastifyRequest,
      actor: Actor | null,
      view: string,
      context: Record<string, unknown>,
      form: { csrfToken: string; cspNonce: string | undefined },
    ) =>
      env.render(`${view}.njk`, {
        ...context,
        actor,
        roleLabels: ROLE_LABELS,
        ...form,
        navigation: navigationFor(actor, request.url, (href) => pageAccess.get(href)),
        homeTasks: actor && view === 'home' ? homeTasksFor(actor, (href) => pageAccess.get(href)) : [],
        currentPath: request.url,
      });

    app.decorateReply(
      'page',
      function (this: FastifyReply, view: string, context: Record<string, unknown> = {}) {
        const request = this.request;
        const html = render(request, request.actor, view, context, {
          csrfToken: this.generateCsrf({ userInfo: csrfBinding(request) }),
          cspNonce: this.cspNonce?.script,
        });
        return this.type('text/html; charset=utf-8').send(html);
      },
    );
    // The router's refusals reach no hook and get a bare reply, without `page` (see routerErrors):
    // their page is rendered signed out, with no form token, as no cookie was read.
    app.decorate(
      'signedOutPage',
      (request: FastifyRequest, view: string, context: Record<string, unknown> = {}) =>
        render(request, null, view, context, { csrfToken: '', cspNonce: undefined }),
    );

    const assetConfig = { access: 'public' as const };
    app.get('/assets/app.css', { config: assetConfig, schema: { hide: true } }, (_request, reply) =>
      reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(css),
    );
    app.get(
      '/assets/nhsuk-frontend.min.js',
      { config: assetConfig, schema: { hide: true } },
      (_request, reply) =>
        reply.sendFile('nhsuk-frontend.min.js', NHSUK_SCRIPT.replace(/nhsuk-frontend\.min\.js$/, '')),
    );
    await app.register(fastifyStatic, {
      root: NHSUK_ASSETS,
      prefix: '/assets/',
      decorateReply: true,
      index: false,
      maxAge: 3_600_000,
      schemaHide: true,
    });
    // Browsers ask for /favicon.ico whatever the page links to (feed readers, bookmarks, tabs
    // opened on a PDF): the NHS icon the pages link to, rather than a 404 in every log.
    app.get('/favicon.ico', { config: assetConfig, schema: { hide: true } }, (_request, reply) =>
      reply.header('cache-control', 'public, max-age=86400').sendFile('images/favicon.ico', NHSUK_ASSETS),
    );
    await app.register(fastifyStatic, {
      root: PUBLIC_DIR,
      prefix: '/static/',
      decorateReply: false,
      index: false,
      schemaHide: true,
    });
  },
  { name: 'web', dependencies: ['@fastify/csrf-protection'] },
);
