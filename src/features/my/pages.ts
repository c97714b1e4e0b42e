import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { type Actor, hasRole } from '../../domain/actor.js';
import { todayIso } from '../../domain/calendar.js';
import { CARE_TEAM_SUPPORT_LABELS, type CareTeamSupportKind } from '../../domain/care-team.js';
import { CATEGORY_LABELS, type OutcomeCategory } from '../../domain/outcome-frameworks.js';
import { VIEWPOINTS, type Viewpoint } from '../../domain/ratings.js';
import { requireActor } from '../../http/request-actor.js';
import type { Services } from '../../services/index.js';
import {
  type FieldError,
  FormBodySchema,
  integer,
  list,
  renderWithErrors,
  serviceFieldErrors,
  text,
} from '../../web/forms.js';
import type { Framework } from '../frameworks/service.js';
import type { PersonalOutcome } from '../outcomes/service.js';
import type { CareTeamMember, PersonDetails } from '../people/service.js';
import { isUuid } from '../plans/form.js';
import { homeFor, mayContribute, notFoundPage, orNotFound } from '../plans/pages.js';
import type { Relation } from '../record-access/person-access.js';
import { rightsOnRecord } from '../rights/pages.js';

const personOrCarer = { roles: ['person', 'carer'] } as const;
const carer = { roles: ['carer'] } as const;
/** Everyone who may add to a record; the services decide whose record. */
const contributors = { roles: ['person', 'carer', 'practitioner', 'team-manager'] } as const;

const PersonParams = Type.Object({ personId: Type.String({ maxLength: 100 }) });
const OutcomeParams = Type.Object({
  personId: Type.String({ maxLength: 100 }),
  outcomeId: Type.String({ maxLength: 100 }),
});
const BannerQuery = Type.Object({
  added: Type.Optional(Type.String({ maxLength: 100 })),
  rated: Type.Optional(Type.String({ maxLength: 100 })),
});

/** How each viewpoint is named to the reader: "you" to the person, their name to a carer. */
function viewpointNames(relation: Relation, personName: string): Record<Viewpoint, [string, string]> {
  if (relation.kind === 'self') {
    return {
      person: ['You', 'you'],
      carer: ['Your carer', 'your carer'],
      practitioner: ['Your practitioner', 'your practitioner'],
    };
  }
  if (relation.kind === 'carer') {
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

const ratingText = (score: number, labels: string[]) =>
  `${labels[score - 1] ?? score} (${score} out of ${labels.length})`;

/** One outcome for the person's own view: their words, each viewpoint's latest rating, never averaged. */
function outcomeView(outcome: PersonalOutcome, relation: Relation, personName: string) {
  const names = viewpointNames(relation, personName);
  const labels = outcome.framework.ratingLabels;
  const own: Viewpoint =
    relation.kind === 'self' ? 'person' : relation.kind === 'carer' ? 'carer' : 'practitioner';
  const latest = VIEWPOINTS.flatMap((v) => {
    const rating = outcome.latest[v];
    return rating ? [{ viewpoint: v, rating }] : [];
  });
  const ratings = latest.map(({ viewpoint, rating }) => ({
    viewpoint: names[viewpoint][0],
    ratedBy: viewpoint === 'person' ? null : rating.ratedBy,
    rating: ratingText(rating.score, labels),
    ratedAt: rating.ratedAt,
  }));
  const said = latest.map(
    ({ viewpoint, rating }, i) =>
      `${i === 0 ? names[viewpoint][0] : names[viewpoint][1]} said “${labels[rating.score - 1] ?? rating.score}”`,
  );
  const mine = outcome.latest[own];
  return {
    outcomeId: outcome.outcomeId,
    statement: outcome.statement,
    whyItMatters: outcome.whyItMatters,
    status: outcome.status,
    domains: outcome.domains.map((d) => d.name),
    scale: labels.map((label, i) => ({ value: String(i + 1), text: label })),
    mine: mine ? { rating: ratingText(mine.score, labels), ratedAt: mine.ratedAt } : null,
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
};

function frameworkView(framework: Framework) {
  const categories = [...new Set(framework.domains.map((d) => d.category))];
  return {
    name: framework.name,
    scale: framework.ratingLabels.map((label, i) => ({ value: String(i + 1), text: label })),
    domainGroups: categories.map((category) => ({
      category: PLAIN_CATEGORY_LABELS[category] ?? CATEGORY_LABELS[category] ?? category,
      items: framework.domains
        .filter((d) => d.category === category)
        .map((d) => ({ value: d.domainId, text: d.name, hint: { text: d.description } })),
    })),
  };
}

const reader = (relation: Relation) => ({
  isSelf: relation.kind === 'self',
  isCarer: relation.kind === 'carer',
});

export async function myPages(parent: FastifyInstance, opts: { services: Services }) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { records, people, outcomes, frameworks } = opts.services;

  /** The person's own view of their record, or an authorised carer's view of it. */
  async function recordPage(
    reply: FastifyReply,
    actor: Actor,
    personId: string,
    query: { added?: string; rated?: string },
  ) {
    const record = await records.record(actor, personId, todayIso());
    const { person, relation, plan } = record;
    const views = record.outcomes.map((o) => outcomeView(o, relation, person.givenName));
    const statementOf = (id: string | undefined) => views.find((o) => o.outcomeId === id)?.statement ?? null;
    const caredFor =
      hasRole(actor, 'carer') && relation.kind === 'self' ? await people.peopleCaredFor(actor) : [];
    return reply.page('my-record', {
      pageTitle: relation.kind === 'self' ? 'My record' : `${person.name}’s record`,
      person,
      relation,
      ...reader(relation),
      mayContribute: mayContribute(relation),
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
      added: statementOf(query.added),
      rated: statementOf(query.rated),
    });
  }

  app.get(
    '/my',
    { config: { access: personOrCarer, page: true }, schema: { hide: true, querystring: BannerQuery } },
    async (request, reply) => {
      const actor = requireActor(request);
      if (hasRole(actor, 'person') && actor.personId) {
        return recordPage(reply, actor, actor.personId, request.query);
      }
      return reply.page('my-people', {
        pageTitle: 'People you care for',
        caredFor: await people.peopleCaredFor(actor),
      });
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
      return orNotFound(reply, personId, () => recordPage(reply, actor, personId, request.query));
    },
  );

  // Adding what matters: the person in their own words, a carer, or a practitioner writing them down.

  async function newOutcomeContext(actor: Actor, personId: string) {
    const [{ person, relation }, framework] = await Promise.all([
      people.details(actor, personId),
      frameworks.current(),
    ]);
    return {
      person,
      relation,
      ...reader(relation),
      framework,
      context: {
        pageTitle:
          relation.kind === 'self'
            ? 'Add something that matters to me'
            : `Add something that matters to ${person.name}`,
        person,
        relation,
        ...reader(relation),
        backHref: homeFor(relation, personId),
        framework: frameworkView(framework),
      },
    };
  }

  const refuseCarer = (reply: FastifyReply, person: PersonDetails) =>
    reply.code(403).page('error', {
      pageTitle: 'You cannot add to this record',
      message: `${person.name} has let you see their record but has not asked you to add to it.`,
    });

  app.get(
    '/people/:personId/outcomes/new',
    { config: { access: contributors, page: true }, schema: { hide: true, params: PersonParams } },
    async (request, reply) => {
      const { personId } = request.params;
      return orNotFound(reply, personId, async () => {
        const { person, relation, context } = await newOutcomeContext(requireActor(request), personId);
        if (!mayContribute(relation)) return refuseCarer(reply, person);
        return renderWithErrors(reply, 'my-outcome-new', { ...context, values: { domainIds: [] } }, []);
      });
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
      return orNotFound(reply, personId, async () => {
        const { person, relation, framework, context } = await newOutcomeContext(actor, personId);
        if (!mayContribute(relation)) return refuseCarer(reply, person);
        const body = request.body;
        const values = {
          statement: text(body, 'statement'),
          whyItMatters: text(body, 'whyItMatters'),
          domainIds: list(body, 'domainIds'),
          score: text(body, 'score'),
        };
        const score = integer(body, 'score', 1, framework.ratingLabels.length);
        const errors: FieldError[] = [];
        if (!values.statement) {
          errors.push({
            field: 'statement',
            message:
              relation.kind === 'self'
                ? 'Write what matters to you, in your own words'
                : 'Write what matters, in their own words',
          });
        } else if (values.statement.length > 2000) {
          errors.push({ field: 'statement', message: 'What matters must be 2,000 characters or fewer' });
        }
        if (values.whyItMatters.length > 4000) {
          errors.push({ field: 'whyItMatters', message: 'Why it matters must be 4,000 characters or fewer' });
        }
        if (score === undefined)
          errors.push({ field: 'score', message: 'Choose how things are going from the list' });
        if (!errors.length) {
          try {
            const outcomeId = await outcomes.add(actor, personId, {
              statement: values.statement,
              whyItMatters: values.whyItMatters,
              domainIds: values.domainIds,
              score: score ?? null,
            });
            const target =
              relation.kind === 'care-team'
                ? `/people/${personId}`
                : `${homeFor(relation, personId)}?added=${outcomeId}#outcome-${outcomeId}`;
            return reply.redirect(target, 303);
          } catch (error) {
            errors.push(...serviceFieldErrors(error, 'statement'));
          }
        }
        return renderWithErrors(reply, 'my-outcome-new', { ...context, values }, errors);
      });
    },
  );

  // Rating how things are going, from the reader's own viewpoint.

  async function rateContext(actor: Actor, personId: string, outcomeId: string) {
    const { person, relation } = await people.details(actor, personId);
    // The details call checked access and audited the read; the outcome is part of it.
    const outcome = isUuid(outcomeId)
      ? (await outcomes.load(personId)).find((o) => o.outcomeId === outcomeId)
      : undefined;
    return {
      person,
      relation,
      outcome,
      context: {
        pageTitle: 'How is this going?',
        person,
        relation,
        ...reader(relation),
        backHref: homeFor(relation, personId),
        outcome: outcome ? outcomeView(outcome, relation, person.givenName) : null,
      },
    };
  }

  app.get(
    '/people/:personId/outcomes/:outcomeId/rate',
    { config: { access: contributors, page: true }, schema: { hide: true, params: OutcomeParams } },
    async (request, reply) => {
      const { personId, outcomeId } = request.params;
      return orNotFound(reply, personId, async () => {
        const { person, relation, outcome, context } = await rateContext(
          requireActor(request),
          personId,
          outcomeId,
        );
        if (!outcome) return notFoundPage(reply, 'That outcome was not found.');
        if (!mayContribute(relation)) return refuseCarer(reply, person);
        return renderWithErrors(reply, 'my-rate', { ...context, values: {} }, []);
      });
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
      return orNotFound(reply, personId, async () => {
        const { person, relation, outcome, context } = await rateContext(actor, personId, outcomeId);
        if (!outcome) return notFoundPage(reply, 'That outcome was not found.');
        if (!mayContribute(relation)) return refuseCarer(reply, person);
        const values = { score: text(request.body, 'score'), note: text(request.body, 'note') };
        const score = integer(request.body, 'score', 1, outcome.framework.ratingLabels.length);
        const errors: FieldError[] = [];
        if (score === null || score === undefined) {
          errors.push({ field: 'score', message: 'Choose how things are going' });
        }
        if (values.note.length > 2000)
          errors.push({ field: 'note', message: 'The note must be 2,000 characters or fewer' });
        if (score && !errors.length) {
          try {
            await outcomes.rate(actor, personId, outcomeId, { score, note: values.note });
            return reply.redirect(
              `${homeFor(relation, personId)}?rated=${outcomeId}#outcome-${outcomeId}`,
              303,
            );
          } catch (error) {
            errors.push(...serviceFieldErrors(error, 'score'));
          }
        }
        return renderWithErrors(reply, 'my-rate', { ...context, values }, errors);
      });
    },
  );
}
