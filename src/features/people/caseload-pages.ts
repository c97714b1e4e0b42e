import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { hasRole } from '../../domain/actor.js';
import { todayIso } from '../../domain/calendar.js';
import { ETHNIC_CATEGORIES, SEX_LABELS, SEXES } from '../../domain/demographics.js';
import { CARE_STAFF } from '../../domain/route-access.js';
import { requireActor } from '../../http/request-actor.js';
import type { Services } from '../../services/index.js';
import {
  dateInput,
  type FieldError,
  FormBodySchema,
  renderWithErrors,
  serviceFieldErrors,
  text,
} from '../../web/forms.js';

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
      const { search, overdue, noPlan, page } = request.query;
      const caseload = await people.caseload(requireActor(request), {
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
        isManager: hasRole(requireActor(request), 'team-manager'),
        pagination: {
          pages,
          previous: caseload.page > 1 ? query(caseload.page - 1) : null,
          next: caseload.page < pages ? query(caseload.page + 1) : null,
        },
      });
    },
  );

  const registerContext = (values: Record<string, unknown>) => ({
    pageTitle: 'Register a person',
    values,
    sexes: SEXES.map((s) => ({ value: s, text: SEX_LABELS[s] })),
    ethnicCategories: ETHNIC_CATEGORIES,
  });

  app.get(
    '/people/new',
    { config: { access: CARE_STAFF, page: true }, schema: { hide: true } },
    async (_request, reply) => renderWithErrors(reply, 'person-new', registerContext({}), []),
  );

  app.post(
    '/people/new',
    { config: { access: CARE_STAFF, page: true }, schema: { hide: true, body: FormBodySchema } },
    async (request, reply) => {
      const body = request.body;
      const values = Object.fromEntries(Object.keys(body).map((k) => [k, text(body, k)]));
      const errors: FieldError[] = [];
      if (!text(body, 'givenName')) errors.push({ field: 'givenName', message: 'Enter their first name' });
      if (!text(body, 'familyName')) errors.push({ field: 'familyName', message: 'Enter their last name' });
      const sex = text(body, 'sex');
      if (!(SEXES as readonly string[]).includes(sex))
        errors.push({ field: 'sex', message: 'Select their sex as registered' });
      const dob = dateInput(body, 'dateOfBirth');
      if (dob.error) errors.push({ field: 'dateOfBirth-day', message: `Date of birth ${dob.error}` });
      const ethnic = text(body, 'ethnicCategory');
      if (ethnic && !ETHNIC_CATEGORIES.some((c) => c.code === ethnic)) {
        errors.push({ field: 'ethnicCategory', message: 'Select an ethnic group from the list' });
      }
      const postcode = text(body, 'postcode');
      if (postcode && !/^[A-Za-z]{1,2}\d[A-Za-z\d]? ?\d[A-Za-z]{2}$/.test(postcode)) {
        errors.push({ field: 'postcode', message: 'Enter a real postcode, like RV1 2AB' });
      }
      if (errors.length) return renderWithErrors(reply, 'person-new', registerContext(values), errors);
      try {
        const personId = await people.register(requireActor(request), {
          givenName: text(body, 'givenName'),
          familyName: text(body, 'familyName'),
          preferredName: text(body, 'preferredName') || null,
          dateOfBirth: dob.value,
          nhsNumber: text(body, 'nhsNumber') || null,
          sex: sex as (typeof SEXES)[number],
          ethnicCategory: ethnic || null,
          postcode: postcode || null,
          phone: text(body, 'phone') || null,
          communicationNeeds: text(body, 'communicationNeeds') || null,
        });
        return reply.redirect(`/people/${personId}?registered=1`, 303);
      } catch (error) {
        return renderWithErrors(
          reply,
          'person-new',
          registerContext(values),
          serviceFieldErrors(error, 'givenName'),
        );
      }
    },
  );
}
