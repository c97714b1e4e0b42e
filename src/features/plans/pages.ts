import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { todayIso } from '../../domain/calendar.js';
import {
  ACTION_STATUS_LABELS,
  ACTION_STATUSES,
  emptyCarePlan,
  MAX_ACTIONS_PER_GOAL,
  MAX_GOALS,
  type PlanChange,
  SUPPORT_KIND_LABELS,
  SUPPORT_KINDS,
} from '../../domain/care-plan.js';
import { VIEWPOINT_LABELS } from '../../domain/ratings.js';
import { CARE_STAFF } from '../../domain/route-access.js';
import { requireActor } from '../../http/request-actor.js';
import { PersonParams } from '../../http/schemas.js';
import { ServiceError } from '../../services/errors.js';
import type { Services } from '../../services/index.js';
import { type FieldError, FormBodySchema, renderWithErrors, text } from '../../web/forms.js';
import { homeFor } from '../../web/record-links.js';
import { ACTION_STATUS_COLOURS } from '../../web/tag-colours.js';
import { communitySupportOnPlan } from '../community-referrals/pages.js';
import type { OrganisationSummary } from '../directory/service.js';
import {
  blankAction,
  blankGoal,
  commentFormErrors,
  commentInputFromForm,
  formFromBody,
  formFromPlan,
  type PlanForm,
  planFormErrors,
  saveInputFromForm,
} from './form.js';
import { VersionNumber, VersionParams } from './schema.js';
import type { PlanPage, PlanReader } from './service.js';

const page = (access: 'signed-in' | typeof CARE_STAFF) => ({ access, page: true });

const CHANGE_KIND_TAGS = {
  added: { text: 'Added', colour: 'green' },
  removed: { text: 'Removed', colour: 'red' },
  changed: { text: 'Changed', colour: 'blue' },
} as const;

/** Labels every plan view needs, so templates never hard-code a status or kind. */
const planLabels = {
  status: ACTION_STATUS_LABELS,
  statusColour: ACTION_STATUS_COLOURS,
  supportKind: SUPPORT_KIND_LABELS,
  viewpoint: VIEWPOINT_LABELS,
  changeKind: CHANGE_KIND_TAGS,
};

// Notices after a redirect; an address that does not fit the schema is a 4xx, like any other.
const PlanPageQuery = Type.Object({
  saved: Type.Optional(VersionNumber),
  commented: Type.Optional(Type.Literal('1')),
});
const EditPageQuery = Type.Object({ saved: Type.Optional(VersionNumber) });
const ComparePageQuery = Type.Object({
  from: Type.Optional(VersionNumber),
  to: Type.Optional(VersionNumber),
});

/**
 * What every plan page shows around the plan: the person, what the reader may do (as the service's
 * access check decided), where "back" is for them, and names for the ids a plan holds.
 */
function readerContext(reader: PlanReader, organisations: OrganisationSummary[]) {
  const { person } = reader;
  const ownRecord = reader.viewpoint === 'person';
  return {
    person,
    can: reader.can,
    ownRecord,
    personNav: 'plan',
    // The record's own navigation is for those who work on the record; others come back to theirs.
    showNav: reader.can.manage,
    backHref: homeFor(reader.relationKind, person.personId),
    backText: ownRecord ? 'Back to my record' : `Back to ${person.name}’s record`,
    labels: planLabels,
    outcomeStatements: Object.fromEntries(reader.outcomes.map((o) => [o.outcomeId, o.statement])),
    organisationNames: Object.fromEntries(organisations.map((o) => [o.organisationId, o.name])),
    teamNames: Object.fromEntries(organisations.flatMap((o) => o.teams.map((t) => [t.teamId, t.name]))),
  };
}

function planContext(view: PlanPage, organisations: OrganisationSummary[]) {
  const latest = view.plan.current?.version ?? 0;
  return {
    pageTitle: 'Care and support plan',
    ...readerContext(view, organisations),
    plan: view.plan,
    compareDefaults: { from: Math.max(1, latest - 1), to: latest },
  };
}

/** The edit form's context: the plan's reader context with the choices an action can make. */
function editContext(view: PlanPage, organisations: OrganisationSummary[]) {
  return {
    ...readerContext(view, organisations),
    pageTitle: view.plan.current ? 'Edit the care and support plan' : 'Create the care and support plan',
    isNewPlan: !view.plan.current,
    latestVersion: view.plan.current?.version ?? 0,
    options: {
      outcomes: view.outcomes.map((o) => ({ value: o.outcomeId, text: o.statement })),
      organisations: organisations.map((o) => ({ value: o.organisationId, text: o.name })),
      supportKinds: SUPPORT_KINDS.map((k) => ({ value: k, text: SUPPORT_KIND_LABELS[k] })),
      statuses: ACTION_STATUSES.map((s) => ({ value: s, text: ACTION_STATUS_LABELS[s] })),
      confidence: Array.from({ length: 11 }, (_, n) => ({ value: String(n), text: `${n} out of 10` })),
    },
  };
}

/** A change's values with the ids it holds (outcome, organisation, team) as their names. */
function namedChange(change: PlanChange, names: ReturnType<typeof readerContext>): PlanChange {
  const named = (value: string | null) => {
    if (value === null) return null;
    if (change.path.endsWith('.outcomeId')) return names.outcomeStatements[value] ?? value;
    if (change.path.endsWith('.who.organisationId')) return names.organisationNames[value] ?? value;
    if (change.path.endsWith('.who.teamId')) return names.teamNames[value] ?? value;
    return value;
  };
  return { ...change, before: named(change.before), after: named(change.after) };
}

/** A refusal the page shows on its form; a missing record or version, or a refused reader, is the error handler's. */
const isFormRefusal = (error: unknown): boolean =>
  error instanceof ServiceError && error.status !== 404 && error.status !== 403;

export async function planPages(parent: FastifyInstance, opts: { services: Services }) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { plans, directory } = opts.services;

  app.get(
    '/people/:personId/plan',
    { config: page('signed-in'), schema: { hide: true, params: PersonParams, querystring: PlanPageQuery } },
    async (request, reply) => {
      const actor = requireActor(request);
      const [view, organisations] = await Promise.all([
        plans.page(actor, request.params.personId),
        directory.listOrganisations(actor),
      ]);
      return reply.page('plan', {
        ...planContext(view, organisations),
        // Referrals and signposts to community support, and a search for each outcome (features/community-referrals).
        communitySupport: await communitySupportOnPlan(opts.services.communityReferrals, view.grant),
        saved: request.query.saved ?? null,
        commented: request.query.commented === '1',
        values: {},
        errors: [],
        errorFor: {},
      });
    },
  );

  app.post(
    '/people/:personId/plan/comments',
    { config: page('signed-in'), schema: { hide: true, params: PersonParams, body: FormBodySchema } },
    async (request, reply) => {
      const { personId } = request.params;
      const actor = requireActor(request);
      const input = commentInputFromForm(request.body);
      let errors: FieldError[];
      try {
        await plans.comment(actor, personId, input);
        return reply.redirect(`/people/${personId}/plan?commented=1#comments`, 303);
      } catch (error) {
        // A reader who may see the plan but not add to it is told so on the form.
        if (error instanceof ServiceError && error.status === 404) throw error;
        errors = commentFormErrors(error);
      }
      const [view, organisations] = await Promise.all([
        plans.page(actor, personId),
        directory.listOrganisations(actor),
      ]);
      return renderWithErrors(
        reply,
        'plan',
        {
          ...planContext(view, organisations),
          communitySupport: await communitySupportOnPlan(opts.services.communityReferrals, view.grant),
          values: { body: input.body },
        },
        errors,
      );
    },
  );

  app.get(
    '/people/:personId/plan/print',
    { config: page('signed-in'), schema: { hide: true, params: PersonParams } },
    async (request, reply) => {
      const actor = requireActor(request);
      const [view, organisations] = await Promise.all([
        plans.page(actor, request.params.personId),
        directory.listOrganisations(actor),
      ]);
      return reply.page('plan-print', {
        ...planContext(view, organisations),
        pageTitle: `Care and support plan for ${view.person.name}`,
        printedOn: todayIso(),
      });
    },
  );

  app.get(
    '/people/:personId/plan/versions/:version',
    { config: page('signed-in'), schema: { hide: true, params: VersionParams } },
    async (request, reply) => {
      const { personId, version } = request.params;
      const actor = requireActor(request);
      const [view, organisations] = await Promise.all([
        plans.versionPage(actor, personId, version),
        directory.listOrganisations(actor),
      ]);
      return reply.page('plan-version', {
        ...readerContext(view, organisations),
        pageTitle: `Version ${version} of the care and support plan`,
        version: view.version,
        latestVersion: view.latestVersion,
      });
    },
  );

  app.get(
    '/people/:personId/plan/compare',
    {
      config: page('signed-in'),
      schema: { hide: true, params: PersonParams, querystring: ComparePageQuery },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const [view, organisations] = await Promise.all([
        plans.comparisonPage(actor, request.params.personId, request.query),
        directory.listOrganisations(actor),
      ]);
      const context = readerContext(view, organisations);
      const { comparison } = view;
      return reply.page('plan-compare', {
        ...context,
        versions: view.versions,
        pageTitle: comparison
          ? `Changes from version ${comparison.from.version} to version ${comparison.to.version} of the plan`
          : 'Compare versions of the plan',
        comparison: comparison && {
          ...comparison,
          changes: comparison.changes.map((change) => namedChange(change, context)),
        },
      });
    },
  );

  const renderEdit = (
    reply: FastifyReply,
    context: Record<string, unknown> & { pageTitle: string },
    form: PlanForm,
    errors: FieldError[] = [],
  ) => renderWithErrors(reply, 'plan-edit', { ...context, form, stale: null }, errors);

  app.get(
    '/people/:personId/plan/edit',
    { config: page(CARE_STAFF), schema: { hide: true, params: PersonParams, querystring: EditPageQuery } },
    async (request, reply) => {
      const actor = requireActor(request);
      const [view, organisations] = await Promise.all([
        plans.page(actor, request.params.personId, 'manage'),
        directory.listOrganisations(actor),
      ]);
      const current = view.plan.current;
      const form = formFromPlan(current?.content ?? emptyCarePlan(), current?.version ?? 0);
      return renderEdit(
        reply,
        { ...editContext(view, organisations), saved: request.query.saved ?? null },
        form,
      );
    },
  );

  app.post(
    '/people/:personId/plan/edit',
    { config: page(CARE_STAFF), schema: { hide: true, params: PersonParams, body: FormBodySchema } },
    async (request, reply) => {
      const { personId } = request.params;
      const actor = requireActor(request);
      const form = formFromBody(request.body);
      // "Add another goal" and "Add another action": a blank row more, nothing saved (without script;
      // app.js adds the row on the page instead).
      const next = text(request.body, 'next');
      const addAction = /^add-action-(\d+)$/.exec(next);
      if (next === 'add-goal' || addAction) {
        if (next === 'add-goal' && form.goals.length <= MAX_GOALS) form.goals.push(blankGoal());
        const goal = addAction ? form.goals[Number(addAction[1])] : undefined;
        if (goal && goal.actions.length <= MAX_ACTIONS_PER_GOAL) goal.actions.push(blankAction());
        const [view, organisations] = await Promise.all([
          plans.page(actor, personId, 'manage'),
          directory.listOrganisations(actor),
        ]);
        return renderEdit(reply, editContext(view, organisations), form);
      }
      const { input, rows } = saveInputFromForm(form);
      let refusal: unknown;
      try {
        const saved = await plans.save(actor, personId, input);
        return reply.redirect(
          text(request.body, 'next') === 'add-action'
            ? `/people/${personId}/plan/edit?saved=${saved.version}`
            : `/people/${personId}/plan?saved=${saved.version}`,
          303,
        );
      } catch (error) {
        if (!isFormRefusal(error)) throw error;
        refusal = error;
      }
      // The form comes back as it was written, so nothing typed is lost.
      const [view, organisations] = await Promise.all([
        plans.page(actor, personId, 'manage'),
        directory.listOrganisations(actor),
      ]);
      const context = editContext(view, organisations);
      if (refusal instanceof ServiceError && refusal.status === 409) {
        // Someone saved meanwhile: say so, with a way to start again from their version.
        return reply.code(409).page('plan-edit', {
          ...context,
          pageTitle: `Error: ${context.pageTitle}`,
          heading: context.pageTitle,
          form,
          stale: refusal.message,
          errors: [],
          errorFor: {},
        });
      }
      return renderEdit(reply, context, form, planFormErrors(refusal, form, rows));
    },
  );
}
