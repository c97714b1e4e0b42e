import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { hasRole } from '../../domain/actor.js';
import { CATEGORY_LABELS } from '../../domain/outcome-frameworks.js';
import { requireActor } from '../../http/request-actor.js';
import type { Services } from '../../services/index.js';
import { type FieldError, FormBodySchema, renderWithErrors } from '../../web/forms.js';
import { domainLines, frameworkFormErrors, frameworkFrom } from './form.js';

/** Outcomes frameworks: everyone signed in can read them; admins add frameworks and new versions. */
export async function frameworkPages(parent: FastifyInstance, opts: { services: Services }) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { frameworks } = opts.services;

  app.get(
    '/frameworks',
    {
      config: { access: 'signed-in', page: true },
      schema: {
        hide: true,
        querystring: Type.Object({ added: Type.Optional(Type.String({ maxLength: 200 })) }),
      },
    },
    async (request, reply) => {
      const all = await frameworks.list();
      // The banner names a framework from the list itself: the address only says which one, so
      // no text in a link can appear as a message from the service.
      const added = all.find((f) => f.frameworkId === request.query.added);
      return reply.page('frameworks', {
        pageTitle: 'Outcomes frameworks',
        frameworks: all,
        categoryLabels: CATEGORY_LABELS,
        isAdmin: hasRole(requireActor(request), 'admin'),
        added: added ? `${added.name}, version ${added.version}` : null,
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
}
