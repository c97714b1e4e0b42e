import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Actor } from '../../domain/actor.js';
import { ACTION_STATUS_LABELS, SUPPORT_KIND_LABELS } from '../../domain/care-plan.js';
import { CARE_TEAM_SUPPORT_LABELS, type CareTeamSupportKind } from '../../domain/care-team.js';
import { CONVERSATION_KIND_LABELS, type ConversationKind } from '../../domain/conversations.js';
import { ETHNIC_CATEGORIES, SEX_LABELS, type Sex } from '../../domain/demographics.js';
import {
  GAS_LEVEL_LABELS,
  GAS_LEVELS,
  type GasLevel,
  gasLevelText,
  gasLevelWithLabel,
} from '../../domain/gas.js';
import { formatNhsNumber } from '../../domain/nhs-number.js';
import { ratingLabelOnScale, VIEWPOINT_LABELS, type Viewpoint } from '../../domain/ratings.js';
import { SHARING_BASIS_LABELS } from '../../domain/sharing.js';
import { requireActor } from '../../http/request-actor.js';
import { PersonParams } from '../../http/schemas.js';
import type { Services } from '../../services/index.js';
import {
  checked,
  type FieldError,
  type FormBody,
  FormBodySchema,
  renderWithErrors,
  text,
} from '../../web/forms.js';
import { homeFor } from '../../web/record-links.js';
import { ACTION_STATUS_COLOURS } from '../../web/tag-colours.js';
import { ukDateTime } from '../audit/pages.js';
import type { RecordScope } from '../record-access/person-access.js';
import type { SharingBasis } from '../sharing/service.js';
import {
  erasureConfirmFrom,
  erasureDeclineFrom,
  erasureRequestFrom,
  rectificationRequestFrom,
  rectificationResolutionFrom,
  rightsFormErrors,
} from './form.js';
import { type ErasureRequest, type ExportRow, type RectificationRequest, RequestParams } from './schema.js';
import type { ReadableExport, RequestFormContext, RightsService } from './service.js';

/**
 * The person's rights, as pages: everything held about them (printable, with the JSON download),
 * asking for a correction and the care team's answer, asking for erasure, and the administrator's
 * decision on it. Who may do each is the service's to decide: each page renders from the grant it
 * returns (`can`, `viewpoint`), and its refusals (403, 404, 409) are the error handler's pages.
 */

const admin = { roles: ['admin'] } as const;

/** The example reason offered to an administrator declining erasure of a health or care record. */
export const RETENTION_REASON =
  'Health and care records must be kept for the retention periods in the Records Management Code of Practice for Health and Social Care 2023 (for adult social care and health records, usually 8 years after care ends).';

const RECTIFICATION_STATUS = {
  open: { text: 'Waiting for an answer', colour: 'blue' },
  corrected: { text: 'Corrected', colour: 'green' },
  declined: { text: 'Not changed', colour: 'orange' },
} as const;

const ERASURE_STATUS = {
  open: { text: 'Waiting for a decision', colour: 'blue' },
  erased: { text: 'Erased', colour: 'grey' },
  declined: { text: 'Declined', colour: 'orange' },
} as const;

/** Requests as the pages show them: UK times and a status tag. */
function rectificationView(r: RectificationRequest) {
  return {
    ...r,
    when: ukDateTime(new Date(r.requestedAt)),
    answered: r.resolvedAt ? ukDateTime(new Date(r.resolvedAt)) : null,
    tag: RECTIFICATION_STATUS[r.status],
  };
}

function erasureView(r: ErasureRequest) {
  return {
    ...r,
    when: ukDateTime(new Date(r.requestedAt)),
    decided: r.decidedAt ? ukDateTime(new Date(r.decidedAt)) : null,
    tag: ERASURE_STATUS[r.status],
  };
}

const sharingView = (b: SharingBasis) => ({ ...b, basisLabel: SHARING_BASIS_LABELS[b.basis] ?? b.basis });

/**
 * What the person's own page (/my) and the person page show about the person's rights: who the
 * record is shared with, and the requests to correct or erase it. Part of the same audited read of
 * the record as the page itself: `scope` is what that read's access check returned.
 */
export async function rightsOnRecord(
  rights: RightsService,
  scope: RecordScope,
  sharing: readonly SharingBasis[],
) {
  const requests = await rights.requestsWithin(scope);
  const rectification = requests.rectification.map(rectificationView);
  const erasure = requests.erasure.map(erasureView);
  return {
    rights: {
      inForce: sharing.filter((b) => !b.withdrawnAt).map(sharingView),
      withdrawn: sharing.filter((b) => b.withdrawnAt).map(sharingView),
      rectification,
      openRectification: rectification.filter((r) => r.status === 'open'),
      answeredRectification: rectification.filter((r) => r.status !== 'open'),
      erasure,
      erasureOpen: erasure.some((r) => r.status === 'open'),
    },
  };
}

// ——— the printable export ———

const dash = (value: unknown) =>
  value === null || value === undefined || value === '' ? 'Not recorded' : String(value);
const dateOnly = (value: unknown) =>
  value instanceof Date ? value.toISOString().slice(0, 10) : (value as string | null);

function exportView(
  view: ReadableExport,
  organisationNames: Record<string, string>,
  teamNames: Record<string, string>,
) {
  const { data } = view;
  const row = data.tables.person[0] as ExportRow;
  const str = (key: string) => (row[key] as string | null) ?? null;
  const name = `${str('preferred_name') || str('given_name')} ${str('family_name')}`;
  const ethnic =
    ETHNIC_CATEGORIES.find((c) => c.code === str('ethnic_category'))?.label ?? str('ethnic_category');
  const nhs = str('nhs_number');
  const user = (id: unknown) =>
    typeof id === 'string' ? (data.names.users[id] ?? 'A user no longer listed') : 'Not recorded';
  const isSelf = view.grant.viewpoint === 'person';
  const participants = data.tables.conversation_participant;
  return {
    isSelf,
    person: { personId: data.personId, name },
    exportedAt: ukDateTime(new Date(data.exportedAt)),
    format: data.format,
    details: [
      ['Given name', str('given_name')],
      ['Family name', str('family_name')],
      ['Preferred name', str('preferred_name')],
      ['NHS number', nhs ? formatNhsNumber(nhs) : null],
      ['Date of birth', dateOnly(row.date_of_birth)],
      ['Sex', SEX_LABELS[str('sex') as Sex] ?? str('sex')],
      ['Gender', str('gender')],
      ['Ethnic group', ethnic],
      ['Postcode', str('postcode')],
      ['Address', str('address')],
      ['Phone', str('phone')],
      ['Email', str('email')],
      ['Preferred way to be contacted', str('preferred_contact_method')],
      ['Communication needs', str('communication_needs')],
    ].map(([key, value]) => ({ key: { text: key as string }, value: { text: dash(value) } })),
    careTeam: view.careTeam.map((m) => ({
      who: m.userName ?? m.teamName ?? m.organisationName,
      role: m.roleDescription,
      organisation: m.organisationName + (m.teamName && m.userName ? ` (${m.teamName})` : ''),
      support: CARE_TEAM_SUPPORT_LABELS[m.supportKind as CareTeamSupportKind] ?? m.supportKind,
      since: m.startDate,
      isKeyWorker: m.isKeyWorker,
    })),
    circle: view.circle,
    sharing: view.sharing.map(sharingView),
    outcomes: view.outcomes.map((o) => ({
      outcomeId: o.outcomeId,
      statement: o.statement,
      whyItMatters: o.whyItMatters,
      status: o.status,
      addedBy: VIEWPOINT_LABELS[o.addedBy],
      createdAt: o.createdAt,
      domains: o.domains.map((d) => d.name),
      ratings: o.ratings.map((r) => ({
        viewpoint: VIEWPOINT_LABELS[r.viewpoint as Viewpoint],
        by: r.ratedBy,
        score: ratingLabelOnScale(r.score, o.framework.ratingLabels),
        note: r.note,
        ratedAt: r.ratedAt,
      })),
      gas: o.gas
        ? {
            weight: o.gas.weight,
            levels: [...GAS_LEVELS].reverse().map((level) => ({
              level: gasLevelText(level),
              label: GAS_LEVEL_LABELS[level],
              description: o.gas?.levels[level] ?? '',
              isBaseline: level === o.gas?.baselineLevel,
              isCurrent: level === o.gas?.currentLevel,
            })),
            attainments: o.gas.attainments.map((a) => ({
              level: gasLevelWithLabel(a.level as GasLevel),
              recordedAt: a.recordedAt,
            })),
          }
        : null,
    })),
    gasScores: view.gasScores,
    plan: view.plan,
    content: view.plan.current?.content ?? null,
    labels: {
      status: ACTION_STATUS_LABELS,
      statusColour: ACTION_STATUS_COLOURS,
      supportKind: SUPPORT_KIND_LABELS,
      viewpoint: VIEWPOINT_LABELS,
    },
    outcomeStatements: Object.fromEntries(view.outcomes.map((o) => [o.outcomeId, o.statement])),
    organisationNames,
    teamNames,
    conversations: data.tables.conversation
      .map((c) => ({
        conversationId: c.conversation_id as string,
        title: CONVERSATION_KIND_LABELS[c.kind as ConversationKind] ?? 'Conversation',
        heldOn: dateOnly(c.held_on),
        summary: c.summary as string,
        whatHelped: c.what_helped as string,
        whatGotInTheWay: c.what_got_in_the_way as string,
        nextReviewDate: dateOnly(c.next_review_date),
        recordedBy: user(c.recorded_by_user_id),
        participants: participants
          .filter((p) => p.conversation_id === c.conversation_id)
          .map((p) => `${p.name}${p.role ? ` (${p.role})` : ''}`),
      }))
      .sort((a, b) => String(b.heldOn).localeCompare(String(a.heldOn))),
    rectification: view.requests.rectification.map(rectificationView),
    erasure: view.requests.erasure.map(erasureView),
    breakGlass: data.tables.break_glass_grant.map((g) => ({
      who: user(g.user_id),
      reason: g.reason as string,
      grantedAt: ukDateTime(new Date(g.granted_at as string | Date)),
    })),
    accessLog: data.accessLog.map((e) => ({
      when: ukDateTime(new Date(e.occurredAt)),
      whenIso: e.occurredAt,
      who: e.who ?? 'WhatMatters (automatically)',
      what: e.description,
      why: e.purpose,
      refused: e.outcome !== 'success',
    })),
  };
}

export async function rightsPages(parent: FastifyInstance, opts: { services: Services }) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { rights, directory } = opts.services;

  app.get(
    '/people/:personId/export',
    { config: { access: 'signed-in', page: true }, schema: { hide: true, params: PersonParams } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { personId } = request.params;
      const [view, organisations] = await Promise.all([
        rights.readableExport(actor, personId),
        directory.listOrganisations(actor),
      ]);
      const context = exportView(
        view,
        Object.fromEntries(organisations.map((o) => [o.organisationId, o.name])),
        Object.fromEntries(organisations.flatMap((o) => o.teams.map((t) => [t.teamId, t.name]))),
      );
      return reply.header('cache-control', 'no-store').page('rights-export', {
        ...context,
        pageTitle: context.isSelf
          ? 'Everything held about me'
          : `Everything held about ${context.person.name}`,
        backHref: homeFor(view.grant.relation.kind, personId),
        jsonHref: `/api/people/${personId}/export`,
      });
    },
  );

  /**
   * The two routes of a form in which someone asks for something about a person's record: the GET
   * asks the service for the form (which checks the reader may ask, and audits the read); the POST
   * does the same, then makes the request, showing the form again with the refusal of what was
   * typed on its fields until the request is made, then redirects to where `madeAt` says.
   */
  function personRequestForm(
    path: string,
    form: {
      context: (actor: Actor, personId: string) => Promise<RequestFormContext>;
      render: (
        reply: FastifyReply,
        context: RequestFormContext,
        body: FormBody,
        errors: FieldError[],
      ) => FastifyReply;
      /** The field a refusal of the input without a field of its own is shown against. */
      fallbackField: string;
      submit: (actor: Actor, personId: string, body: FormBody) => Promise<unknown>;
      /** Where to go once the request is made. */
      madeAt: (context: RequestFormContext) => string;
    },
  ) {
    app.get(
      path,
      { config: { access: 'signed-in', page: true }, schema: { hide: true, params: PersonParams } },
      async (request, reply) =>
        form.render(reply, await form.context(requireActor(request), request.params.personId), {}, []),
    );

    app.post(
      path,
      {
        config: { access: 'signed-in', page: true },
        schema: { hide: true, params: PersonParams, body: FormBodySchema },
      },
      async (request, reply) => {
        const actor = requireActor(request);
        const { personId } = request.params;
        const context = await form.context(actor, personId);
        try {
          await form.submit(actor, personId, request.body);
          return reply.redirect(form.madeAt(context), 303);
        } catch (error) {
          return form.render(reply, context, request.body, rightsFormErrors(error, form.fallbackField));
        }
      },
    );
  }

  // ——— asking for a correction ———

  personRequestForm('/people/:personId/rectification-requests/new', {
    context: (actor, personId) => rights.rectificationForm(actor, personId),
    fallbackField: 'whatIsWrong',
    render: (reply, { person, grant }, body, errors) =>
      renderWithErrors(
        reply,
        'rights-rectification-new',
        {
          // The care team records a request the person made to them; anyone else asks.
          pageTitle: grant.can.manage
            ? `Record ${person.name}’s request for a correction`
            : 'Ask for something in the record to be corrected',
          person,
          isSelf: grant.viewpoint === 'person',
          isCareTeam: grant.can.manage,
          backHref: homeFor(grant.relation.kind, person.personId),
          values: { whatIsWrong: text(body, 'whatIsWrong'), whatItShouldSay: text(body, 'whatItShouldSay') },
        },
        errors,
      ),
    submit: (actor, personId, body) =>
      rights.requestRectification(actor, personId, rectificationRequestFrom(body)),
    madeAt: ({ person, grant }) =>
      `${homeFor(grant.relation.kind, person.personId)}?rectification=requested#${grant.can.manage ? 'rights-requests' : 'my-requests'}`,
  });

  // ——— the care team's answer ———

  function resolveForm(
    reply: FastifyReply,
    { person, request }: Awaited<ReturnType<RightsService['rectificationToAnswer']>>,
    body: FormBody,
    errors: FieldError[],
  ) {
    return renderWithErrors(
      reply,
      'rights-rectification-resolve',
      {
        pageTitle: 'Answer a request to correct the record',
        person,
        request: rectificationView(request),
        values: { outcome: text(body, 'outcome'), response: text(body, 'response') },
      },
      errors,
    );
  }

  app.get(
    '/people/:personId/rectification-requests/:requestId',
    { config: { access: 'signed-in', page: true }, schema: { hide: true, params: RequestParams } },
    async (request, reply) => {
      const { personId, requestId } = request.params;
      return resolveForm(
        reply,
        await rights.rectificationToAnswer(requireActor(request), personId, requestId),
        {},
        [],
      );
    },
  );

  app.post(
    '/people/:personId/rectification-requests/:requestId',
    {
      config: { access: 'signed-in', page: true },
      schema: { hide: true, params: RequestParams, body: FormBodySchema },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { personId, requestId } = request.params;
      const context = await rights.rectificationToAnswer(actor, personId, requestId);
      try {
        await rights.resolveRectification(
          actor,
          personId,
          requestId,
          rectificationResolutionFrom(request.body),
        );
        return reply.redirect(`/people/${personId}?rectification=answered#rights-requests`, 303);
      } catch (error) {
        return resolveForm(reply, context, request.body, rightsFormErrors(error, 'response'));
      }
    },
  );

  // ——— asking for erasure ———

  personRequestForm('/people/:personId/erasure-requests/new', {
    context: (actor, personId) => rights.erasureForm(actor, personId),
    fallbackField: 'grounds',
    render: (reply, { person, grant }, body, errors) => {
      const isSelf = grant.viewpoint === 'person';
      return renderWithErrors(
        reply,
        'rights-erasure-new',
        {
          pageTitle: isSelf
            ? 'Ask for my record to be erased'
            : `Ask for ${person.name}’s record to be erased`,
          person,
          isSelf,
          backHref: homeFor(grant.relation.kind, person.personId),
          values: { grounds: text(body, 'grounds') },
        },
        errors,
      );
    },
    submit: (actor, personId, body) => rights.requestErasure(actor, personId, erasureRequestFrom(body)),
    madeAt: ({ person, grant }) =>
      `${homeFor(grant.relation.kind, person.personId)}?erasure=requested#${grant.viewpoint === 'person' ? 'my-requests' : 'rights-requests'}`,
  });

  // ——— the administrator's decision ———

  app.get(
    '/admin/erasure-requests',
    {
      config: { access: admin, page: true },
      schema: {
        hide: true,
        querystring: Type.Object({
          erased: Type.Optional(Type.String({ maxLength: 5 })),
          declined: Type.Optional(Type.String({ maxLength: 5 })),
        }),
      },
    },
    async (request, reply) => {
      const requests = await rights.openErasureRequests(requireActor(request));
      return reply.page('rights-erasure-requests', {
        pageTitle: 'Requests to erase records',
        requests: requests.map(erasureView),
        notice: request.query.erased
          ? 'The record was erased. The audit trail and the erasure record were kept.'
          : request.query.declined
            ? 'The request was declined. The person can see the reason.'
            : null,
      });
    },
  );

  /** The decision page; a request already decided (409) or not found (404) is the error handler's page. */
  async function decisionPage(
    reply: FastifyReply,
    actor: Actor,
    personId: string,
    requestId: string,
    body: FormBody,
    errors: FieldError[],
  ) {
    const preview = await rights.erasurePreview(actor, personId, requestId);
    return renderWithErrors(
      reply,
      'rights-erasure-request',
      {
        pageTitle: 'Decide on a request to erase a record',
        preview,
        subject: preview.subject,
        request: erasureView(preview.request),
        totalRows: preview.rows.reduce((sum, r) => sum + r.count, 0),
        retentionReason: RETENTION_REASON,
        values: { reason: text(body, 'reason'), confirm: checked(body, 'confirm') },
      },
      errors,
    );
  }

  app.get(
    '/admin/erasure-requests/:personId/:requestId',
    { config: { access: admin, page: true }, schema: { hide: true, params: RequestParams } },
    async (request, reply) =>
      decisionPage(reply, requireActor(request), request.params.personId, request.params.requestId, {}, []),
  );

  /**
   * The administrator's two decisions on a request: each makes it and goes back to the list, or
   * shows the decision page again with the refusal on the decision's own field.
   */
  const decisions = [
    {
      path: 'decline',
      field: 'reason',
      done: 'declined',
      decide: (actor: Actor, personId: string, requestId: string, body: FormBody) =>
        rights.declineErasure(actor, personId, requestId, erasureDeclineFrom(body)),
    },
    {
      path: 'erase',
      field: 'confirm',
      done: 'erased',
      decide: (actor: Actor, personId: string, requestId: string, body: FormBody) =>
        rights.erase(actor, personId, requestId, erasureConfirmFrom(body)),
    },
  ];
  for (const decision of decisions) {
    app.post(
      `/admin/erasure-requests/:personId/:requestId/${decision.path}`,
      {
        config: { access: admin, page: true },
        schema: { hide: true, params: RequestParams, body: FormBodySchema },
      },
      async (request, reply) => {
        const actor = requireActor(request);
        const { personId, requestId } = request.params;
        try {
          await decision.decide(actor, personId, requestId, request.body);
          return reply.redirect(`/admin/erasure-requests?${decision.done}=1`, 303);
        } catch (error) {
          const errors = rightsFormErrors(error, decision.field);
          return decisionPage(reply, actor, personId, requestId, request.body, errors);
        }
      },
    );
  }
}
