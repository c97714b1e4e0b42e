import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Actor } from '../../domain/actor.js';
import { todayIso } from '../../domain/calendar.js';
import type { RelationKind } from '../../domain/record-access.js';
import { MAX_STEP_WORDS } from '../../domain/self-management.js';
import { requireActor } from '../../http/request-actor.js';
import { PersonParams } from '../../http/schemas.js';
import { notFound } from '../../services/errors.js';
import type { Services } from '../../services/index.js';
import {
  dateFields,
  type FieldError,
  type FormBody,
  FormBodySchema,
  renderWithErrors,
  text,
} from '../../web/forms.js';
import { homeFor } from '../../web/record-links.js';
import { errorsOnForm } from '../outcomes/form.js';
import type { AccessGrant } from '../record-access/person-access.js';
import { setStepFromForm, stepProgressFromForm } from './form.js';
import { StepParams } from './schema.js';
import type { SetStepForm, StepProgressForm } from './service.js';
import { setStepHref, stepsByOutcomeView, stepView } from './view.js';

const personOrCarer = { roles: ['person', 'carer'] } as const;
const carer = { roles: ['carer'] } as const;
/** Everyone who may add to a record; the service decides whose record. */
const contributors = { roles: ['person', 'carer', 'practitioner', 'team-manager'] } as const;

/** What the steps page was sent back here after: flags only, shown when the record bears them out. */
const StepsQuery = Type.Object({
  set: Type.Optional(Type.String({ maxLength: 100 })),
  ticked: Type.Optional(Type.String({ maxLength: 100 })),
});

const SetStepQuery = Type.Object({ outcomeId: Type.Optional(Type.String({ maxLength: 100 })) });

/**
 * Where the reader sees the steps: the person's own steps page, a carer's view of the steps of
 * someone they care for, or the person summary's section for the care team.
 */
function stepsPageFor(kind: RelationKind, personId: string): string {
  return kind === 'self' || kind === 'carer'
    ? `${homeFor(kind, personId)}/steps`
    : `/people/${personId}#self-management`;
}

export async function selfManagementPages(parent: FastifyInstance, opts: { services: Services }) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { records, selfManagement, people } = opts.services;

  /** The person's steps, by outcome, from one audited read of the record (as /my's pages read it). */
  async function stepsPage(
    reply: FastifyReply,
    actor: Actor,
    personId: string,
    query: { set?: string; ticked?: string },
  ) {
    const today = todayIso();
    const record = await records.record(actor, personId, today);
    const { person, relation } = record;
    const isSelf = relation.kind === 'self';
    const reader = isSelf ? 'person' : 'carer';
    const groups = stepsByOutcomeView(
      record.selfManagementSteps,
      record.outcomes,
      person.personId,
      today,
      reader,
    );
    const withoutSteps = record.outcomes
      .filter((o) => o.status === 'active' && !groups.some((g) => g.outcomeId === o.outcomeId))
      .map((o) => ({ statement: o.statement, href: setStepHref(person.personId, o.outcomeId) }));
    const wordsOf = (id: string | undefined) =>
      record.selfManagementSteps.find((s) => s.stepId === id)?.words ?? null;
    return reply.page('my-steps', {
      pageTitle: isSelf ? 'My steps' : `${person.name}’s steps`,
      person,
      isSelf,
      isCarer: !isSelf,
      can: record.can,
      base: homeFor(relation.kind, person.personId),
      groups,
      withoutSteps,
      hasActiveOutcomes: record.outcomes.some((o) => o.status === 'active'),
      setHref: setStepHref(person.personId),
      // Banners name what the server holds: an id that is not one of the record's steps shows none.
      set: wordsOf(query.set),
      ticked: wordsOf(query.ticked),
    });
  }

  app.get(
    '/my/steps',
    { config: { access: personOrCarer, page: true }, schema: { hide: true, querystring: StepsQuery } },
    async (request, reply) => {
      const actor = requireActor(request);
      if (!actor.personId) throw notFound('Your record');
      return stepsPage(reply, actor, actor.personId, request.query);
    },
  );

  app.get(
    '/my/people/:personId/steps',
    {
      config: { access: carer, page: true },
      schema: { hide: true, params: PersonParams, querystring: StepsQuery },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { personId } = request.params;
      if (personId === actor.personId) return reply.redirect('/my/steps', 303);
      return stepsPage(reply, actor, personId, request.query);
    },
  );

  /** The page around a form: whose record, in whose words, and where "back" is. */
  async function around(actor: Actor, grant: AccessGrant) {
    const { person } = await people.details(actor, grant.personId);
    return {
      person,
      isSelf: grant.viewpoint === 'person',
      isCarer: grant.viewpoint === 'carer',
      backHref: stepsPageFor(grant.relation.kind, grant.personId),
    };
  }

  const setStepPage = async (
    reply: FastifyReply,
    actor: Actor,
    form: SetStepForm,
    values: Record<string, unknown>,
    errors: FieldError[],
  ) => {
    const context = await around(actor, form.grant);
    const chosen = String(values.outcomeId ?? '');
    return renderWithErrors(
      reply,
      'step-new',
      {
        ...context,
        pageTitle: context.isSelf ? 'Set a step for myself' : `Set a step with ${context.person.name}`,
        outcomeItems: form.outcomes.map((o) => ({
          value: o.outcomeId,
          text: `“${o.statement}”`,
          checked: o.outcomeId === chosen,
        })),
        maxWords: MAX_STEP_WORDS,
        values,
      },
      errors,
    );
  };

  app.get(
    '/people/:personId/self-management/steps/new',
    {
      config: { access: contributors, page: true },
      schema: { hide: true, params: PersonParams, querystring: SetStepQuery },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const form = await selfManagement.setForm(actor, request.params.personId);
      // Only one of the record's own outcomes is chosen in advance; anything else in the address is ignored.
      const outcomeId = form.outcomes.some((o) => o.outcomeId === request.query.outcomeId)
        ? request.query.outcomeId
        : form.outcomes.length === 1
          ? form.outcomes[0]?.outcomeId
          : '';
      return setStepPage(reply, actor, form, { outcomeId, targetDate: dateFields({}, 'targetDate') }, []);
    },
  );

  app.post(
    '/people/:personId/self-management/steps/new',
    {
      config: { access: contributors, page: true },
      schema: { hide: true, params: PersonParams, body: FormBodySchema },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { personId } = request.params;
      const form = await selfManagement.setForm(actor, personId);
      const mapped = setStepFromForm(request.body, form.grant.viewpoint);
      try {
        const stepId = await selfManagement.set(actor, personId, mapped.input);
        const kind = form.grant.relation.kind;
        return reply.redirect(
          kind === 'self' || kind === 'carer'
            ? `${homeFor(kind, personId)}/steps?set=${stepId}#step-${stepId}`
            : stepsPageFor(kind, personId),
          303,
        );
      } catch (error) {
        const errors = errorsOnForm(error, mapped);
        return setStepPage(reply, actor, form, formValues(request.body), errors);
      }
    },
  );

  const progressPage = async (
    reply: FastifyReply,
    actor: Actor,
    form: StepProgressForm,
    values: Record<string, unknown>,
    errors: FieldError[],
  ) => {
    const context = await around(actor, form.grant);
    const step = stepView(form.step, form.grant.personId, todayIso(), form.grant.viewpoint);
    return renderWithErrors(
      reply,
      'step-progress',
      {
        ...context,
        pageTitle: context.isSelf ? 'How did your step go?' : 'How did the step go?',
        step,
        outcome: form.outcome ? { statement: form.outcome.statement } : null,
        values,
      },
      errors,
    );
  };

  app.get(
    '/people/:personId/self-management/steps/:stepId',
    { config: { access: contributors, page: true }, schema: { hide: true, params: StepParams } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { personId, stepId } = request.params;
      const form = await selfManagement.progressForm(actor, personId, stepId);
      const { step } = form;
      // The page is opened to tick the step off, so the box starts ticked; what was said before is kept.
      const values = { done: true, whatHelped: step.whatHelped, whatGotInTheWay: step.whatGotInTheWay };
      return progressPage(reply, actor, form, values, []);
    },
  );

  app.post(
    '/people/:personId/self-management/steps/:stepId',
    {
      config: { access: contributors, page: true },
      schema: { hide: true, params: StepParams, body: FormBodySchema },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { personId, stepId } = request.params;
      const form = await selfManagement.progressForm(actor, personId, stepId);
      const mapped = stepProgressFromForm(request.body);
      try {
        await selfManagement.recordProgress(actor, personId, stepId, mapped.input);
        const kind = form.grant.relation.kind;
        return reply.redirect(
          kind === 'self' || kind === 'carer'
            ? `${homeFor(kind, personId)}/steps?ticked=${stepId}#step-${stepId}`
            : stepsPageFor(kind, personId),
          303,
        );
      } catch (error) {
        const errors = errorsOnForm(error, mapped);
        return progressPage(reply, actor, form, { ...mapped.input }, errors);
      }
    },
  );
}

/** What was typed, to show again on the form with its errors. */
function formValues(body: FormBody) {
  return {
    outcomeId: text(body, 'outcomeId'),
    words: text(body, 'words'),
    targetDate: dateFields(body, 'targetDate'),
  };
}
