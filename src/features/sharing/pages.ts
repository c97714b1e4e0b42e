import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Actor } from '../../domain/actor.js';
import { LEAD_STATE_LABELS } from '../../domain/lead-team.js';
import { CARE_STAFF } from '../../domain/route-access.js';
import { BREAK_GLASS_HOURS, BREAK_GLASS_MIN_REASON, SHARING_BASIS_LABELS } from '../../domain/sharing.js';
import { requireActor } from '../../http/request-actor.js';
import { PersonParams } from '../../http/schemas.js';
import type { Services } from '../../services/index.js';
import { type FieldError, type FormBody, FormBodySchema, renderWithErrors, text } from '../../web/forms.js';
import { errorsOnForm, type FormMapping } from '../people/form.js';
import { SharingBasisParams } from '../people/schema.js';
import type { AssignLeadTeamInput, BreakGlassRequestInput, TeamChoice } from './schema.js';
import type { WithdrawalPlan } from './service.js';

/** Who may choose a record's lead team and see the work list: the service decides which records. */
const LEAD_DECIDERS = { roles: ['team-manager', 'admin'] } as const;

/** Where a withdrawal leads: the person to their record; staff to the record while they still see it. */
function afterWithdrawal(actor: Actor, personId: string, readerKeepsAccess: boolean, choice: Choice | null) {
  if (actor.personId === personId) return '/my?withdrawn=1';
  if (!readerKeepsAccess) return '/caseload';
  return `/people/${personId}?${choice === 'hand-over' ? 'handedOver' : 'withdrawn'}=1#sharing`;
}

/** The break-glass form onto its contract: the two fields keep their names. */
const breakGlassForm = {
  input: (body: FormBody): BreakGlassRequestInput => ({
    nhsNumber: text(body, 'nhsNumber'),
    reason: text(body, 'reason'),
  }),
  mapping: {
    ids: {},
    fallback: 'nhsNumber',
    messages: {
      nhsNumber: 'Enter the 10-digit NHS number',
      reason: `Say why you need access now, in at least ${BREAK_GLASS_MIN_REASON} characters`,
    },
  } satisfies FormMapping,
};

/** What the care team chose on the withdrawal page when the lead team would lose the record. */
const CHOICES = ['hand-over', 'escalate'] as const;
type Choice = (typeof CHOICES)[number];

const withdrawMapping = {
  ids: {},
  fallback: 'reason',
  messages: {
    reason: 'Why must be 500 characters or fewer',
    newLeadTeamId: 'Choose the team that will be responsible for the record',
  },
} satisfies FormMapping;

const leadTeamForm = {
  input: (body: FormBody): AssignLeadTeamInput => ({
    teamId: text(body, 'teamId'),
    reason: text(body, 'reason'),
  }),
  mapping: {
    ids: {},
    fallback: 'teamId',
    messages: {
      teamId: 'Choose the team that will be responsible for the record',
      reason: 'Why must be 500 characters or fewer',
    },
  } satisfies FormMapping,
};

/** Teams as the options of a select, each named with its organisation. */
const teamItems = (teams: TeamChoice[], selected: string) => [
  { value: '', text: 'Choose a team' },
  ...teams.map((t) => ({
    value: t.teamId,
    text: `${t.teamName}, ${t.organisationName}`,
    selected: t.teamId === selected,
  })),
];

/** The lead team in words, for pages that show it. */
const leadView = (lead: WithdrawalPlan['lead'] | null) =>
  lead
    ? {
        ...lead,
        who: lead.teamName ? `${lead.teamName}, ${lead.organisationName}` : 'No team',
        stateLabel: LEAD_STATE_LABELS[lead.state],
      }
    : null;

/**
 * Withdrawing a sharing basis (as a deliberate act, on a page that says what will happen), the
 * team responsible for a record and the work list of records needing one, giving consent again,
 * break-glass access, and the managers' report of break-glass use.
 */
export async function sharingPages(parent: FastifyInstance, opts: { services: Services }) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { sharing } = opts.services;

  const withdrawPage = (
    reply: FastifyReply,
    personId: string,
    plan: WithdrawalPlan,
    values: { reason: string; choice: string; newLeadTeamId: string },
    errors: FieldError[],
  ) =>
    renderWithErrors(
      reply,
      'sharing-withdraw',
      {
        pageTitle: plan.byThePerson
          ? `Stop ${plan.basis.organisationName} seeing your record`
          : `Withdraw sharing with ${plan.basis.organisationName}`,
        plan,
        lead: leadView(plan.lead),
        basisLabel: SHARING_BASIS_LABELS[plan.basis.basis],
        teamItems: teamItems(plan.handoverTeams, values.newLeadTeamId),
        back: plan.byThePerson ? '/my#who-can-see' : `/people/${personId}#sharing`,
        personId,
        values,
      },
      errors,
    );

  app.get(
    '/people/:personId/sharing/:basisId/withdraw',
    { config: { access: 'signed-in', page: true }, schema: { hide: true, params: SharingBasisParams } },
    async (request, reply) => {
      const { personId, basisId } = request.params;
      const plan = await sharing.withdrawalPlan(requireActor(request), personId, basisId);
      return withdrawPage(reply, personId, plan, { reason: '', choice: '', newLeadTeamId: '' }, []);
    },
  );

  app.post(
    '/people/:personId/sharing/:basisId/withdraw',
    {
      config: { access: 'signed-in', page: true },
      schema: { hide: true, params: SharingBasisParams, body: FormBodySchema },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { personId, basisId } = request.params;
      const body = request.body;
      const values = {
        reason: text(body, 'reason'),
        choice: text(body, 'choice'),
        newLeadTeamId: text(body, 'newLeadTeamId'),
      };
      const choice = (CHOICES as readonly string[]).includes(values.choice)
        ? (values.choice as Choice)
        : null;
      let errors: FieldError[];
      try {
        if (choice === 'escalate') {
          await sharing.escalate(actor, personId, { reason: values.reason });
          return reply.redirect(`/people/${personId}?escalated=1#lead-team`, 303);
        }
        const done = await sharing.withdraw(actor, personId, basisId, {
          reason: values.reason,
          ...(choice === 'hand-over' && values.newLeadTeamId ? { newLeadTeamId: values.newLeadTeamId } : {}),
        });
        return reply.redirect(afterWithdrawal(actor, personId, done.readerKeepsAccess, choice), 303);
      } catch (error) {
        errors = errorsOnForm(error, withdrawMapping);
      }
      const plan = await sharing.withdrawalPlan(actor, personId, basisId);
      // Which way to go is asked first when the lead team would lose the record.
      if (plan.removesLead && !plan.byThePerson && !choice) {
        errors = [
          {
            field: 'choice',
            message:
              'Choose whether to hand the record over to another team or ask the team manager to decide',
          },
          ...errors.filter((e) => e.field !== 'newLeadTeamId'),
        ];
      }
      return withdrawPage(reply, personId, plan, values, errors);
    },
  );

  const leadTeamPage = async (
    reply: FastifyReply,
    actor: Actor,
    personId: string,
    values: AssignLeadTeamInput,
    errors: FieldError[],
  ) => {
    const decision = await sharing.leadTeamDecision(actor, personId);
    return renderWithErrors(
      reply,
      'lead-team',
      {
        pageTitle: `Choose the team responsible for ${decision.personName}’s record`,
        personId,
        personName: decision.personName,
        lead: leadView(decision.lead),
        teamItems: teamItems(decision.teams, values.teamId),
        values,
      },
      errors,
    );
  };

  app.get(
    '/people/:personId/lead-team',
    { config: { access: LEAD_DECIDERS, page: true }, schema: { hide: true, params: PersonParams } },
    async (request, reply) =>
      leadTeamPage(reply, requireActor(request), request.params.personId, { teamId: '', reason: '' }, []),
  );

  app.post(
    '/people/:personId/lead-team',
    {
      config: { access: LEAD_DECIDERS, page: true },
      schema: { hide: true, params: PersonParams, body: FormBodySchema },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { personId } = request.params;
      const values = leadTeamForm.input(request.body);
      try {
        await sharing.assignLeadTeam(actor, personId, values);
        return reply.redirect('/records-needing-a-team?assigned=1', 303);
      } catch (error) {
        return leadTeamPage(reply, actor, personId, values, errorsOnForm(error, leadTeamForm.mapping));
      }
    },
  );

  app.get(
    '/records-needing-a-team',
    {
      config: { access: LEAD_DECIDERS, page: true },
      schema: {
        hide: true,
        querystring: Type.Object({ assigned: Type.Optional(Type.String({ maxLength: 5 })) }),
      },
    },
    async (request, reply) => {
      const entries = await sharing.recordsNeedingTeam(requireActor(request));
      return reply.page('records-needing-a-team', {
        pageTitle: 'Records needing a responsible team',
        entries: entries.map((e) => ({ ...e, lead: leadView(e.lead) })),
        assigned: Boolean(request.query.assigned),
      });
    },
  );

  const ConsentParams = Type.Object({
    personId: Type.String({ format: 'uuid' }),
    organisationId: Type.String({ format: 'uuid' }),
  });

  app.get(
    '/people/:personId/sharing/consent/:organisationId',
    { config: { access: { roles: ['person'] }, page: true }, schema: { hide: true, params: ConsentParams } },
    async (request, reply) => {
      const { personId, organisationId } = request.params;
      const plan = await sharing.consentAgainPlan(requireActor(request), personId, { organisationId });
      return reply.page('sharing-consent', {
        pageTitle: `Let ${plan.organisationName} see your record again`,
        personId,
        organisationId,
        organisationName: plan.organisationName,
        lead: leadView(plan.lead),
      });
    },
  );

  app.post(
    '/people/:personId/sharing/consent/:organisationId',
    {
      config: { access: { roles: ['person'] }, page: true },
      schema: { hide: true, params: ConsentParams, body: FormBodySchema },
    },
    async (request, reply) => {
      const { personId, organisationId } = request.params;
      await sharing.consentAgain(requireActor(request), personId, { organisationId });
      return reply.redirect('/my?consented=1#who-can-see', 303);
    },
  );

  const form = (reply: FastifyReply, body: FormBody, errors: FieldError[]) =>
    renderWithErrors(
      reply,
      'break-glass',
      {
        pageTitle: 'Break-glass access',
        hours: BREAK_GLASS_HOURS,
        minReason: BREAK_GLASS_MIN_REASON,
        values: breakGlassForm.input(body),
      },
      errors,
    );

  app.get(
    '/break-glass',
    { config: { access: CARE_STAFF, page: true }, schema: { hide: true } },
    async (_request, reply) => form(reply, {}, []),
  );

  app.post(
    '/break-glass',
    { config: { access: CARE_STAFF, page: true }, schema: { hide: true, body: FormBodySchema } },
    async (request, reply) => {
      try {
        const grant = await sharing.breakGlass(requireActor(request), breakGlassForm.input(request.body));
        return reply.redirect(`/people/${grant.personId}?breakGlass=1`, 303);
      } catch (error) {
        return form(reply, request.body, errorsOnForm(error, breakGlassForm.mapping));
      }
    },
  );

  app.get(
    '/break-glass/report',
    { config: { access: { roles: ['team-manager', 'admin'] }, page: true }, schema: { hide: true } },
    async (request, reply) =>
      reply.page('break-glass-report', {
        pageTitle: 'Break-glass access to people in your teams’ care',
        entries: await sharing.breakGlassReport(requireActor(request)),
      }),
  );
}
