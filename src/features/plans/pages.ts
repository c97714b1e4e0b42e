import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Actor } from '../../domain/actor.js';
import { todayIso } from '../../domain/calendar.js';
import {
  ACTION_STATUS_LABELS,
  ACTION_STATUSES,
  type ActionStatus,
  emptyCarePlan,
  SUPPORT_KIND_LABELS,
  SUPPORT_KINDS,
} from '../../domain/care-plan.js';
import { VIEWPOINT_LABELS } from '../../domain/ratings.js';
import { CARE_STAFF } from '../../domain/route-access.js';
import { requireActor } from '../../http/request-actor.js';
import { ServiceError } from '../../services/errors.js';
import type { Services } from '../../services/index.js';
import { type FieldError, FormBodySchema, integer, renderWithErrors, text } from '../../web/forms.js';
import type { OrganisationSummary } from '../directory/service.js';
import type { PersonalOutcome } from '../outcomes/service.js';
import type { PersonDetails } from '../people/service.js';
import type { Relation } from '../record-access/person-access.js';
import {
  formFieldFor,
  formFromBody,
  formFromPlan,
  isUuid,
  type PlanForm,
  type PlanFromForm,
  planFromForm,
} from './form.js';

const page = (access: 'signed-in' | typeof CARE_STAFF) => ({ access, page: true });
const PersonParams = Type.Object({ personId: Type.String({ maxLength: 100 }) });
const VersionParams = Type.Object({
  personId: Type.String({ maxLength: 100 }),
  version: Type.String({ maxLength: 20 }),
});
const OptionalQuery = (...names: string[]) =>
  Type.Object(Object.fromEntries(names.map((n) => [n, Type.Optional(Type.String({ maxLength: 100 }))])));

/** Tag colours for an action's status: the same everywhere a status is shown. */
export const ACTION_STATUS_COLOURS: Record<ActionStatus, string> = {
  'not-started': 'grey',
  'in-progress': 'blue',
  done: 'green',
  stopped: 'red',
};

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

const positiveInteger = (value: string | undefined): number | null => {
  const n = Number(value);
  return value && Number.isInteger(n) && n >= 1 && n <= 1_000_000 ? n : null;
};

/** The page for a person, plan or version that does not exist or is not the reader's to see. */
export function notFoundPage(reply: FastifyReply, message?: string): FastifyReply {
  return reply.code(404).page('error', {
    pageTitle: 'Page not found',
    message: message ?? 'No person with that id is in your caseload or circle.',
  });
}

/** Runs a page handler, answering a 404 from the services (or a malformed id) with the not-found page. */
export async function orNotFound(
  reply: FastifyReply,
  personId: string,
  render: () => Promise<FastifyReply>,
): Promise<FastifyReply> {
  if (!isUuid(personId)) return notFoundPage(reply);
  try {
    return await render();
  } catch (error) {
    if (error instanceof ServiceError && error.status === 404) return notFoundPage(reply, error.message);
    throw error;
  }
}

/** Where "back" is for the reader: the person's own view, a carer's view, or the person's summary. */
export function homeFor(relation: Relation, personId: string): string {
  if (relation.kind === 'self') return '/my';
  if (relation.kind === 'carer') return `/my/people/${personId}`;
  return `/people/${personId}`;
}

export const mayContribute = (relation: Relation): boolean =>
  relation.kind !== 'carer' || relation.mayContribute;

/** Names for the ids a plan holds: outcomes, organisations and teams. */
function namesFor(outcomes: PersonalOutcome[], organisations: OrganisationSummary[]) {
  return {
    outcomeStatements: Object.fromEntries(outcomes.map((o) => [o.outcomeId, o.statement])),
    organisationNames: Object.fromEntries(organisations.map((o) => [o.organisationId, o.name])),
    teamNames: Object.fromEntries(organisations.flatMap((o) => o.teams.map((t) => [t.teamId, t.name]))),
  };
}

function personContext(person: PersonDetails, relation: Relation) {
  return {
    person,
    relation,
    isCareTeam: relation.kind === 'care-team',
    mayContribute: mayContribute(relation),
    personNav: 'plan',
    showNav: relation.kind === 'care-team',
    backHref: homeFor(relation, person.personId),
    labels: planLabels,
  };
}

export async function planPages(parent: FastifyInstance, opts: { services: Services }) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { records, plans, people, outcomes, directory } = opts.services;

  /** Everything the plan page shows, in one audited read of the record. */
  async function planPageContext(actor: Actor, personId: string) {
    const [record, organisations] = await Promise.all([
      records.record(actor, personId, todayIso()),
      directory.listOrganisations(actor),
    ]);
    const { plan } = record;
    const latest = plan.current?.version ?? 0;
    return {
      pageTitle: 'Care and support plan',
      ...personContext(record.person, record.relation),
      ...namesFor(record.outcomes, organisations),
      plan,
      compareDefaults: { from: Math.max(1, latest - 1), to: latest },
    };
  }

  app.get(
    '/people/:personId/plan',
    {
      config: page('signed-in'),
      schema: { hide: true, params: PersonParams, querystring: OptionalQuery('saved', 'commented') },
    },
    async (request, reply) => {
      const { personId } = request.params;
      return orNotFound(reply, personId, async () => {
        const context = await planPageContext(requireActor(request), personId);
        return reply.page('plan', {
          ...context,
          saved: positiveInteger(request.query.saved),
          commented: request.query.commented === '1',
          values: {},
          errors: [],
          errorFor: {},
        });
      });
    },
  );

  app.post(
    '/people/:personId/plan/comments',
    { config: page('signed-in'), schema: { hide: true, params: PersonParams, body: FormBodySchema } },
    async (request, reply) => {
      const { personId } = request.params;
      const actor = requireActor(request);
      const body = text(request.body, 'body');
      return orNotFound(reply, personId, async () => {
        const context = await planPageContext(actor, personId);
        const version = integer(request.body, 'version', 1, 1_000_000) ?? context.plan.current?.version ?? 0;
        let errors: FieldError[] = [];
        if (!context.plan.current) {
          errors = [{ field: 'body', message: 'There is no plan to comment on yet.' }];
        } else {
          try {
            await plans.comment(actor, personId, { version, body });
            return reply.redirect(`/people/${personId}/plan?commented=1#comments`, 303);
          } catch (error) {
            if (error instanceof ServiceError && error.status === 404) throw error;
            errors = commentErrors(error);
          }
        }
        return renderWithErrors(reply, 'plan', { ...context, values: { body } }, errors);
      });
    },
  );

  app.get(
    '/people/:personId/plan/print',
    { config: page('signed-in'), schema: { hide: true, params: PersonParams } },
    async (request, reply) => {
      const { personId } = request.params;
      return orNotFound(reply, personId, async () => {
        const context = await planPageContext(requireActor(request), personId);
        return reply.page('plan-print', {
          ...context,
          pageTitle: `Care and support plan for ${context.person.name}`,
          printedOn: todayIso(),
        });
      });
    },
  );

  /** A person's details and names for a plan's ids, for the pages that show one version or two. */
  async function versionContext(actor: Actor, personId: string) {
    const [{ person, relation }, organisations] = await Promise.all([
      people.details(actor, personId),
      directory.listOrganisations(actor),
    ]);
    // The details call checked access and audited the read; the outcomes are part of it.
    const personOutcomes = await outcomes.ofRecord({ personId });
    return { ...personContext(person, relation), ...namesFor(personOutcomes, organisations) };
  }

  app.get(
    '/people/:personId/plan/versions/:version',
    { config: page('signed-in'), schema: { hide: true, params: VersionParams } },
    async (request, reply) => {
      const { personId } = request.params;
      const number = positiveInteger(request.params.version);
      return orNotFound(reply, personId, async () => {
        if (number === null) return notFoundPage(reply, 'There is no version of the plan with that number.');
        const actor = requireActor(request);
        const context = await versionContext(actor, personId);
        const [version, view] = await Promise.all([
          plans.version(actor, personId, number),
          plans.load(personId),
        ]);
        return reply.page('plan-version', {
          ...context,
          pageTitle: `Version ${number} of the care and support plan`,
          version,
          latestVersion: view.current?.version ?? number,
        });
      });
    },
  );

  app.get(
    '/people/:personId/plan/compare',
    {
      config: page('signed-in'),
      schema: { hide: true, params: PersonParams, querystring: OptionalQuery('from', 'to') },
    },
    async (request, reply) => {
      const { personId } = request.params;
      return orNotFound(reply, personId, async () => {
        const actor = requireActor(request);
        const context = await versionContext(actor, personId);
        // The details call checked access and audited the read; compare audits the comparison.
        const view = await plans.load(personId);
        const latest = view.current?.version ?? 0;
        const base = { ...context, pageTitle: 'Compare versions of the plan', versions: view.versions };
        if (latest < 2) return reply.page('plan-compare', { ...base, comparison: null });
        const from = positiveInteger(request.query.from) ?? latest - 1;
        const to = positiveInteger(request.query.to) ?? latest;
        const comparison = await plans.compare(actor, personId, from, to);
        const named = (path: string, value: string | null) => {
          if (value === null) return null;
          if (path.endsWith('.outcomeId')) return context.outcomeStatements[value] ?? value;
          if (path.endsWith('.who.organisationId')) return context.organisationNames[value] ?? value;
          if (path.endsWith('.who.teamId')) return context.teamNames[value] ?? value;
          return value;
        };
        return reply.page('plan-compare', {
          ...base,
          pageTitle: `Changes from version ${from} to version ${to} of the plan`,
          comparison: {
            from: comparison.from,
            to: comparison.to,
            changes: comparison.changes.map((c) => ({
              ...c,
              before: named(c.path, c.before),
              after: named(c.path, c.after),
            })),
          },
        });
      });
    },
  );

  /** The edit form's context: the person, their outcomes and the organisations an action can name. */
  async function editContext(actor: Actor, personId: string) {
    const [record, organisations] = await Promise.all([
      records.record(actor, personId, todayIso()),
      directory.listOrganisations(actor),
    ]);
    if (record.relation.kind !== 'care-team') {
      throw new ServiceError(403, 'Not allowed', 'Only practitioners in the care team can change the plan.');
    }
    return {
      record,
      organisations,
      context: {
        ...personContext(record.person, record.relation),
        ...namesFor(record.outcomes, organisations),
        pageTitle: record.plan.current
          ? 'Edit the care and support plan'
          : 'Create the care and support plan',
        isNewPlan: !record.plan.current,
        latestVersion: record.plan.current?.version ?? 0,
        options: {
          outcomes: record.outcomes.map((o) => ({ value: o.outcomeId, text: o.statement })),
          organisations: organisations.map((o) => ({ value: o.organisationId, text: o.name })),
          supportKinds: SUPPORT_KINDS.map((k) => ({ value: k, text: SUPPORT_KIND_LABELS[k] })),
          statuses: ACTION_STATUSES.map((s) => ({ value: s, text: ACTION_STATUS_LABELS[s] })),
          confidence: Array.from({ length: 11 }, (_, n) => ({ value: String(n), text: `${n} out of 10` })),
        },
      },
    };
  }

  const renderEdit = (
    reply: FastifyReply,
    context: Record<string, unknown> & { pageTitle: string },
    form: PlanForm,
    errors: FieldError[] = [],
  ) => renderWithErrors(reply, 'plan-edit', { ...context, form, stale: null }, errors);

  app.get(
    '/people/:personId/plan/edit',
    {
      config: page(CARE_STAFF),
      schema: { hide: true, params: PersonParams, querystring: OptionalQuery('saved') },
    },
    async (request, reply) => {
      const { personId } = request.params;
      return orNotFound(reply, personId, async () => {
        const { record, context } = await editContext(requireActor(request), personId);
        const current = record.plan.current;
        const form = formFromPlan(current?.content ?? emptyCarePlan(), current?.version ?? 0);
        return renderEdit(reply, { ...context, saved: positiveInteger(request.query.saved) }, form);
      });
    },
  );

  app.post(
    '/people/:personId/plan/edit',
    { config: page(CARE_STAFF), schema: { hide: true, params: PersonParams, body: FormBodySchema } },
    async (request, reply) => {
      const { personId } = request.params;
      const actor = requireActor(request);
      return orNotFound(reply, personId, async () => {
        const { record, organisations, context } = await editContext(actor, personId);
        const form = formFromBody(request.body);
        const built: PlanFromForm = planFromForm(form, {
          outcomeIds: new Set(record.outcomes.map((o) => o.outcomeId)),
          organisationIds: new Set(organisations.map((o) => o.organisationId)),
        });
        if (!built.content) return renderEdit(reply, context, form, built.errors);
        try {
          const saved = await plans.save(actor, personId, {
            content: built.content,
            basedOn: form.basedOn,
            changeSummary: form.changeSummary,
          });
          const next = text(request.body, 'next');
          return reply.redirect(
            next === 'add-action'
              ? `/people/${personId}/plan/edit?saved=${saved.version}`
              : `/people/${personId}/plan?saved=${saved.version}`,
            303,
          );
        } catch (error) {
          if (!(error instanceof ServiceError) || error.status >= 500 || error.status === 404) throw error;
          if (error.status === 409) {
            // Nothing of theirs is lost: the form comes back as they wrote it, with a way to start again.
            return reply.code(409).page('plan-edit', {
              ...context,
              pageTitle: `Error: ${context.pageTitle}`,
              heading: context.pageTitle,
              form,
              stale: error.message,
              errors: [],
              errorFor: {},
            });
          }
          return renderEdit(reply, context, form, [
            { field: formFieldFor(error.field ?? '', built.rows), message: error.message },
          ]);
        }
      });
    },
  );
}

/** A refused comment as the comment field's error: the carer not authorised to add, or a bad comment. */
function commentErrors(error: unknown): FieldError[] {
  if (error instanceof ServiceError && error.status < 500) return [{ field: 'body', message: error.message }];
  throw error;
}
