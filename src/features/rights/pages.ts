import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Actor } from '../../domain/actor.js';
import { ACTION_STATUS_LABELS, SUPPORT_KIND_LABELS } from '../../domain/care-plan.js';
import { CARE_TEAM_SUPPORT_LABELS, type CareTeamSupportKind } from '../../domain/care-team.js';
import { CONVERSATION_KIND_LABELS, type ConversationKind } from '../../domain/conversations.js';
import { ETHNIC_CATEGORIES, SEX_LABELS, type Sex } from '../../domain/demographics.js';
import { GAS_LEVEL_LABELS, GAS_LEVELS, type GasLevel } from '../../domain/gas.js';
import { formatNhsNumber } from '../../domain/nhs-number.js';
import { VIEWPOINT_LABELS, type Viewpoint } from '../../domain/ratings.js';
import { SHARING_BASIS_LABELS } from '../../domain/sharing.js';
import { requireActor } from '../../http/request-actor.js';
import { ServiceError } from '../../services/errors.js';
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
import { ukDateTime } from '../audit/pages.js';
import type { PersonDetails } from '../people/service.js';
import { ACTION_STATUS_COLOURS } from '../plans/pages.js';
import type { Relation } from '../record-access/person-access.js';
import type { SharingBasis } from '../sharing/service.js';
import type {
  ErasureRequest,
  ExportRow,
  ReadableExport,
  RectificationRequest,
  RightsService,
} from './service.js';

/**
 * The person's rights, as pages: everything held about them (printable, with the JSON download),
 * asking for a correction and the care team's answer, asking for erasure, and the administrator's
 * decision on it. Who may do each is decided by RightsService.
 */

const PersonParams = Type.Object({ personId: Type.String({ format: 'uuid' }) });
const RequestParams = Type.Object({
  personId: Type.String({ format: 'uuid' }),
  requestId: Type.String({ format: 'uuid' }),
});
const admin = { roles: ['admin'] } as const;
const MAX_TEXT = 4000;

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
 * the record as the page itself.
 */
export async function rightsOnRecord(
  rights: RightsService,
  record: { person: { personId: string }; sharing: SharingBasis[] },
) {
  const requests = await rights.loadRequests(record.person.personId);
  const rectification = requests.rectification.map(rectificationView);
  const erasure = requests.erasure.map(erasureView);
  return {
    rights: {
      inForce: record.sharing.filter((b) => !b.withdrawnAt).map(sharingView),
      withdrawn: record.sharing.filter((b) => b.withdrawnAt).map(sharingView),
      rectification,
      openRectification: rectification.filter((r) => r.status === 'open'),
      answeredRectification: rectification.filter((r) => r.status !== 'open'),
      erasure,
      erasureOpen: erasure.some((r) => r.status === 'open'),
    },
  };
}

/** A page about a person the services will not show (404) or will not let the reader do this to (403). */
function refused(reply: FastifyReply, error: unknown): FastifyReply {
  // The error handler renders the not-found page.
  if (error instanceof ServiceError && error.status === 404) throw error;
  if (error instanceof ServiceError && error.status === 403) {
    return reply.code(403).page('error', { pageTitle: 'You cannot do this', message: error.message });
  }
  throw error;
}

const tooLong = (value: string, field: string): FieldError[] =>
  value.length > MAX_TEXT ? [{ field, message: 'Keep this to 4,000 characters or fewer' }] : [];

/** A service's refusal of the input as field errors; access refusals and faults are rethrown. */
function inputErrors(error: unknown, fallbackField: string): FieldError[] {
  if (error instanceof ServiceError && (error.status === 422 || error.status === 409)) {
    return [{ field: error.field || fallbackField, message: error.message }];
  }
  throw error;
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
  const isSelf = view.relation.kind === 'self';
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
        score: `${o.framework.ratingLabels[r.score - 1] ?? r.score} (${r.score} out of ${o.framework.ratingLabels.length})`,
        note: r.note,
        ratedAt: r.ratedAt,
      })),
      gas: o.gas
        ? {
            weight: o.gas.weight,
            levels: [...GAS_LEVELS].reverse().map((level) => ({
              level: `${level > 0 ? '+' : ''}${level}`,
              label: GAS_LEVEL_LABELS[level],
              description: o.gas?.levels[level] ?? '',
              isBaseline: level === o.gas?.baselineLevel,
              isCurrent: level === o.gas?.currentLevel,
            })),
            attainments: o.gas.attainments.map((a) => ({
              level: `${a.level > 0 ? '+' : ''}${a.level} (${GAS_LEVEL_LABELS[a.level as GasLevel]})`,
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
  const { rights, people, directory } = opts.services;

  app.get(
    '/people/:personId/export',
    { config: { access: 'signed-in', page: true }, schema: { hide: true, params: PersonParams } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { personId } = request.params;
      try {
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
          backHref: homeFor(view.relation.kind, personId),
          jsonHref: `/api/people/${personId}/export`,
        });
      } catch (error) {
        return refused(reply, error);
      }
    },
  );

  /**
   * The two routes of a form in which someone asks for something about a person's record: both load
   * the person and the reader's relation to them (which checks access and audits the read) and refuse
   * a reader who may not ask; the POST shows the form again with its errors until the request is made,
   * then redirects to where `submit` says.
   */
  function personRequestForm(
    path: string,
    form: {
      mayAsk: (relation: Relation) => boolean;
      cannotAsk: (reply: FastifyReply, person: PersonDetails) => FastifyReply;
      render: (
        reply: FastifyReply,
        person: PersonDetails,
        relation: Relation,
        body: FormBody,
        errors: FieldError[],
      ) => FastifyReply;
      validate: (body: FormBody) => FieldError[];
      /** The field a refusal of the input without a field of its own is shown against. */
      fallbackField: string;
      /** Makes the request and returns where to redirect to. */
      submit: (actor: Actor, personId: string, relation: Relation, body: FormBody) => Promise<string>;
    },
  ) {
    app.get(
      path,
      { config: { access: 'signed-in', page: true }, schema: { hide: true, params: PersonParams } },
      async (request, reply) => {
        try {
          const { person, relation } = await people.details(requireActor(request), request.params.personId);
          if (!form.mayAsk(relation)) return form.cannotAsk(reply, person);
          return form.render(reply, person, relation, {}, []);
        } catch (error) {
          return refused(reply, error);
        }
      },
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
        try {
          const { person, relation } = await people.details(actor, personId);
          if (!form.mayAsk(relation)) return form.cannotAsk(reply, person);
          const errors = form.validate(request.body);
          if (!errors.length) {
            try {
              return reply.redirect(await form.submit(actor, personId, relation, request.body), 303);
            } catch (error) {
              errors.push(...inputErrors(error, form.fallbackField));
            }
          }
          return form.render(reply, person, relation, request.body, errors);
        } catch (error) {
          return refused(reply, error);
        }
      },
    );
  }

  // ——— asking for a correction ———

  /** As RightsService decides: the person, a carer they let add to the record, or the care team for them. */
  const mayAskForCorrection = (relation: Relation) =>
    relation.kind === 'self' ||
    relation.kind === 'care-team' ||
    (relation.kind === 'carer' && relation.mayContribute);

  function correctionForm(
    reply: FastifyReply,
    person: PersonDetails,
    relation: Relation,
    body: FormBody,
    errors: FieldError[],
  ) {
    return renderWithErrors(
      reply,
      'rights-rectification-new',
      {
        pageTitle:
          relation.kind === 'care-team'
            ? `Record ${person.name}’s request for a correction`
            : 'Ask for something in the record to be corrected',
        person,
        isSelf: relation.kind === 'self',
        isCareTeam: relation.kind === 'care-team',
        backHref: homeFor(relation.kind, person.personId),
        values: { whatIsWrong: text(body, 'whatIsWrong'), whatItShouldSay: text(body, 'whatItShouldSay') },
      },
      errors,
    );
  }

  const cannotAsk = (reply: FastifyReply, person: PersonDetails) =>
    reply.code(403).page('error', {
      pageTitle: 'You cannot do this',
      message: `${person.name} has let you see their record but has not asked you to add to it.`,
    });

  personRequestForm('/people/:personId/rectification-requests/new', {
    mayAsk: mayAskForCorrection,
    cannotAsk,
    render: correctionForm,
    fallbackField: 'whatIsWrong',
    validate(body) {
      const whatIsWrong = text(body, 'whatIsWrong');
      return [
        ...(whatIsWrong ? [] : [{ field: 'whatIsWrong', message: 'Say what is wrong in the record' }]),
        ...tooLong(whatIsWrong, 'whatIsWrong'),
        ...tooLong(text(body, 'whatItShouldSay'), 'whatItShouldSay'),
      ];
    },
    async submit(actor, personId, relation, body) {
      const whatIsWrong = text(body, 'whatIsWrong');
      const whatItShouldSay = text(body, 'whatItShouldSay');
      await rights.requestRectification(actor, personId, { whatIsWrong, whatItShouldSay });
      const anchor = relation.kind === 'care-team' ? 'rights-requests' : 'my-requests';
      return `${homeFor(relation.kind, personId)}?rectification=requested#${anchor}`;
    },
  });

  // ——— the care team's answer ———

  async function resolveContext(actor: Actor, personId: string, requestId: string) {
    const { person, relation } = await people.details(actor, personId);
    // The details call checked access and audited the read; the requests are part of the record.
    const request = (await rights.loadRequests(personId)).rectification.find(
      (r) => r.requestId === requestId,
    );
    return { person, relation, request: request ? rectificationView(request) : null };
  }

  function resolveForm(
    reply: FastifyReply,
    person: PersonDetails,
    request: ReturnType<typeof rectificationView>,
    body: FormBody,
    errors: FieldError[],
  ) {
    return renderWithErrors(
      reply,
      'rights-rectification-resolve',
      {
        pageTitle: 'Answer a request to correct the record',
        person,
        request,
        values: { outcome: text(body, 'outcome'), response: text(body, 'response') },
      },
      errors,
    );
  }

  const onlyCareTeam = (reply: FastifyReply) =>
    reply.code(403).page('error', {
      pageTitle: 'You cannot do this',
      message: 'Only practitioners in the care team can answer a request to correct the record.',
    });

  app.get(
    '/people/:personId/rectification-requests/:requestId',
    { config: { access: 'signed-in', page: true }, schema: { hide: true, params: RequestParams } },
    async (request, reply) => {
      const { personId, requestId } = request.params;
      try {
        const {
          person,
          relation,
          request: found,
        } = await resolveContext(requireActor(request), personId, requestId);
        if (relation.kind !== 'care-team') return onlyCareTeam(reply);
        if (!found) throw new ServiceError(404, 'Page not found', 'That request was not found.');
        return resolveForm(reply, person, found, {}, []);
      } catch (error) {
        return refused(reply, error);
      }
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
      try {
        const { person, relation, request: found } = await resolveContext(actor, personId, requestId);
        if (relation.kind !== 'care-team') return onlyCareTeam(reply);
        if (!found) throw new ServiceError(404, 'Page not found', 'That request was not found.');
        const outcome = text(request.body, 'outcome');
        const response = text(request.body, 'response');
        const errors: FieldError[] = [];
        if (outcome !== 'corrected' && outcome !== 'declined') {
          errors.push({ field: 'outcome', message: 'Select whether the record was corrected' });
        }
        if (!response) {
          errors.push({
            field: 'response',
            message:
              outcome === 'declined'
                ? 'Say why the record will not be changed'
                : 'Say what was corrected, or why the record will not be changed',
          });
        }
        errors.push(...tooLong(response, 'response'));
        if (!errors.length) {
          try {
            await rights.resolveRectification(actor, personId, requestId, {
              outcome: outcome as 'corrected' | 'declined',
              response,
            });
            return reply.redirect(`/people/${personId}?rectification=answered#rights-requests`, 303);
          } catch (error) {
            errors.push(...inputErrors(error, 'response'));
          }
        }
        return resolveForm(reply, person, found, request.body, errors);
      } catch (error) {
        return refused(reply, error);
      }
    },
  );

  // ——— asking for erasure ———

  const mayAskForErasure = (relation: Relation) => relation.kind === 'self' || relation.kind === 'care-team';

  function erasureForm(
    reply: FastifyReply,
    person: PersonDetails,
    relation: Relation,
    body: FormBody,
    errors: FieldError[],
  ) {
    const isSelf = relation.kind === 'self';
    return renderWithErrors(
      reply,
      'rights-erasure-new',
      {
        pageTitle: isSelf ? 'Ask for my record to be erased' : `Ask for ${person.name}’s record to be erased`,
        person,
        isSelf,
        backHref: homeFor(relation.kind, person.personId),
        values: { grounds: text(body, 'grounds') },
      },
      errors,
    );
  }

  const cannotAskErasure = (reply: FastifyReply, person: PersonDetails) =>
    reply.code(403).page('error', {
      pageTitle: 'You cannot do this',
      message: `Only ${person.name}, or their care team on their behalf, can ask for the record to be erased.`,
    });

  personRequestForm('/people/:personId/erasure-requests/new', {
    mayAsk: mayAskForErasure,
    cannotAsk: cannotAskErasure,
    render: erasureForm,
    fallbackField: 'grounds',
    validate(body) {
      const grounds = text(body, 'grounds');
      return [
        ...(grounds ? [] : [{ field: 'grounds', message: 'Say why the record should be erased' }]),
        ...tooLong(grounds, 'grounds'),
      ];
    },
    async submit(actor, personId, relation, body) {
      await rights.requestErasure(actor, personId, { grounds: text(body, 'grounds') });
      const anchor = relation.kind === 'self' ? 'my-requests' : 'rights-requests';
      return `${homeFor(relation.kind, personId)}?erasure=requested#${anchor}`;
    },
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

  async function decisionPage(
    reply: FastifyReply,
    actor: Actor,
    personId: string,
    requestId: string,
    body: FormBody,
    errors: FieldError[],
  ) {
    try {
      const preview = await rights.erasurePreview(actor, personId, requestId);
      return renderWithErrors(
        reply,
        'rights-erasure-request',
        {
          pageTitle: 'Decide on a request to erase a record',
          preview,
          request: erasureView(preview.request),
          totalRows: preview.rows.reduce((sum, r) => sum + r.count, 0),
          retentionReason: RETENTION_REASON,
          values: { reason: text(body, 'reason'), confirm: checked(body, 'confirm') },
        },
        errors,
      );
    } catch (error) {
      if (error instanceof ServiceError && error.status === 409) {
        return reply.code(409).page('error', { pageTitle: 'Already decided', message: error.message });
      }
      return refused(reply, error);
    }
  }

  app.get(
    '/admin/erasure-requests/:personId/:requestId',
    { config: { access: admin, page: true }, schema: { hide: true, params: RequestParams } },
    async (request, reply) =>
      decisionPage(reply, requireActor(request), request.params.personId, request.params.requestId, {}, []),
  );

  app.post(
    '/admin/erasure-requests/:personId/:requestId/decline',
    {
      config: { access: admin, page: true },
      schema: { hide: true, params: RequestParams, body: FormBodySchema },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { personId, requestId } = request.params;
      const reason = text(request.body, 'reason');
      const errors: FieldError[] = [
        ...(reason ? [] : [{ field: 'reason', message: 'Say why the record cannot be erased' }]),
        ...tooLong(reason, 'reason'),
      ];
      if (!errors.length) {
        try {
          await rights.declineErasure(actor, personId, requestId, reason);
          return reply.redirect('/admin/erasure-requests?declined=1', 303);
        } catch (error) {
          if (!(error instanceof ServiceError && error.status === 422)) {
            return decisionPage(reply, actor, personId, requestId, request.body, []);
          }
          errors.push(...inputErrors(error, 'reason'));
        }
      }
      return decisionPage(reply, actor, personId, requestId, request.body, errors);
    },
  );

  app.post(
    '/admin/erasure-requests/:personId/:requestId/erase',
    {
      config: { access: admin, page: true },
      schema: { hide: true, params: RequestParams, body: FormBodySchema },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { personId, requestId } = request.params;
      if (!checked(request.body, 'confirm')) {
        return decisionPage(reply, actor, personId, requestId, request.body, [
          {
            field: 'confirm',
            message: 'Confirm that you have read what will be erased and what will be kept',
          },
        ]);
      }
      try {
        await rights.erase(actor, personId, requestId, true);
        return reply.redirect('/admin/erasure-requests?erased=1', 303);
      } catch (error) {
        if (error instanceof ServiceError)
          return decisionPage(reply, actor, personId, requestId, request.body, []);
        throw error;
      }
    },
  );
}
