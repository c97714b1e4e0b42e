import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { type Actor, hasRole } from '../../domain/actor.js';
import { todayIso } from '../../domain/calendar.js';
import { CARE_TEAM_SUPPORT_LABELS, type CareTeamSupportKind } from '../../domain/care-team.js';
import { CARERS_FRAMEWORK, CATEGORY_LABELS, type OutcomeCategory } from '../../domain/outcome-frameworks.js';
import { ratingLabel, ratingLabelOnScale, VIEWPOINTS, type Viewpoint } from '../../domain/ratings.js';
import { capabilitiesOf, viewpointOf } from '../../domain/record-access.js';
import { requireActor } from '../../http/request-actor.js';
import { PersonParams } from '../../http/schemas.js';
import type { Services } from '../../services/index.js';
import { checked, FormBodySchema, renderWithErrors, serviceFieldErrors, text } from '../../web/forms.js';
import { homeFor } from '../../web/record-links.js';
import type { Framework } from '../frameworks/service.js';
import { errorsOnForm } from '../outcomes/form.js';
import { OutcomeParams } from '../outcomes/schema.js';
import type { PersonalOutcome } from '../outcomes/service.js';
import type { CareTeamMember } from '../people/service.js';
import type { AccessGrant } from '../record-access/person-access.js';
import { rightsOnRecord } from '../rights/pages.js';
import { noLongerSharing } from '../sharing/service.js';
import { addOutcomeFromForm, ratingFromForm } from './form.js';

const personOrCarer = { roles: ['person', 'carer'] } as const;
const carer = { roles: ['carer'] } as const;
/** Everyone who may add to a record; the services decide whose record. */
const contributors = { roles: ['person', 'carer', 'practitioner', 'team-manager'] } as const;

const BannerQuery = Type.Object({
  added: Type.Optional(Type.String({ maxLength: 100 })),
  rated: Type.Optional(Type.String({ maxLength: 100 })),
});

/**
 * How each viewpoint is named to the reader, who reads from their own viewpoint: "you" to the
 * person, their name to a carer.
 */
function viewpointNames(reader: Viewpoint, personName: string): Record<Viewpoint, [string, string]> {
  if (reader === 'person') {
    return {
      person: ['You', 'you'],
      carer: ['Your carer', 'your carer'],
      practitioner: ['Your practitioner', 'your practitioner'],
    };
  }
  if (reader === 'carer') {
    return {
      person: [personName, personName],
      carer: ['A carer', 'a carer'],
      practitioner: ['A practitioner', 'a practitioner'],
    };
  }
  return {
    person: [personName, personName],
    carer: ['Carer', 'the carer'],
    practitioner: ['Practitioner', 'the practitioner'],
  };
}

/** One outcome for the person's own view: their words, each viewpoint's latest rating, never averaged. */
function outcomeView(outcome: PersonalOutcome, reader: Viewpoint, personName: string) {
  const names = viewpointNames(reader, personName);
  const labels = outcome.framework.ratingLabels;
  const latest = VIEWPOINTS.flatMap((v) => {
    const rating = outcome.latest[v];
    return rating ? [{ viewpoint: v, rating }] : [];
  });
  const ratings = latest.map(({ viewpoint, rating }) => ({
    viewpoint: names[viewpoint][0],
    ratedBy: viewpoint === 'person' ? null : rating.ratedBy,
    rating: ratingLabelOnScale(rating.score, labels),
    ratedAt: rating.ratedAt,
  }));
  const said = latest.map(
    ({ viewpoint, rating }, i) =>
      `${i === 0 ? names[viewpoint][0] : names[viewpoint][1]} said “${ratingLabel(rating.score, labels)}”`,
  );
  const mine = outcome.latest[reader];
  return {
    outcomeId: outcome.outcomeId,
    statement: outcome.statement,
    whyItMatters: outcome.whyItMatters,
    status: outcome.status,
    domains: outcome.domains.map((d) => d.name),
    scale: labels.map((label, i) => ({ value: String(i + 1), text: label })),
    mine: mine ? { rating: ratingLabelOnScale(mine.score, labels), ratedAt: mine.ratedAt } : null,
    ratings,
    differ: outcome.disagreement.disagree
      ? `Views differ: ${said.slice(0, -1).join(', ')} and ${said.at(-1)}. That is not a mistake: it is worth talking about at the next review.`
      : null,
  };
}

function careTeamView(members: CareTeamMember[]) {
  return members.map((m) => ({
    who: m.userName ?? m.teamName ?? m.organisationName,
    role: m.roleDescription,
    team: m.userName ? m.teamName : null,
    organisation: m.organisationName,
    support: CARE_TEAM_SUPPORT_LABELS[m.supportKind as CareTeamSupportKind] ?? m.supportKind,
    isKeyWorker: m.isKeyWorker,
  }));
}

/** The framework's categories in plain words, for the people the outcomes belong to. */
const PLAIN_CATEGORY_LABELS: Partial<Record<OutcomeCategory, string>> = {
  'quality-of-life': 'Quality of life',
  process: 'How support is given',
  change: 'Changes hoped for',
  // The carers' framework codes a carer's own record, which only the carer reads.
  'carer-quality-of-life': 'Your own quality of life',
  'managing-caring-role': 'Managing your caring role',
  'carer-process': 'How you are supported as a carer',
};

function frameworkView(framework: Framework) {
  const categories = [...new Set(framework.domains.map((d) => d.category))];
  return {
    name: framework.name,
    isCarers: framework.key === CARERS_FRAMEWORK.key,
    scale: framework.ratingLabels.map((label, i) => ({ value: String(i + 1), text: label })),
    domainGroups: categories.map((category) => ({
      category: PLAIN_CATEGORY_LABELS[category] ?? CATEGORY_LABELS[category] ?? category,
      items: framework.domains
        .filter((d) => d.category === category)
        .map((d) => ({ value: d.domainId, text: d.name, hint: { text: d.description } })),
    })),
  };
}

/** Whose record the reader is reading, for the wording: their own, or someone's they care for. */
const readerOf = (viewpoint: Viewpoint) => ({
  isSelf: viewpoint === 'person',
  isCarer: viewpoint === 'carer',
});

export async function myPages(parent: FastifyInstance, opts: { services: Services }) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { records, people, outcomes } = opts.services;

  /** The person's own view of their record, or an authorised carer's view of it. */
  async function recordPage(
    reply: FastifyReply,
    actor: Actor,
    personId: string,
    query: { added?: string; rated?: string },
  ) {
    const record = await records.record(actor, personId, todayIso());
    const { person, relation, plan } = record;
    // The record service names the reader's relation; what it lets them do is the one rule's.
    const can = capabilitiesOf(relation);
    const viewpoint = viewpointOf(relation);
    const views = record.outcomes.map((o) => outcomeView(o, viewpoint, person.givenName));
    const statementOf = (id: string | undefined) => views.find((o) => o.outcomeId === id)?.statement ?? null;
    const caredFor = viewpoint === 'person' ? await people.peopleCaredFor(actor) : [];
    return reply.page('my-record', {
      pageTitle: viewpoint === 'person' ? 'My record' : `${person.name}’s record`,
      person,
      ...readerOf(viewpoint),
      can,
      outcomes: views,
      plan: plan.current
        ? {
            version: plan.current.version,
            createdAt: plan.current.createdAt,
            createdBy: plan.current.createdBy,
            goals: plan.current.content.goals.map((g) => ({
              description: g.description,
              actions: g.actions.length,
            })),
          }
        : null,
      nextReviewDate: record.nextReviewDate,
      reviewStatus: record.reviewStatus,
      careTeam: careTeamView(record.careTeam),
      caredFor,
      // Who can see the record, and requests to correct or erase it (rights-pages.ts).
      ...(await rightsOnRecord(opts.services.rights, { personId: record.person.personId }, record.sharing)),
      // Organisations the person stopped seeing the record, to which they may give consent again.
      consentAgain: viewpoint === 'person' ? noLongerSharing(record.sharing) : [],
      lead: record.lead,
      added: statementOf(query.added),
      rated: statementOf(query.rated),
    });
  }

  app.get(
    '/my',
    { config: { access: personOrCarer, page: true }, schema: { hide: true, querystring: BannerQuery } },
    async (request, reply) => {
      const actor = requireActor(request);
      // The signed-in person's own record; a carer who is not also a person starts from those they care for.
      if (hasRole(actor, 'person') && actor.personId) {
        return recordPage(reply, actor, actor.personId, request.query);
      }
      return carerHome(reply, actor, request.query);
    },
  );

  /**
   * A carer's home: the people who have shared their record with them and, beside them, the
   * carer's own outcomes as a carer (in a record of their own, once they chose to start one).
   */
  async function carerHome(reply: FastifyReply, actor: Actor, query: { added?: string; rated?: string }) {
    const caredFor = await people.peopleCaredFor(actor);
    const ownId = actor.personId;
    const own = ownId
      ? (await outcomes.list(actor, ownId)).map((o) => outcomeView(o, 'person', actor.displayName))
      : null;
    const statementOf = (id: string | undefined) => own?.find((o) => o.outcomeId === id)?.statement ?? null;
    return reply.page('my-people', {
      pageTitle: 'People you care for',
      caredFor,
      own: own && ownId ? { personId: ownId, outcomes: own } : null,
      // Banners name what the server holds: an id that is not one of the carer's outcomes shows none.
      added: statementOf(query.added),
      rated: statementOf(query.rated),
    });
  }

  const startPage = (actor: Actor, values: Record<string, unknown>) => {
    const [givenName = '', ...rest] = actor.displayName.trim().split(/\s+/);
    return {
      pageTitle: 'Record what matters to you as a carer',
      values: { givenName, familyName: rest.join(' '), ...values },
    };
  };

  app.get(
    '/my/carer-record',
    { config: { access: carer, page: true }, schema: { hide: true } },
    async (request, reply) => {
      const actor = requireActor(request);
      if (actor.personId) return reply.redirect(`/people/${actor.personId}/outcomes/new`, 303);
      return renderWithErrors(reply, 'my-carer-record-start', startPage(actor, {}), []);
    },
  );

  app.post(
    '/my/carer-record',
    { config: { access: carer, page: true }, schema: { hide: true, body: FormBodySchema } },
    async (request, reply) => {
      const actor = requireActor(request);
      const values = {
        givenName: text(request.body, 'givenName'),
        familyName: text(request.body, 'familyName'),
        consent: checked(request.body, 'consent'),
      };
      try {
        const personId = await people.startCarerRecord(actor, {
          givenName: values.givenName,
          familyName: values.familyName,
          consent: values.consent as true,
        });
        return reply.redirect(`/people/${personId}/outcomes/new`, 303);
      } catch (error) {
        const errors = serviceFieldErrors(error, 'consent');
        return renderWithErrors(reply, 'my-carer-record-start', startPage(actor, values), errors);
      }
    },
  );

  app.get(
    '/my/people/:personId',
    {
      config: { access: carer, page: true },
      schema: { hide: true, params: PersonParams, querystring: BannerQuery },
    },
    async (request, reply) => {
      const { personId } = request.params;
      const actor = requireActor(request);
      if (personId === actor.personId) return reply.redirect('/my', 303);
      return recordPage(reply, actor, personId, request.query);
    },
  );

  // Adding what matters: the person in their own words, a carer, or a practitioner writing them down.

  /** The page around the form: whose record, in whose words, and where "back" is. */
  async function pageAround(actor: Actor, grant: AccessGrant, pageTitle: (name: string) => string) {
    const { person } = await people.details(actor, grant.personId);
    return {
      pageTitle: pageTitle(person.name),
      person,
      ...readerOf(grant.viewpoint),
      backHref: homeFor(grant.relation.kind, grant.personId),
    };
  }

  const addTitle = (grant: AccessGrant) => (name: string) =>
    grant.viewpoint === 'person'
      ? 'Add something that matters to me'
      : `Add something that matters to ${name}`;

  app.get(
    '/people/:personId/outcomes/new',
    { config: { access: contributors, page: true }, schema: { hide: true, params: PersonParams } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { grant, framework } = await outcomes.addForm(actor, request.params.personId);
      const context = await pageAround(actor, grant, addTitle(grant));
      return renderWithErrors(
        reply,
        'my-outcome-new',
        { ...context, framework: frameworkView(framework), values: { domainIds: [] } },
        [],
      );
    },
  );

  app.post(
    '/people/:personId/outcomes/new',
    {
      config: { access: contributors, page: true },
      schema: { hide: true, params: PersonParams, body: FormBodySchema },
    },
    async (request, reply) => {
      const { personId } = request.params;
      const actor = requireActor(request);
      const { grant, framework } = await outcomes.addForm(actor, personId);
      const mapped = addOutcomeFromForm(request.body, grant.viewpoint);
      try {
        const outcomeId = await outcomes.add(actor, personId, mapped.input);
        const home = homeFor(grant.relation.kind, personId);
        // The person and a carer return to their view with the new outcome shown; the care team to the summary.
        return reply.redirect(
          grant.viewpoint === 'practitioner' ? home : `${home}?added=${outcomeId}#outcome-${outcomeId}`,
          303,
        );
      } catch (error) {
        const errors = errorsOnForm(error, mapped);
        const context = await pageAround(actor, grant, addTitle(grant));
        const values = { ...request.body, domainIds: mapped.input.domainIds ?? [] };
        return renderWithErrors(
          reply,
          'my-outcome-new',
          { ...context, framework: frameworkView(framework), values },
          errors,
        );
      }
    },
  );

  // Rating how things are going, from the reader's own viewpoint.

  const rateTitle = () => 'How is this going?';

  app.get(
    '/people/:personId/outcomes/:outcomeId/rate',
    { config: { access: contributors, page: true }, schema: { hide: true, params: OutcomeParams } },
    async (request, reply) => {
      const { personId, outcomeId } = request.params;
      const actor = requireActor(request);
      const { grant, outcome } = await outcomes.rateForm(actor, personId, outcomeId);
      const context = await pageAround(actor, grant, rateTitle);
      const view = outcomeView(outcome, grant.viewpoint, context.person.givenName);
      return renderWithErrors(reply, 'my-rate', { ...context, outcome: view, values: {} }, []);
    },
  );

  app.post(
    '/people/:personId/outcomes/:outcomeId/rate',
    {
      config: { access: contributors, page: true },
      schema: { hide: true, params: OutcomeParams, body: FormBodySchema },
    },
    async (request, reply) => {
      const { personId, outcomeId } = request.params;
      const actor = requireActor(request);
      const { grant, outcome } = await outcomes.rateForm(actor, personId, outcomeId);
      const mapped = ratingFromForm(request.body);
      try {
        await outcomes.rate(actor, personId, outcomeId, mapped.input);
        return reply.redirect(
          `${homeFor(grant.relation.kind, personId)}?rated=${outcomeId}#outcome-${outcomeId}`,
          303,
        );
      } catch (error) {
        const errors = errorsOnForm(error, mapped);
        const context = await pageAround(actor, grant, rateTitle);
        const view = outcomeView(outcome, grant.viewpoint, context.person.givenName);
        return renderWithErrors(
          reply,
          'my-rate',
          { ...context, outcome: view, values: request.body },
          errors,
        );
      }
    },
  );
}
