import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { hasRole } from '../../domain/actor.js';
import {
  CATEGORY_LABELS,
  type FrameworkDefinition,
  frameworkProblems,
  OUTCOME_CATEGORIES,
  type OutcomeCategory,
} from '../../domain/outcome-frameworks.js';
import { requireActor } from '../../http/request-actor.js';
import type { Services } from '../../services/index.js';
import {
  type FieldError,
  type FormBody,
  FormBodySchema,
  renderWithErrors,
  serviceFieldErrors,
  text,
} from '../../web/forms.js';
import type { Framework } from './service.js';

const lines = (value: string) =>
  value
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

const categoryByLabel = new Map(
  OUTCOME_CATEGORIES.flatMap((c) => [
    [c, c],
    [CATEGORY_LABELS[c].toLowerCase(), c],
  ]),
);

/** "Category | Name | Description" per line, as a person can type and read it. */
export function parseDomainLines(value: string): {
  domains: FrameworkDefinition['domains'];
  problems: string[];
} {
  const problems: string[] = [];
  const domains = lines(value).flatMap((line, i) => {
    const [category = '', name = '', description = ''] = line.split('|').map((part) => part.trim());
    const known = categoryByLabel.get(category.toLowerCase()) as OutcomeCategory | undefined;
    if (!known) {
      problems.push(
        `Line ${i + 1}: "${category}" is not a category (use one of: ${Object.values(CATEGORY_LABELS).join(', ')})`,
      );
      return [];
    }
    if (!name) {
      problems.push(`Line ${i + 1}: give the domain a name after the first |`);
      return [];
    }
    const code = name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '');
    return [{ code, name, description, category: known }];
  });
  return { domains, problems };
}

function domainLines(framework: Framework): string {
  return framework.domains
    .map((d) => `${CATEGORY_LABELS[d.category]} | ${d.name} | ${d.description}`)
    .join('\n');
}

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
    async (request, reply) =>
      reply.page('frameworks', {
        pageTitle: 'Outcomes frameworks',
        frameworks: await frameworks.list(),
        categoryLabels: CATEGORY_LABELS,
        isAdmin: hasRole(requireActor(request), 'admin'),
        added: request.query.added ?? null,
      }),
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
      const all = await frameworks.list();
      const nextVersion = from
        ? Math.max(...all.filter((f) => f.key === from.key).map((f) => f.version)) + 1
        : 1;
      return form(
        reply,
        from
          ? {
              key: from.key,
              version: String(nextVersion),
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
      const body: FormBody = request.body;
      const values = Object.fromEntries(
        ['key', 'version', 'name', 'description', 'labels', 'domains'].map((k) => [k, text(body, k)]),
      );
      const { domains, problems } = parseDomainLines(values.domains ?? '');
      const definition: FrameworkDefinition = {
        key: values.key ?? '',
        version: Number(values.version),
        name: values.name ?? '',
        description: values.description ?? '',
        ratingScale: { labels: lines(values.labels ?? '') },
        domains,
      };
      const errors: FieldError[] = [
        ...problems.map((message) => ({ field: 'domains', message })),
        ...frameworkProblems(definition).map((message) => ({ field: fieldOf(message), message })),
      ];
      if (errors.length) return form(reply, values, errors);
      try {
        await frameworks.add(requireActor(request), definition);
      } catch (error) {
        return form(reply, values, serviceFieldErrors(error, 'key'));
      }
      return reply.redirect(
        `/frameworks?added=${encodeURIComponent(`${definition.name}, version ${definition.version}`)}`,
        303,
      );
    },
  );
}

/** Points a framework problem at the form field it is about. */
function fieldOf(message: string): string {
  const m = message.toLowerCase();
  if (m.includes('version')) return 'version';
  if (m.includes('key')) return 'key';
  if (m.includes('label') || m.includes('scale')) return 'labels';
  if (m.includes('domain')) return 'domains';
  if (m.includes('name')) return 'name';
  return 'key';
}
