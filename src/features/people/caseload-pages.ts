import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { hasRole } from '../../domain/actor.js';
import { todayIso } from '../../domain/calendar.js';
import { ETHNIC_CATEGORIES, SEX_LABELS, SEXES } from '../../domain/demographics.js';
import { CARE_STAFF } from '../../domain/route-access.js';
import { requireActor } from '../../http/request-actor.js';
import type { Services } from '../../services/index.js';
import { type FieldError, FormBodySchema, renderWithErrors, text } from '../../web/forms.js';
import { errorsOnForm, registerPersonForm } from './form.js';

export async function caseloadPages(parent: FastifyInstance, opts: { services: Services }) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { people } = opts.services;

  app.get(
    '/caseload',
    {
      config: { access: CARE_STAFF, page: true },
      schema: {
        hide: true,
        querystring: Type.Object({
          search: Type.Optional(Type.String({ maxLength: 200 })),
          overdue: Type.Optional(Type.String({ maxLength: 10 })),
          noPlan: Type.Optional(Type.String({ maxLength: 10 })),
          page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
        }),
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { search, overdue, noPlan, page } = request.query;
      const caseload = await people.caseload(actor, {
        search,
        overdueOnly: Boolean(overdue),
        noPlanOnly: Boolean(noPlan),
        page,
        today: todayIso(),
      });
      const pages = Math.max(1, Math.ceil(caseload.total / caseload.pageSize));
      const query = (p: number) =>
        `/caseload?${new URLSearchParams({
          ...(search ? { search } : {}),
          ...(overdue ? { overdue: 'on' } : {}),
          ...(noPlan ? { noPlan: 'on' } : {}),
          page: String(p),
        })}`;
      return reply.page('caseload', {
        pageTitle: 'Your caseload',
        caseload,
        filters: { search: search ?? '', overdue: Boolean(overdue), noPlan: Boolean(noPlan) },
        isManager: hasRole(actor, 'team-manager'),
        pagination: {
          pages,
          previous: caseload.page > 1 ? query(caseload.page - 1) : null,
          next: caseload.page < pages ? query(caseload.page + 1) : null,
        },
      });
    },
  );

  const registerPage = (values: Record<string, unknown>) => ({
    pageTitle: 'Register a person',
    values,
    sexes: SEXES.map((s) => ({ value: s, text: SEX_LABELS[s] })),
    ethnicCategories: ETHNIC_CATEGORIES,
  });

  app.get(
    '/people/new',
    { config: { access: CARE_STAFF, page: true }, schema: { hide: true } },
    async (_request, reply) => renderWithErrors(reply, 'person-new', registerPage({}), []),
  );

  app.post(
    '/people/new',
    { config: { access: CARE_STAFF, page: true }, schema: { hide: true, body: FormBodySchema } },
    async (request, reply) => {
      const body = request.body;
      let errors: FieldError[];
      try {
        const personId = await people.register(requireActor(request), registerPersonForm.input(body));
        return reply.redirect(`/people/${personId}?registered=1`, 303);
      } catch (error) {
        errors = errorsOnForm(error, registerPersonForm.mapping);
      }
      // Shown again as typed.
      const values = Object.fromEntries(Object.keys(body).map((k) => [k, text(body, k)]));
      return renderWithErrors(reply, 'person-new', registerPage(values), errors);
    },
  );
}
