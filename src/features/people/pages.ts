import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { todayIso } from '../../domain/calendar.js';
import { CARE_TEAM_SUPPORT_LABELS } from '../../domain/care-team.js';
import { CONVERSATION_KIND_LABELS } from '../../domain/conversations.js';
import { GAS_LEVEL_LABELS, GAS_LEVELS } from '../../domain/gas.js';
import { CATEGORY_LABELS } from '../../domain/outcome-frameworks.js';
import { VIEWPOINT_LABELS, VIEWPOINTS } from '../../domain/ratings.js';
import { SHARING_BASIS_LABELS } from '../../domain/sharing.js';
import { requireActor } from '../../http/request-actor.js';
import { PersonParams } from '../../http/schemas.js';
import type { Services } from '../../services/index.js';
import { type FieldError, FormBodySchema, renderWithErrors } from '../../web/forms.js';
import { connectionsOf } from '../community-referrals/view.js';
import { measuresOnRecord } from '../measures/pages.js';
import { rightsOnRecord } from '../rights/pages.js';
import { stepsSectionOf } from '../self-management/view.js';
import { contactForm, errorsOnForm } from './form.js';
import type { PersonDetails } from './schema.js';
import { describeTimeline } from './timeline-view.js';

/** The vocabularies the person page labels its parts with. */
const viewLabels = {
  viewpoints: VIEWPOINT_LABELS,
  viewpointOrder: VIEWPOINTS,
  categories: CATEGORY_LABELS,
  supportKinds: CARE_TEAM_SUPPORT_LABELS,
  gasLevels: GAS_LEVELS,
  gasLevelLabels: GAS_LEVEL_LABELS,
};

/** What the page says after the action that led to it (each action's redirect names itself). */
const NOTICES = {
  registered: 'Person registered. You and your team are in their care team.',
  rated: 'Rating saved.',
  withdrawn: 'Sharing withdrawn. That organisation can no longer see the record.',
} as const;

export async function peoplePages(parent: FastifyInstance, opts: { services: Services }) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { records, people } = opts.services;

  app.get(
    '/people/:personId',
    {
      config: { access: 'signed-in', page: true },
      schema: {
        hide: true,
        params: PersonParams,
        querystring: Type.Object({
          registered: Type.Optional(Type.String({ maxLength: 5 })),
          recorded: Type.Optional(Type.String({ maxLength: 20 })),
          rated: Type.Optional(Type.String({ maxLength: 200 })),
          withdrawn: Type.Optional(Type.String({ maxLength: 5 })),
          breakGlass: Type.Optional(Type.String({ maxLength: 5 })),
        }),
      },
    },
    async (request, reply) => {
      const { query } = request;
      const record = await records.record(requireActor(request), request.params.personId, todayIso());
      const { relation } = record;
      return reply.page('person', {
        pageTitle: record.person.name,
        record,
        person: record.person,
        can: record.can,
        personNav: 'summary',
        showNav: true,
        // Why the reader can see the record, when it is break-glass: shown as a warning, not a permission.
        breakGlass: relation.kind === 'break-glass' ? relation : null,
        basisLabels: SHARING_BASIS_LABELS,
        conversationKinds: CONVERSATION_KIND_LABELS,
        activeOutcomes: record.outcomes.filter((o) => o.status === 'active'),
        closedOutcomes: record.outcomes.filter((o) => o.status !== 'active'),
        notice: query.registered
          ? NOTICES.registered
          : query.recorded
            ? `${query.recorded === 'review' ? 'Review' : 'Conversation'} recorded.`
            : query.rated
              ? NOTICES.rated
              : query.withdrawn
                ? NOTICES.withdrawn
                : null,
        ...viewLabels,
        // Standard measures: latest scores, change, what is due (features/measures/pages.ts).
        measuresSection: await measuresOnRecord(
          opts.services.measures,
          { personId: record.person.personId },
          todayIso(),
        ),
        // Steps the person set themselves between reviews, by outcome (features/self-management).
        stepsSection: stepsSectionOf(record, todayIso()),
        // Community groups the person is connected to, beside the care team (features/community-referrals).
        communityConnections: connectionsOf(record.communityReferrals),
        // Requests to correct or erase the record (rights-pages.ts).
        ...(await rightsOnRecord(opts.services.rights, { personId: record.person.personId }, record.sharing)),
      });
    },
  );

  const detailsPage = (reply: FastifyReply, person: PersonDetails, values: object, errors: FieldError[]) =>
    renderWithErrors(
      reply,
      'person-details',
      { pageTitle: 'Contact details and communication needs', caption: 'Change details', person, values },
      errors,
    );

  app.get(
    '/people/:personId/details',
    { config: { access: 'signed-in', page: true }, schema: { hide: true, params: PersonParams } },
    async (request, reply) => {
      const { person } = await people.details(requireActor(request), request.params.personId);
      return detailsPage(reply, person, person, []);
    },
  );

  app.post(
    '/people/:personId/details',
    {
      config: { access: 'signed-in', page: true },
      schema: { hide: true, params: PersonParams, body: FormBodySchema },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { personId } = request.params;
      const values = contactForm.input(request.body);
      try {
        await people.updateContact(actor, personId, values);
      } catch (error) {
        const errors = errorsOnForm(error, contactForm.mapping);
        // Refused for what was typed: show the form again, with the person it is about.
        const { person } = await people.details(actor, personId);
        return detailsPage(reply, person, values, errors);
      }
      const self = actor.personId === personId;
      return reply.redirect(self ? '/my' : `/people/${personId}`, 303);
    },
  );

  app.get(
    '/people/:personId/timeline',
    { config: { access: 'signed-in', page: true }, schema: { hide: true, params: PersonParams } },
    async (request, reply) => {
      const record = await records.record(requireActor(request), request.params.personId, todayIso());
      return reply.page('person-timeline', {
        pageTitle: `Timeline – ${record.person.name}`,
        heading: record.person.name,
        caption: 'Timeline',
        person: record.person,
        personNav: 'timeline',
        showNav: true,
        timeline: describeTimeline(record),
      });
    },
  );
}
