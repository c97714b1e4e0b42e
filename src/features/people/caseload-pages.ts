import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { type Actor, hasRole } from '../../domain/actor.js';
import { todayIso } from '../../domain/calendar.js';
import { ETHNIC_CATEGORIES, SEX_LABELS, SEXES } from '../../domain/demographics.js';
import { REVIEW_STATUSES, type ReviewStatus } from '../../domain/review-status.js';
import { CARE_STAFF } from '../../domain/route-access.js';
import { requireActor } from '../../http/request-actor.js';
import { PersonParams } from '../../http/schemas.js';
import { invalid } from '../../services/errors.js';
import type { Services } from '../../services/index.js';
import {
  type FieldError,
  FormBodySchema,
  renderWithErrors,
  serviceFieldErrors,
  text,
} from '../../web/forms.js';
import { errorsOnForm, registerPersonForm } from './form.js';
import { PossiblyRegistered } from './service.js';

/** Only team managers give a person in their team's care a different named worker. */
const TEAM_MANAGERS = { roles: ['team-manager'] } as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The review filter's choices, in the words the caseload's tags use. */
const REVIEW_FILTER_LABELS: Record<ReviewStatus, string> = {
  overdue: 'Overdue',
  'due-soon': 'Due in the next 2 weeks',
  scheduled: 'Booked, not due yet',
  'not-set': 'No review date',
};

export async function caseloadPages(parent: FastifyInstance, opts: { services: Services }) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { people } = opts.services;
  // Overdue and due measures of the people on the page, for their tags (features/measures).
  const measureFlagsOf = async (actor: Actor, entries: readonly { personId: string }[]) =>
    Object.fromEntries(
      await opts.services.measures.dueInCaseload(
        actor,
        entries.map((e) => e.personId),
        todayIso(),
      ),
    );

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
          measureOverdue: Type.Optional(Type.String({ maxLength: 10 })),
          worker: Type.Optional(Type.String({ maxLength: 40 })),
          review: Type.Optional(Type.String({ maxLength: 20 })),
          page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
        }),
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      // A team manager sees the caseload of the teams they manage, with who is named for whom.
      if (hasRole(actor, 'team-manager')) return teamCaseloadPage(reply, actor, request.query);
      const { search, overdue, noPlan, measureOverdue, page } = request.query;
      const caseload = await people.caseload(actor, {
        search,
        overdueOnly: Boolean(overdue),
        noPlanOnly: Boolean(noPlan),
        measureOverdueOnly: Boolean(measureOverdue),
        page,
        today: todayIso(),
      });
      const pages = Math.max(1, Math.ceil(caseload.total / caseload.pageSize));
      const query = (p: number) =>
        `/caseload?${new URLSearchParams({
          ...(search ? { search } : {}),
          ...(overdue ? { overdue: 'on' } : {}),
          ...(noPlan ? { noPlan: 'on' } : {}),
          ...(measureOverdue ? { measureOverdue: 'on' } : {}),
          page: String(p),
        })}`;
      return reply.page('caseload', {
        pageTitle: 'Your caseload',
        caseload,
        measureFlags: await measureFlagsOf(actor, caseload.entries),
        filters: {
          search: search ?? '',
          overdue: Boolean(overdue),
          noPlan: Boolean(noPlan),
          measureOverdue: Boolean(measureOverdue),
        },
        isManager: hasRole(actor, 'team-manager'),
        pagination: {
          pages,
          previous: caseload.page > 1 ? query(caseload.page - 1) : null,
          next: caseload.page < pages ? query(caseload.page + 1) : null,
        },
      });
    },
  );

  /** The team caseload: filters read leniently (an unknown value is no filter), as a search box is. */
  async function teamCaseloadPage(
    reply: FastifyReply,
    actor: Actor,
    query: {
      search?: string;
      noPlan?: string;
      measureOverdue?: string;
      worker?: string;
      review?: string;
      page?: number;
    },
  ) {
    const worker = query.worker === 'none' || UUID.test(query.worker ?? '') ? query.worker : undefined;
    const review = REVIEW_STATUSES.find((r) => r === query.review);
    const filters = {
      search: query.search ?? '',
      worker: worker ?? '',
      review: review ?? '',
      noPlan: Boolean(query.noPlan),
      measureOverdue: Boolean(query.measureOverdue),
    };
    const caseload = await people.teamCaseload(actor, {
      search: query.search,
      worker,
      review,
      noPlanOnly: filters.noPlan,
      measureOverdueOnly: filters.measureOverdue,
      page: query.page,
      today: todayIso(),
    });
    const pages = Math.max(1, Math.ceil(caseload.total / caseload.pageSize));
    const href = (changes: Record<string, string>) => {
      const params = new URLSearchParams(
        Object.entries({
          search: filters.search,
          worker: filters.worker,
          review: filters.review,
          noPlan: filters.noPlan ? 'on' : '',
          measureOverdue: filters.measureOverdue ? 'on' : '',
          ...changes,
        }).filter(([, v]) => v !== ''),
      );
      const text = params.toString();
      return text ? `/caseload?${text}` : '/caseload';
    };
    const teamNames = caseload.teams.map((t) => t.name);
    return reply.page('caseload', {
      measureFlags: await measureFlagsOf(actor, caseload.entries),
      pageTitle: teamNames.length === 1 ? `${teamNames[0]}: caseload` : 'Your teams’ caseload',
      team: {
        names: teamNames,
        total: caseload.teamTotal,
        unallocated: caseload.unallocated,
        workers: caseload.workers.map((w) => ({ ...w, href: href({ worker: w.userId, page: '' }) })),
        unallocatedHref: href({ worker: 'none', page: '' }),
        workerItems: [
          { value: '', text: 'Everyone' },
          ...caseload.workers.map((w) => ({ value: w.userId, text: w.name, selected: w.userId === worker })),
          { value: 'none', text: 'No named worker', selected: worker === 'none' },
        ],
        reviewItems: [
          { value: '', text: 'Any' },
          ...REVIEW_STATUSES.map((r) => ({
            value: r,
            text: REVIEW_FILTER_LABELS[r],
            selected: r === review,
          })),
        ],
      },
      caseload,
      filters,
      filtered: Boolean(
        filters.search || filters.worker || filters.review || filters.noPlan || filters.measureOverdue,
      ),
      isManager: true,
      pagination: {
        pages,
        previous: caseload.page > 1 ? href({ page: String(caseload.page - 1) }) : null,
        next: caseload.page < pages ? href({ page: String(caseload.page + 1) }) : null,
      },
    });
  }

  const reallocatePage = async (
    reply: FastifyReply,
    actor: Actor,
    personId: string,
    values: Record<string, unknown>,
    errors: FieldError[],
    done = false,
  ) => {
    const choices = await people.reallocationChoices(actor, personId);
    const current = choices.current.map((c) => c.name);
    return renderWithErrors(
      reply,
      'caseload-reallocate',
      {
        pageTitle: done
          ? `${choices.personName} has a new named worker`
          : `Change ${choices.personName}’s named worker`,
        done,
        choices,
        current,
        staffItems: choices.staff.map((s) => ({
          value: s.userId,
          text: s.name,
          hint: s.jobTitle ? { text: s.jobTitle } : undefined,
        })),
        values,
      },
      errors,
    );
  };

  app.get(
    '/people/:personId/reallocate',
    {
      config: { access: TEAM_MANAGERS, page: true },
      schema: {
        hide: true,
        params: PersonParams,
        querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 10 })) }),
      },
    },
    async (request, reply) =>
      reallocatePage(
        reply,
        requireActor(request),
        request.params.personId,
        {},
        [],
        Boolean(request.query.done),
      ),
  );

  app.post(
    '/people/:personId/reallocate',
    {
      config: { access: TEAM_MANAGERS, page: true },
      schema: { hide: true, params: PersonParams, body: FormBodySchema },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { personId } = request.params;
      const toUserId = text(request.body, 'toUserId');
      let errors: FieldError[];
      try {
        if (!toUserId) throw invalid('Choose who their named worker will be.', 'toUserId');
        if (!UUID.test(toUserId)) throw invalid('Choose someone from the list.', 'toUserId');
        await people.reallocate(actor, personId, { toUserId });
        return reply.redirect(`/people/${personId}/reallocate?done=1`, 303);
      } catch (error) {
        errors = serviceFieldErrors(error, 'toUserId');
      }
      return reallocatePage(reply, actor, personId, { toUserId }, errors);
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
      let possibleRecords: { personId: string; name: string }[] = [];
      try {
        const personId = await people.register(requireActor(request), registerPersonForm.input(body));
        return reply.redirect(`/people/${personId}?registered=1`, 303);
      } catch (error) {
        errors = errorsOnForm(error, registerPersonForm.mapping);
        if (error instanceof PossiblyRegistered) possibleRecords = error.records;
      }
      // Shown again as typed.
      const values = Object.fromEntries(Object.keys(body).map((k) => [k, text(body, k)]));
      return renderWithErrors(reply, 'person-new', { ...registerPage(values), possibleRecords }, errors);
    },
  );
}
