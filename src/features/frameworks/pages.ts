import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { hasRole } from '../../domain/actor.js';
import { CATEGORY_LABELS } from '../../domain/outcome-frameworks.js';
import { requireActor } from '../../http/request-actor.js';
import type { Services } from '../../services/index.js';
import { type FieldError, FormBodySchema, renderWithErrors } from '../../web/forms.js';
import { domainLines, frameworkFormErrors, frameworkFrom } from './form.js';
import type { Framework } from './schema.js';

const FrameworkParams = Type.Object({ frameworkId: Type.String({ format: 'uuid' }) });

/**
 * What the banner on the frameworks page says after a change. The address names only the kind of
 * change and the framework; the banner is shown only when the service's own state agrees (a
 * framework said to be retired is retired), so no link can make the service say what is not so.
 */
function bannerFor(
  all: readonly Framework[],
  query: { added?: string; retired?: string; reinstated?: string; default?: string },
): string | null {
  const added = all.find((f) => f.frameworkId === query.added);
  if (added) return `Added ${added.name}, version ${added.version}.`;
  const named = (id: string | undefined) => {
    const framework = all.find((f) => f.frameworkId === id);
    return framework ? all.filter((f) => f.key === framework.key) : [];
  };
  const retired = named(query.retired);
  if (retired[0]?.retired) return `${retired[0].name} is retired: it is no longer offered for new outcomes.`;
  const reinstated = named(query.reinstated);
  if (reinstated[0] && !reinstated[0].retired)
    return `${reinstated[0].name} is offered for new outcomes again.`;
  const madeDefault = named(query.default);
  if (madeDefault.some((f) => f.isDefault)) {
    return `${madeDefault[0]?.name} is now the default: new outcomes are coded with it.`;
  }
  return null;
}

/** Outcomes frameworks: everyone signed in can read them; admins add, retire and choose the default. */
export async function frameworkPages(parent: FastifyInstance, opts: { services: Services }) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { frameworks } = opts.services;

  const Changed = Type.Optional(Type.String({ maxLength: 200 }));
  app.get(
    '/frameworks',
    {
      config: { access: 'signed-in', page: true },
      schema: {
        hide: true,
        querystring: Type.Object({ added: Changed, retired: Changed, reinstated: Changed, default: Changed }),
      },
    },
    async (request, reply) => {
      const all = await frameworks.list();
      const latestIds = new Set<string>();
      const keys = new Set<string>();
      for (const f of all) if (!keys.has(f.key)) keys.add(f.key) && latestIds.add(f.frameworkId);
      const defaultKey = all.find((f) => f.isDefault)?.key;
      return reply.page('frameworks', {
        pageTitle: 'Outcomes frameworks',
        frameworks: all.map((f) => ({
          ...f,
          latest: latestIds.has(f.frameworkId),
          isDefaultFramework: f.key === defaultKey,
        })),
        categoryLabels: CATEGORY_LABELS,
        isAdmin: hasRole(requireActor(request), 'admin'),
        banner: bannerFor(all, request.query),
      });
    },
  );

  const form = (reply: FastifyReply, values: Record<string, string>, errors: FieldError[]) =>
    renderWithErrors(
      reply,
      'framework-new',
      {
        pageTitle: 'Add an outcomes framework or version',
        values,
        categoryLabels: Object.values(CATEGORY_LABELS),
      },
      errors,
    );

  app.get(
    '/frameworks/new',
    {
      config: { access: { roles: ['admin'] }, page: true },
      schema: {
        hide: true,
        querystring: Type.Object({ from: Type.Optional(Type.String({ format: 'uuid' })) }),
      },
    },
    async (request, reply) => {
      const from = request.query.from ? await frameworks.get(request.query.from) : null;
      return form(
        reply,
        from
          ? {
              key: from.key,
              version: String(await frameworks.nextVersion(from.key)),
              name: from.name,
              description: from.description,
              labels: from.ratingLabels.join('\n'),
              domains: domainLines(from),
            }
          : { version: '1', labels: 'Not at all\nA little\nMostly\nFully' },
        [],
      );
    },
  );

  app.post(
    '/frameworks/new',
    { config: { access: { roles: ['admin'] }, page: true }, schema: { hide: true, body: FormBodySchema } },
    async (request, reply) => {
      const { values, input, unreadable } = frameworkFrom(request.body);
      // Lines that are not domains cannot be sent: the framework would be saved without them.
      if (unreadable.length) return form(reply, values, unreadable);
      let added: { frameworkId: string };
      try {
        added = await frameworks.add(requireActor(request), input);
      } catch (error) {
        return form(reply, values, frameworkFormErrors(error));
      }
      return reply.redirect(`/frameworks?added=${encodeURIComponent(added.frameworkId)}`, 303);
    },
  );

  // Retiring asks first: it changes what every practitioner is offered.
  app.get(
    '/frameworks/:frameworkId/retire',
    {
      config: { access: { roles: ['admin'] }, page: true },
      schema: { hide: true, params: FrameworkParams },
    },
    async (request, reply) => {
      const framework = await frameworks.get(request.params.frameworkId);
      const all = await frameworks.list();
      return reply.page('framework-retire', {
        pageTitle: `Retire ${framework.name}`,
        framework,
        isDefault: all.some((f) => f.key === framework.key && f.isDefault),
      });
    },
  );

  app.post(
    '/frameworks/:frameworkId/retire',
    {
      config: { access: { roles: ['admin'] }, page: true },
      schema: { hide: true, params: FrameworkParams, body: FormBodySchema },
    },
    async (request, reply) => {
      const framework = await frameworks.get(request.params.frameworkId);
      const retired = await frameworks.retire(requireActor(request), framework.key);
      return reply.redirect(`/frameworks?retired=${retired.frameworkId}`, 303);
    },
  );

  app.post(
    '/frameworks/:frameworkId/reinstate',
    {
      config: { access: { roles: ['admin'] }, page: true },
      schema: { hide: true, params: FrameworkParams, body: FormBodySchema },
    },
    async (request, reply) => {
      const framework = await frameworks.get(request.params.frameworkId);
      const back = await frameworks.reinstate(requireActor(request), framework.key);
      return reply.redirect(`/frameworks?reinstated=${back.frameworkId}`, 303);
    },
  );

  app.post(
    '/frameworks/:frameworkId/default',
    {
      config: { access: { roles: ['admin'] }, page: true },
      schema: { hide: true, params: FrameworkParams, body: FormBodySchema },
    },
    async (request, reply) => {
      const framework = await frameworks.get(request.params.frameworkId);
      const made = await frameworks.makeDefault(requireActor(request), framework.key);
      return reply.redirect(`/frameworks?default=${made.frameworkId}`, 303);
    },
  );
}
