import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Actor } from '../../domain/actor.js';
import { REFERRAL_RECEIVER_ROLES } from '../../domain/community/referral-access.js';
import {
  ATTENDANCE_OUTCOME_LABELS,
  ATTENDANCE_OUTCOMES,
  DECLINE_REASON_LABELS,
  DECLINE_REASONS,
  MAX_REFERRAL_REASON,
  reasonFromGoal,
} from '../../domain/community/referrals.js';
import { milesText } from '../../domain/community/search.js';
import { NEED_LABELS, NEEDS, RESOURCE_KIND_LABELS } from '../../domain/community/vocabulary.js';
import type { RelationKind } from '../../domain/record-access.js';
import { requireActor } from '../../http/request-actor.js';
import { PersonParams } from '../../http/schemas.js';
import { notFound } from '../../services/errors.js';
import type { Services } from '../../services/index.js';
import {
  dateFields,
  type FieldError,
  type FormBody,
  FormBodySchema,
  formErrors,
  renderWithErrors,
  text,
} from '../../web/forms.js';
import { resultPages, searchFieldOf, searchInputOf, sessionLines } from '../community/search-pages.js';
import type { CommunitySearchInput } from '../community/search-schema.js';
import { errorsOnForm, type MappedForm } from '../outcomes/form.js';
import type { AccessGrant } from '../record-access/person-access.js';
import { attendanceFromForm, closeFromForm, makeReferralFromForm, respondFromForm } from './form.js';
import { ReferralParams } from './schema.js';
import type { ReceivedReferral, ReferralForm } from './service.js';
import { findSupportHref, receivedHref, referralFormHref, referralView, type SupportFor } from './view.js';

const personOrCarer = { roles: ['person', 'carer'] } as const;
/** Everyone who may add to a record; the service decides whose record. */
const contributors = { roles: ['person', 'carer', 'practitioner', 'team-manager'] } as const;
/** Staff who may work for an organisation receiving referrals; the service decides which referrals. */
const receivers = { roles: REFERRAL_RECEIVER_ROLES };

const NewReferralQuery = Type.Object({
  resourceId: Type.Optional(Type.String({ maxLength: 100 })),
  kind: Type.Optional(Type.String({ maxLength: 20 })),
  outcomeId: Type.Optional(Type.String({ maxLength: 100 })),
  goalId: Type.Optional(Type.String({ maxLength: 100 })),
});
const ReceivedQuery = Type.Object({ done: Type.Optional(Type.String({ maxLength: 40 })) });

/** Where the reader sees a person's community support after a change: their own list, or the plan. */
function supportPageFor(kind: RelationKind, personId: string, referralId?: string): string {
  const anchor = referralId ? `#referral-${referralId}` : '#community-support';
  return kind === 'self' ? `/my/community-support${anchor}` : `/people/${personId}/plan${anchor}`;
}

/** The radios of a vocabulary, the chosen one checked. */
const radioItems = <T extends string>(values: readonly T[], labels: Record<T, string>, chosen: unknown) =>
  values.map((v) => ({ value: v, text: labels[v], checked: v === chosen }));

/** What the organisation's pages say after each change. */
const DONE: Record<string, string> = {
  accept: 'Referral accepted. The person’s care team can see it.',
  decline: 'Referral declined. The person’s care team can see why.',
  attendance: 'Attendance recorded.',
  end: 'The support was recorded as ended.',
};

export async function communityReferralPages(parent: FastifyInstance, opts: { services: Services }) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { communityReferrals, communitySearch, people } = opts.services;

  /** The page around a record's form: whose record, in whose words, and where "back" is. */
  async function around(actor: Actor, grant: AccessGrant) {
    const { person } = await people.details(actor, grant.personId);
    return {
      person,
      isSelf: grant.viewpoint === 'person',
      backHref: supportPageFor(grant.relation.kind, grant.personId),
    };
  }

  // ——— finding support for one of the person's outcomes ———

  async function findPage(reply: FastifyReply, actor: Actor, personId: string, query: FormBody) {
    const outcomeId = text(query, 'outcomeId') || undefined;
    const goalId = text(query, 'goalId') || undefined;
    const about = { ...(outcomeId ? { outcomeId } : {}), ...(goalId ? { goalId } : {}) };
    const asked = searchInputOf(query) as CommunitySearchInput;
    let errors: FieldError[] = [];
    let found: Awaited<ReturnType<typeof communityReferrals.findSupport>> | null = null;
    try {
      found = await communityReferrals.findSupport(actor, personId, { ...asked, ...about });
    } catch (error) {
      errors = formErrors(error, searchFieldOf('words'));
      // The search as typed was refused: show the person's outcomes with no results.
      found = await communityReferrals.findSupport(actor, personId, about);
      found.answer = { postcode: null, count: 0, page: 1, pageSize: 1, results: [] };
    }
    const context = await around(actor, found.grant);
    const domainGroups = await communitySearch.domainChoices();
    const chosen = found.input;
    return renderWithErrors(
      reply,
      'community-find',
      {
        ...context,
        pageTitle: context.isSelf
          ? 'Find community support'
          : `Find community support with ${context.person.name}`,
        action: findSupportHref(personId, {}, context.isSelf),
        outcome: found.outcome,
        // A plan goal not linked to an outcome: its words are shown, and go on to the referral form.
        goal: found.goal && !found.goal.outcomeId ? found.goal : null,
        outcomeItems: [
          { value: '', text: 'Any of them', selected: !found.outcome },
          ...found.outcomes.map((o) => ({
            value: o.outcomeId,
            text: `“${o.statement}”`,
            selected: o.outcomeId === found?.outcome?.outcomeId,
          })),
        ],
        needItems: [
          { value: '', text: 'Any', selected: !chosen.need },
          ...NEEDS.map((n) => ({ value: n, text: NEED_LABELS[n], selected: n === chosen.need })),
        ],
        domainItems: [
          { value: '', text: 'Any outcome', selected: !chosen.domain },
          ...domainGroups.flatMap((g) =>
            g.domains.map((d) => ({
              value: d.code,
              text: domainGroups.length > 1 ? `${d.name} (${g.framework})` : d.name,
              selected: d.code === chosen.domain,
            })),
          ),
        ],
        values: chosen,
        postcodeUnknown: found.postcodeUnknown,
        answer: {
          ...found.answer,
          ...resultPages(findSupportHref(personId, {}, context.isSelf), { ...asked, ...about }, found.answer),
          results: found.answer.results.map((h) => {
            const choices = found?.choices[h.resource.resourceId] ?? { refer: false, signpost: false };
            // What the referral is for: the outcome chosen (a linked goal's), else the plan goal.
            const forWhat = {
              outcomeId: found?.outcome?.outcomeId,
              goalId: found?.outcome ? undefined : found?.goal?.goalId,
            };
            return {
              ...h.resource,
              kindLabel: RESOURCE_KIND_LABELS[h.resource.kind],
              sessionLines: sessionLines(h.resource.sessions),
              distanceText:
                h.distanceMiles !== null
                  ? `${milesText(h.distanceMiles)} away`
                  : h.resource.online
                    ? 'Online'
                    : null,
              referHref: choices.refer
                ? referralFormHref(personId, h.resource.resourceId, 'referral', forWhat)
                : null,
              signpostHref: choices.signpost
                ? referralFormHref(personId, h.resource.resourceId, 'signpost', forWhat)
                : null,
            };
          }),
        },
      },
      errors,
    );
  }

  app.get(
    '/people/:personId/community-support/find',
    {
      config: { access: contributors, page: true },
      schema: { hide: true, params: PersonParams, querystring: FormBodySchema },
    },
    async (request, reply) => findPage(reply, requireActor(request), request.params.personId, request.query),
  );

  app.get(
    '/my/community-support/find',
    { config: { access: personOrCarer, page: true }, schema: { hide: true, querystring: FormBodySchema } },
    async (request, reply) => {
      const actor = requireActor(request);
      if (!actor.personId) throw notFound('Your record');
      return findPage(reply, actor, actor.personId, request.query);
    },
  );

  // ——— the person's own list ———

  app.get(
    '/my/community-support',
    {
      config: { access: personOrCarer, page: true },
      schema: {
        hide: true,
        querystring: Type.Object({ made: Type.Optional(Type.String({ maxLength: 100 })) }),
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      if (!actor.personId) throw notFound('Your record');
      const personId = actor.personId;
      const referrals = await communityReferrals.list(actor, personId);
      const { person } = await people.details(actor, personId);
      const made = referrals.find((r) => r.referralId === request.query.made);
      return reply.page('my-community-support', {
        pageTitle: 'My community support',
        person,
        referrals: referrals.map((r) => referralView(r, 'person')),
        findHref: '/my/community-support/find',
        made: made ? made.resource.name : null,
      });
    },
  );

  // ——— making a referral or signpost ———

  const makePage = async (
    reply: FastifyReply,
    actor: Actor,
    form: ReferralForm,
    values: Record<string, unknown>,
    errors: FieldError[],
  ) => {
    const context = await around(actor, form.grant);
    const r = form.resource;
    const kindItems = [
      ...(form.choices.refer
        ? [
            {
              value: 'referral',
              text: 'Refer: send their name and contact details, and the group replies',
              checked: values.kind === 'referral',
            },
          ]
        : []),
      ...(form.choices.signpost
        ? [
            {
              value: 'signpost',
              text: context.isSelf
                ? 'Just save the details, I will get in touch myself'
                : 'Give them the details only (signpost): nothing is sent',
              checked: values.kind === 'signpost',
            },
          ]
        : []),
    ];
    const chosenNeeds = (values.needs as string[] | undefined) ?? [];
    return renderWithErrors(
      reply,
      'community-referral-new',
      {
        ...context,
        pageTitle: context.isSelf ? `Refer myself to ${r.name}` : `Refer ${context.person.name} to ${r.name}`,
        resource: {
          ...r,
          kindLabel: RESOURCE_KIND_LABELS[r.kind],
          sessionLines: sessionLines(r.sessions),
        },
        kindItems,
        outcomeItems: [
          ...form.outcomes.map((o) => ({
            value: o.outcomeId,
            text: `“${o.statement}”`,
            checked: o.outcomeId === values.outcomeId,
          })),
          { value: '', text: 'None of these', checked: !values.outcomeId },
        ],
        needItems: NEEDS.map((n) => ({ value: n, text: NEED_LABELS[n], checked: chosenNeeds.includes(n) })),
        maxReason: MAX_REFERRAL_REASON,
        values,
      },
      errors,
    );
  };

  app.get(
    '/people/:personId/community-referrals/new',
    {
      config: { access: contributors, page: true },
      schema: { hide: true, params: PersonParams, querystring: NewReferralQuery },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { resourceId = '', kind, outcomeId, goalId } = request.query;
      if (!/^[0-9a-f-]{36}$/i.test(resourceId)) throw notFound('The directory entry');
      const form = await communityReferrals.makeForm(actor, request.params.personId, resourceId, goalId);
      // Only one of the record's own outcomes (or the plan goal's) is chosen in advance; anything
      // else in the address is ignored.
      const wanted = form.goal?.outcomeId ?? outcomeId;
      const outcome = form.outcomes.find((o) => o.outcomeId === wanted);
      const resourceNeeds = new Set<string>(form.resource.needs);
      return makePage(
        reply,
        actor,
        form,
        {
          resourceId,
          kind: kind === 'referral' || kind === 'signpost' ? kind : '',
          outcomeId: outcome?.outcomeId ?? '',
          // The needs the resource helps with are a starting point; the form asks which are the person's.
          needs: NEEDS.filter((n) => resourceNeeds.has(n) && outcome !== undefined).slice(0, 2),
          // Support found for a plan goal: its words start the reason, for the referrer to read and change.
          reason: form.goal && !outcome ? reasonFromGoal(form.goal.description) : '',
          shareConsent: false,
        },
        [],
      );
    },
  );

  app.post(
    '/people/:personId/community-referrals/new',
    {
      config: { access: contributors, page: true },
      schema: { hide: true, params: PersonParams, body: FormBodySchema },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { personId } = request.params;
      const resourceId = text(request.body, 'resourceId');
      if (!/^[0-9a-f-]{36}$/i.test(resourceId)) throw notFound('The directory entry');
      const form = await communityReferrals.makeForm(actor, personId, resourceId);
      const mapped = makeReferralFromForm(request.body, form.grant.viewpoint);
      try {
        const referralId = await communityReferrals.make(actor, personId, mapped.input);
        const kind = form.grant.relation.kind;
        return reply.redirect(
          kind === 'self'
            ? `/my/community-support?made=${referralId}#referral-${referralId}`
            : supportPageFor(kind, personId, referralId),
          303,
        );
      } catch (error) {
        const errors = errorsOnForm(error, mapped);
        return makePage(reply, actor, form, { ...mapped.input }, errors);
      }
    },
  );

  // ——— the referrer's changes: withdrawing, ending ———

  for (const [path, change] of [
    ['withdrawal', 'withdraw'],
    ['end', 'end'],
  ] as const) {
    app.post(
      `/people/:personId/community-referrals/:referralId/${path}`,
      {
        config: { access: contributors, page: true },
        schema: { hide: true, params: ReferralParams, body: FormBodySchema },
      },
      async (request, reply) => {
        const actor = requireActor(request);
        const { personId, referralId } = request.params;
        const mapped = closeFromForm(request.body);
        // A refusal (a stale version, a status moved on) is not a form to show again: say it on the error page.
        await communityReferrals[change](actor, personId, referralId, mapped.input);
        const self = actor.personId === personId;
        return reply.redirect(
          self
            ? supportPageFor('self', personId, referralId)
            : supportPageFor('care-team', personId, referralId),
          303,
        );
      },
    );
  }

  // ——— attendance at a signposted resource, from the referrer's side ———

  const attendancePage = async (
    reply: FastifyReply,
    actor: Actor,
    found: Awaited<ReturnType<typeof communityReferrals.attendanceForm>>,
    values: Record<string, unknown>,
    errors: FieldError[],
  ) => {
    const context = await around(actor, found.grant);
    const referral = referralView(found.referral, found.grant.viewpoint);
    return renderWithErrors(
      reply,
      'community-attendance-new',
      {
        ...context,
        pageTitle: context.isSelf
          ? `Did you go to ${referral.resource.name}?`
          : `Did ${context.person.givenName} go to ${referral.resource.name}?`,
        referral,
        attendanceItems: radioItems(ATTENDANCE_OUTCOMES, ATTENDANCE_OUTCOME_LABELS, values.outcome),
        values: { attendedOn: dateFields({}, 'attendedOn'), ...values },
      },
      errors,
    );
  };

  app.get(
    '/people/:personId/community-referrals/:referralId/attendance',
    { config: { access: contributors, page: true }, schema: { hide: true, params: ReferralParams } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { personId, referralId } = request.params;
      const found = await communityReferrals.attendanceForm(actor, personId, referralId);
      return attendancePage(reply, actor, found, {}, []);
    },
  );

  app.post(
    '/people/:personId/community-referrals/:referralId/attendance',
    {
      config: { access: contributors, page: true },
      schema: { hide: true, params: ReferralParams, body: FormBodySchema },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { personId, referralId } = request.params;
      const found = await communityReferrals.attendanceForm(actor, personId, referralId);
      const mapped = attendanceFromForm(request.body);
      try {
        await communityReferrals.recordAttendance(actor, personId, referralId, mapped.input);
        return reply.redirect(supportPageFor(found.grant.relation.kind, personId, referralId), 303);
      } catch (error) {
        const errors = errorsOnForm(error, mapped);
        const values = { ...mapped.input, attendedOn: dateFields(request.body, 'attendedOn') };
        return attendancePage(reply, actor, found, values, errors);
      }
    },
  );

  // ——— the organisation's side ———

  app.get(
    '/community/referrals',
    { config: { access: receivers, page: true }, schema: { hide: true } },
    async (request, reply) => {
      const received = await communityReferrals.received(requireActor(request));
      const views = received.map((r) => ({
        ...referralView(r, 'practitioner'),
        href: receivedHref(r.personId, r.referralId),
      }));
      return reply.page('community-referrals-received', {
        pageTitle: 'Referrals to your organisation',
        waiting: views.filter((r) => r.status === 'sent'),
        current: views.filter((r) => r.status === 'accepted'),
        earlier: views.filter((r) => r.status !== 'sent' && r.status !== 'accepted'),
      });
    },
  );

  const receivedPage = (
    reply: FastifyReply,
    referral: ReceivedReferral,
    values: Record<string, unknown>,
    errors: FieldError[],
    done: string | null,
  ) =>
    renderWithErrors(
      reply,
      'community-referral-received',
      {
        pageTitle: `Referral of ${referral.person.name} to ${referral.resource.name}`,
        referral: referralView(referral, 'practitioner'),
        action: receivedHref(referral.personId, referral.referralId),
        declineItems: [
          { value: '', text: 'Choose a reason', selected: !values.declineReason },
          ...DECLINE_REASONS.map((d) => ({
            value: d,
            text: DECLINE_REASON_LABELS[d],
            selected: d === values.declineReason,
          })),
        ],
        attendanceItems: radioItems(ATTENDANCE_OUTCOMES, ATTENDANCE_OUTCOME_LABELS, values.outcome),
        values: { attendedOn: dateFields({}, 'attendedOn'), ...values },
        done,
      },
      errors,
    );

  app.get(
    '/community/referrals/:personId/:referralId',
    {
      config: { access: receivers, page: true },
      schema: { hide: true, params: ReferralParams, querystring: ReceivedQuery },
    },
    async (request, reply) => {
      const { personId, referralId } = request.params;
      const referral = await communityReferrals.openReceived(requireActor(request), personId, referralId);
      return receivedPage(reply, referral, {}, [], DONE[request.query.done ?? ''] ?? null);
    },
  );

  /** One of the organisation's forms: the change, or the page again with the errors on its fields. */
  function organisationForm<T>(
    path: string,
    map: (body: FormBody) => MappedForm<T>,
    run: (actor: Actor, personId: string, referralId: string, input: T) => Promise<unknown>,
    doneOf: (input: T) => string,
  ) {
    app.post(
      `/community/referrals/:personId/:referralId/${path}`,
      {
        config: { access: receivers, page: true },
        schema: { hide: true, params: ReferralParams, body: FormBodySchema },
      },
      async (request, reply) => {
        const actor = requireActor(request);
        const { personId, referralId } = request.params;
        const mapped = map(request.body);
        try {
          await run(actor, personId, referralId, mapped.input);
          return reply.redirect(`${receivedHref(personId, referralId)}?done=${doneOf(mapped.input)}`, 303);
        } catch (error) {
          const errors = errorsOnForm(error, mapped);
          const referral = await communityReferrals.openReceived(actor, personId, referralId);
          const values = {
            ...(mapped.input as Record<string, unknown>),
            attendedOn: dateFields(request.body, 'attendedOn'),
          };
          return receivedPage(reply, referral, values, errors, null);
        }
      },
    );
  }

  organisationForm(
    'response',
    respondFromForm,
    (actor, personId, referralId, input) => communityReferrals.respond(actor, personId, referralId, input),
    (input) => input.response,
  );
  organisationForm(
    'attendance',
    attendanceFromForm,
    (actor, personId, referralId, input) =>
      communityReferrals.recordAttendance(actor, personId, referralId, input),
    () => 'attendance',
  );
  organisationForm(
    'end',
    closeFromForm,
    (actor, personId, referralId, input) => communityReferrals.end(actor, personId, referralId, input),
    () => 'end',
  );
}

/** The plan page's "Community support": the referrals, and a search for each outcome and unlinked goal. */
export async function communitySupportOnPlan(
  communityReferrals: Services['communityReferrals'],
  grant: AccessGrant,
) {
  const { personId } = grant;
  const { referrals, mayRefer, viewpoint, outcomes, goals } = await communityReferrals.forPlanOf(grant);
  // The person searches from their own pages; everyone else from the record's.
  const find = (about: SupportFor = {}) => findSupportHref(personId, about, viewpoint === 'person');
  return {
    referrals: referrals.map((r) => referralView(r, viewpoint)),
    mayRefer,
    findHrefs: mayRefer
      ? outcomes.map((o) => ({
          outcomeId: o.outcomeId,
          statement: o.statement,
          href: find({ outcomeId: o.outcomeId }),
        }))
      : [],
    goalHrefs: mayRefer
      ? goals.map((g) => ({ goalId: g.goalId, description: g.description, href: find({ goalId: g.goalId }) }))
      : [],
    findHref: find(),
  };
}
