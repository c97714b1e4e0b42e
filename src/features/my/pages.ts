import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { type Actor, hasRole } from '../../domain/actor.js';
import { todayIso } from '../../domain/calendar.js';
import { CARE_TEAM_SUPPORT_LABELS, type CareTeamSupportKind } from '../../domain/care-team.js';
import { CARERS_FRAMEWORK, CATEGORY_LABELS, type OutcomeCategory } from '../../domain/outcome-frameworks.js';
import { ratingLabel, ratingLabelOnScale, VIEWPOINTS, type Viewpoint } from '../../domain/ratings.js';
import { capabilitiesOf, type RelationKind, viewpointOf } from '../../domain/record-access.js';
import { stepTally } from '../../domain/self-management.js';
import { requireActor } from '../../http/request-actor.js';
import { PersonParams } from '../../http/schemas.js';
import { notFound } from '../../services/errors.js';
import type { Services } from '../../services/index.js';
import { checked, FormBodySchema, renderWithErrors, serviceFieldErrors, text } from '../../web/forms.js';
import { homeFor } from '../../web/record-links.js';
import { connectionsOf } from '../community-referrals/view.js';
import type { Framework } from '../frameworks/service.js';
import { errorsOnForm } from '../outcomes/form.js';
import { OutcomeParams } from '../outcomes/schema.js';
import type { PersonalOutcome } from '../outcomes/service.js';
import type { CareTeamMember } from '../people/service.js';
import type { AccessGrant } from '../record-access/person-access.js';
import { rightsOnRecord } from '../rights/pages.js';
import { noLongerSharing } from '../sharing/service.js';
import { addOutcomeFromForm, ratingFromForm } from './form.js';

/** The person's own view: a person, or a carer with a record of their own as a carer. */
export const personOrCarer = { roles: ['person', 'carer'] } as const;
const carer = { roles: ['carer'] } as const;
const personOnly = { roles: ['person'] } as const;
/** Everyone who may add to a record; the services decide whose record. */
const contributors = { roles: ['person', 'carer', 'practitioner', 'team-manager'] } as const;

/**
 * What the pages were sent back here after. Each is only a flag: a banner's words are the page's
 * own, and it is shown only when the record the server holds bears it out (an outcome id that is
 * one of the record's, a withdrawn basis, an open request), never text from the address.
 */
const BannerQuery = Type.Object({
  added: Type.Optional(Type.String({ maxLength: 100 })),
  rated: Type.Optional(Type.String({ maxLength: 100 })),
  withdrawn: Type.Optional(Type.String({ maxLength: 10 })),
  consented: Type.Optional(Type.String({ maxLength: 10 })),
  rectification: Type.Optional(Type.String({ maxLength: 20 })),
  erasure: Type.Optional(Type.String({ maxLength: 20 })),
});
type Banners = Static<typeof BannerQuery>;

const MyOutcomeParams = Type.Object({ outcomeId: OutcomeParams.properties.outcomeId });

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

/**
 * Where the reader's own pages about a record start: the person's own (`/my`), or a carer's view
 * of someone they care for; null for the care team, who read the record on its summary.
 */
function myBaseFor(relationKind: RelationKind, personId: string): string | null {
  return relationKind === 'self' || relationKind === 'carer' ? homeFor(relationKind, personId) : null;
}

/** Every rating of one outcome, newest first, each named from the reader's viewpoint. */
function ratingHistory(outcome: PersonalOutcome, reader: Viewpoint, personName: string) {
  const names = viewpointNames(reader, personName);
  const labels = outcome.framework.ratingLabels;
  return [...outcome.ratings].reverse().map((r) => ({
    ratingId: r.ratingId,
    who: r.viewpoint === reader ? 'You' : names[r.viewpoint][0],
    ratedBy: r.viewpoint === 'person' || r.viewpoint === reader ? null : r.ratedBy,
    rating: ratingLabelOnScale(r.score, labels),
    ratedAt: r.ratedAt,
    note: r.note,
  }));
}

/** A title from someone's own words: the first words, whole, up to about `length` characters. */
function shortened(words: string, length: number): string {
  const flat = words.replace(/\s+/g, ' ').trim();
  if (flat.length <= length) return flat;
  const cut = flat.slice(0, length);
  const space = cut.lastIndexOf(' ');
  return `${space > length / 2 ? cut.slice(0, space) : cut}…`;
}

/** The names of the people and teams who support someone, each once, key workers first. */
function supporterNames(members: CareTeamMember[]): string[] {
  const ordered = [...members.filter((m) => m.isKeyWorker), ...members.filter((m) => !m.isKeyWorker)];
  return [...new Set(ordered.map((m) => m.userName ?? m.teamName ?? m.organisationName))];
}

export async function myPages(parent: FastifyInstance, opts: { services: Services }) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { records, people, outcomes } = opts.services;

  /**
   * One audited read of the record (the record service checks the reader's access and writes the
   * audit entry, as the summary always has), with what every one of these pages needs around it.
   */
  async function readRecord(actor: Actor, personId: string) {
    const record = await records.record(actor, personId, todayIso());
    const { person, relation } = record;
    const viewpoint = viewpointOf(relation);
    const base = myBaseFor(relation.kind, person.personId) ?? homeFor(relation.kind, person.personId);
    const rights = await rightsOnRecord(opts.services.rights, { personId: person.personId }, record.sharing);
    return {
      record,
      viewpoint,
      base,
      rights: rights.rights,
      context: {
        person,
        ...readerOf(viewpoint),
        // The record service names the reader's relation; what it lets them do is the one rule's.
        can: capabilitiesOf(relation),
        base,
        caption: viewpoint === 'person' ? 'My record' : `${person.name}’s record`,
      },
    };
  }

  /** The person's own record, or an authorised carer's view of it: a short summary first. */
  async function summaryPage(reply: FastifyReply, actor: Actor, personId: string, query: Banners) {
    const { record, viewpoint, base, rights, context } = await readRecord(actor, personId);
    const { person, plan } = record;
    const views = record.outcomes.map((o) => ({
      ...outcomeView(o, viewpoint, person.givenName),
      href: `${base}/outcomes/${o.outcomeId}`,
    }));
    const statementOf = (id: string | undefined) => views.find((o) => o.outcomeId === id)?.statement ?? null;
    const caredFor = viewpoint === 'person' ? await people.peopleCaredFor(actor) : [];
    const consentAgain = viewpoint === 'person' ? noLongerSharing(record.sharing) : [];
    // Standard measures sent to the person to fill in (features/measures), in the record just read.
    const questionnairesToFillIn =
      viewpoint === 'person'
        ? (
            await opts.services.measures.measuresWithin({ personId: person.personId }, todayIso())
          ).requests.filter((r) => r.sentToPerson).length
        : 0;
    return reply.page('my-record', {
      ...context,
      pageTitle: viewpoint === 'person' ? 'My record' : `${person.name}’s record`,
      outcomes: views,
      plan: plan.current
        ? {
            createdAt: plan.current.createdAt,
            goals: plan.current.content.goals.length,
          }
        : null,
      nextReviewDate: record.nextReviewDate,
      reviewStatus: record.reviewStatus,
      supporters: supporterNames(record.careTeam),
      sharing: {
        inForce: [...new Set(rights.inForce.map((b) => b.organisationName))],
        consentAgain: consentAgain.length,
      },
      requests: {
        waiting: rights.openRectification.length + rights.erasure.filter((r) => r.status === 'open').length,
        answered:
          rights.answeredRectification.length + rights.erasure.filter((r) => r.status !== 'open').length,
      },
      caredFor,
      questionnairesToFillIn,
      // The steps set between reviews (features/self-management): how many are done, in the record just read.
      steps: stepTally(record.selfManagementSteps),
      banners: bannersFor(query, { statementOf, rights, isSelf: viewpoint === 'person' }),
    });
  }

  /** The banners a page was sent back with, each shown only when the record bears it out. */
  function bannersFor(
    query: Banners,
    on: {
      statementOf: (id: string | undefined) => string | null;
      rights: Awaited<ReturnType<typeof readRecord>>['rights'];
      isSelf: boolean;
    },
  ) {
    return {
      added: on.statementOf(query.added),
      rated: on.statementOf(query.rated),
      withdrawn: on.isSelf && query.withdrawn === '1' && on.rights.withdrawn.length > 0,
      // Consent given again: an organisation that once stopped seeing the record sees it again.
      consented:
        on.isSelf &&
        query.consented === '1' &&
        on.rights.inForce.some((b) => on.rights.withdrawn.some((w) => w.organisationId === b.organisationId)),
      rectification: query.rectification === 'requested' && on.rights.rectification.length > 0,
      erasure: query.erasure === 'requested' && on.rights.erasure.length > 0,
    };
  }

  app.get(
    '/my',
    { config: { access: personOrCarer, page: true }, schema: { hide: true, querystring: BannerQuery } },
    async (request, reply) => {
      const actor = requireActor(request);
      // The signed-in person's own record; a carer who is not also a person starts from those they care for.
      if (hasRole(actor, 'person') && actor.personId) {
        return summaryPage(reply, actor, actor.personId, request.query);
      }
      return carerHome(reply, actor, request.query);
    },
  );

  /**
   * A carer's home: the people who have shared their record with them and, beside them, the
   * carer's own outcomes as a carer (in a record of their own, once they chose to start one).
   */
  async function carerHome(reply: FastifyReply, actor: Actor, query: Banners) {
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

  // The detail pages, each of its own, for the person's own record (/my/…) and for a carer's view
  // of someone they care for (/my/people/{personId}/…). Which record and what the reader may see
  // and do are the record service's answer, as for the summary.

  /** The reader's own record: the person's, or the carer's record of their own as a carer. */
  const ownRecordOf = (actor: Actor): string => {
    if (!actor.personId) throw notFound('Your record');
    return actor.personId;
  };

  /** One thing that matters: the words, why, every rating over time, and "rate how it is going". */
  async function outcomePage(
    reply: FastifyReply,
    actor: Actor,
    personId: string,
    outcomeId: string,
    query: Banners,
  ) {
    const { record, viewpoint, context } = await readRecord(actor, personId);
    const outcome = record.outcomes.find((o) => o.outcomeId === outcomeId);
    if (!outcome) throw notFound('That outcome');
    const view = outcomeView(outcome, viewpoint, record.person.givenName);
    return reply.page('my-outcome', {
      ...context,
      pageTitle: `“${shortened(outcome.statement, 60)}”`,
      outcome: view,
      history: ratingHistory(outcome, viewpoint, record.person.givenName),
      rateHref: `/people/${record.person.personId}/outcomes/${outcomeId}/rate`,
      rated: query.rated === outcomeId,
    });
  }

  app.get(
    '/my/outcomes/:outcomeId',
    {
      config: { access: personOrCarer, page: true },
      schema: { hide: true, params: MyOutcomeParams, querystring: BannerQuery },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      return outcomePage(reply, actor, ownRecordOf(actor), request.params.outcomeId, request.query);
    },
  );

  app.get(
    '/my/people/:personId/outcomes/:outcomeId',
    {
      config: { access: carer, page: true },
      schema: { hide: true, params: OutcomeParams, querystring: BannerQuery },
    },
    async (request, reply) => {
      const { personId, outcomeId } = request.params;
      const actor = requireActor(request);
      if (personId === actor.personId) return reply.redirect(`/my/outcomes/${outcomeId}`, 303);
      return outcomePage(reply, actor, personId, outcomeId, request.query);
    },
  );

  /** Who supports someone: the care team, with where each is from and the kind of support. */
  async function careTeamPage(reply: FastifyReply, actor: Actor, personId: string) {
    const { record, viewpoint, context } = await readRecord(actor, personId);
    return reply.page('my-care-team', {
      ...context,
      pageTitle: viewpoint === 'person' ? 'Who supports me' : `Who supports ${record.person.name}`,
      careTeam: careTeamView(record.careTeam),
      // Community groups the person is connected to (features/community-referrals): no access to the record.
      communityConnections: connectionsOf(record.communityReferrals),
    });
  }

  app.get(
    '/my/care-team',
    { config: { access: personOnly, page: true }, schema: { hide: true } },
    async (request, reply) => {
      const actor = requireActor(request);
      return careTeamPage(reply, actor, ownRecordOf(actor));
    },
  );

  /** Who can see the person's own record and why, with withdrawing and consenting again. */
  app.get(
    '/my/sharing',
    { config: { access: personOnly, page: true }, schema: { hide: true, querystring: BannerQuery } },
    async (request, reply) => {
      const actor = requireActor(request);
      const { record, rights, context } = await readRecord(actor, ownRecordOf(actor));
      const none = () => null;
      return reply.page('my-sharing', {
        ...context,
        pageTitle: 'Who can see my record',
        rights,
        lead: record.lead,
        consentAgain: context.isSelf ? noLongerSharing(record.sharing) : [],
        banners: bannersFor(request.query, { statementOf: none, rights, isSelf: context.isSelf }),
      });
    },
  );

  /** The rights over a record: requests to correct or erase it and their answers, and the links to ask. */
  async function rightsPage(reply: FastifyReply, actor: Actor, personId: string, query: Banners) {
    const { rights, context } = await readRecord(actor, personId);
    return reply.page('my-rights', {
      ...context,
      pageTitle: context.isSelf
        ? 'My rights over my record'
        : `${context.person.name}’s rights over their record`,
      rights,
      banners: bannersFor(query, { statementOf: () => null, rights, isSelf: context.isSelf }),
    });
  }

  app.get(
    '/my/rights',
    { config: { access: personOnly, page: true }, schema: { hide: true, querystring: BannerQuery } },
    async (request, reply) => {
      const actor = requireActor(request);
      return rightsPage(reply, actor, ownRecordOf(actor), request.query);
    },
  );

  /**
   * A carer's view of someone they care for, at /my/people/{personId}{suffix}: the summary, who
   * supports them, their rights. A carer's own record as a carer is at /my, where this sends them.
   */
  const carerView = (
    suffix: string,
    show: (reply: FastifyReply, actor: Actor, personId: string, query: Banners) => Promise<unknown>,
  ) =>
    app.get(
      `/my/people/:personId${suffix}`,
      {
        config: { access: carer, page: true },
        schema: { hide: true, params: PersonParams, querystring: BannerQuery },
      },
      async (request, reply) => {
        const { personId } = request.params;
        const actor = requireActor(request);
        if (personId === actor.personId) return reply.redirect('/my', 303);
        return show(reply, actor, personId, request.query);
      },
    );
  carerView('', summaryPage);
  carerView('/care-team', (reply, actor, personId) => careTeamPage(reply, actor, personId));
  carerView('/rights', rightsPage);

  // Adding what matters: the person in their own words, a carer, or a practitioner writing them down.

  /** The page around the form: whose record, in whose words, and where "back" is. */
  async function pageAround(
    actor: Actor,
    grant: AccessGrant,
    pageTitle: (name: string) => string,
    outcomeId?: string,
  ) {
    const { person } = await people.details(actor, grant.personId);
    const base = myBaseFor(grant.relation.kind, grant.personId);
    return {
      pageTitle: pageTitle(person.name),
      person,
      ...readerOf(grant.viewpoint),
      // Back from rating is to the outcome's own page, for those who have one.
      backHref:
        base && outcomeId ? `${base}/outcomes/${outcomeId}` : homeFor(grant.relation.kind, grant.personId),
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
      const context = await pageAround(actor, grant, rateTitle, outcomeId);
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
        // The person and a carer go back to the outcome's own page, with the rating shown; the care
        // team to the summary.
        const base = myBaseFor(grant.relation.kind, personId);
        return reply.redirect(
          base
            ? `${base}/outcomes/${outcomeId}?rated=${outcomeId}`
            : `${homeFor(grant.relation.kind, personId)}?rated=${outcomeId}#outcome-${outcomeId}`,
          303,
        );
      } catch (error) {
        const errors = errorsOnForm(error, mapped);
        const context = await pageAround(actor, grant, rateTitle, outcomeId);
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
