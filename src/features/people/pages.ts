import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { todayIso } from '../../domain/calendar.js';
import { CARE_TEAM_SUPPORT_LABELS } from '../../domain/care-team.js';
import { GAS_LEVEL_LABELS, GAS_LEVELS } from '../../domain/gas.js';
import { CATEGORY_LABELS } from '../../domain/outcome-frameworks.js';
import { VIEWPOINT_LABELS, VIEWPOINTS } from '../../domain/ratings.js';
import { SHARING_BASIS_LABELS } from '../../domain/sharing.js';
import { requireActor } from '../../http/request-actor.js';
import { ServiceError } from '../../services/errors.js';
import type { Services } from '../../services/index.js';
import {
  type FieldError,
  FormBodySchema,
  renderWithErrors,
  serviceFieldErrors,
  text,
} from '../../web/forms.js';
import { rightsOnRecord } from '../rights/pages.js';

export const PersonPageParams = Type.Object({ personId: Type.String({ format: 'uuid' }) });

/** A person page for someone the services will not show: a 404 page, saying no more than that. */
export function personNotShown(reply: FastifyReply, error: unknown): FastifyReply {
  if (error instanceof ServiceError && (error.status === 404 || error.status === 403)) {
    return reply.code(error.status).page('error', {
      pageTitle: error.status === 404 ? 'Person not found' : 'You cannot do this',
      message: error.message,
    });
  }
  throw error;
}

export const viewLabels = {
  viewpoints: VIEWPOINT_LABELS,
  viewpointOrder: VIEWPOINTS,
  categories: CATEGORY_LABELS,
  supportKinds: CARE_TEAM_SUPPORT_LABELS,
  gasLevels: GAS_LEVELS,
  gasLevelLabels: GAS_LEVEL_LABELS,
};

export async function peoplePages(parent: FastifyInstance, opts: { services: Services }) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { records, people } = opts.services;

  app.get(
    '/people/:personId',
    {
      config: { access: 'signed-in', page: true },
      schema: {
        hide: true,
        params: PersonPageParams,
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
      try {
        const record = await records.record(requireActor(request), request.params.personId, todayIso());
        return reply.page('person', {
          pageTitle: record.person.name,
          record,
          person: record.person,
          personNav: 'summary',
          showNav: true,
          canManage: record.relation.kind === 'care-team',
          breakGlass: record.relation.kind === 'break-glass' ? record.relation : null,
          basisLabels: SHARING_BASIS_LABELS,
          // The person decides who sees their record; practitioners may record that decision.
          canAuthorise: record.relation.kind === 'care-team' || record.relation.kind === 'self',
          activeOutcomes: record.outcomes.filter((o) => o.status === 'active'),
          closedOutcomes: record.outcomes.filter((o) => o.status !== 'active'),
          notice: request.query.registered
            ? 'Person registered. You and your team are in their care team.'
            : request.query.recorded
              ? `${request.query.recorded === 'review' ? 'Review' : 'Conversation'} recorded.`
              : request.query.rated
                ? 'Rating saved.'
                : request.query.withdrawn
                  ? 'Sharing withdrawn. That organisation can no longer see the record.'
                  : null,
          ...viewLabels,
          // Requests to correct or erase the record (rights-pages.ts).
          ...(await rightsOnRecord(
            opts.services.rights,
            { personId: record.person.personId },
            record.sharing,
          )),
        });
      } catch (error) {
        return personNotShown(reply, error);
      }
    },
  );

  const CONTACT_FIELDS = [
    ['preferredName', 100],
    ['phone', 40],
    ['email', 254],
    ['preferredContactMethod', 200],
    ['address', 500],
    ['communicationNeeds', 2000],
  ] as const;

  app.get(
    '/people/:personId/details',
    { config: { access: 'signed-in', page: true }, schema: { hide: true, params: PersonPageParams } },
    async (request, reply) => {
      try {
        const { person } = await people.details(requireActor(request), request.params.personId);
        return renderWithErrors(
          reply,
          'person-details',
          {
            pageTitle: 'Contact details and communication needs',
            caption: 'Change details',
            person,
            values: person,
          },
          [],
        );
      } catch (error) {
        return personNotShown(reply, error);
      }
    },
  );

  app.post(
    '/people/:personId/details',
    {
      config: { access: 'signed-in', page: true },
      schema: { hide: true, params: PersonPageParams, body: FormBodySchema },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const { personId } = request.params;
      const values = Object.fromEntries(CONTACT_FIELDS.map(([name]) => [name, text(request.body, name)]));
      const errors: FieldError[] = CONTACT_FIELDS.flatMap(([name, max]) =>
        (values[name] ?? '').length > max
          ? [{ field: name, message: `Keep this under ${max} characters` }]
          : [],
      );
      if (values.email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(values.email)) {
        errors.push({ field: 'email', message: 'Enter an email address like name@example.com' });
      }
      try {
        const { person } = await people.details(actor, personId);
        const context = {
          pageTitle: 'Contact details and communication needs',
          caption: 'Change details',
          person,
          values,
        };
        if (errors.length) return renderWithErrors(reply, 'person-details', context, errors);
        try {
          await people.updateContact(actor, personId, values);
        } catch (error) {
          return renderWithErrors(
            reply,
            'person-details',
            context,
            serviceFieldErrors(error, 'preferredName'),
          );
        }
        const self = actor.personId === personId;
        return reply.redirect(self ? '/my' : `/people/${personId}`, 303);
      } catch (error) {
        return personNotShown(reply, error);
      }
    },
  );

  app.get(
    '/people/:personId/timeline',
    { config: { access: 'signed-in', page: true }, schema: { hide: true, params: PersonPageParams } },
    async (request, reply) => {
      try {
        const record = await records.record(requireActor(request), request.params.personId, todayIso());
        return reply.page('person-timeline', {
          pageTitle: `Timeline – ${record.person.name}`,
          heading: record.person.name,
          caption: 'Timeline',
          person: record.person,
          personNav: 'timeline',
          showNav: true,
          timeline: record.timeline,
        });
      } catch (error) {
        return personNotShown(reply, error);
      }
    },
  );
}
