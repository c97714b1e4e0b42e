import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { CARE_STAFF } from '../../domain/route-access.js';
import { requireActor } from '../../http/request-actor.js';
import { PersonParams, responses } from '../../http/schemas.js';
import type { Services } from '../../services/index.js';
import {
  AddOutcome,
  OutcomeAddedSchema,
  OutcomeParams,
  PersonalOutcomeSchema,
  RateOutcome,
  RatingAddedSchema,
  RecordConversation,
  RecordedConversationSchema,
} from './schema.js';

export async function outcomesApiRoutes(parent: FastifyInstance, opts: { services: Services }) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { conversations, outcomes } = opts.services;

  app.post(
    '/api/people/:personId/conversations',
    {
      config: { access: CARE_STAFF },
      schema: {
        tags: ['conversations'],
        summary: 'Record a good conversation',
        description:
          'A first conversation, review or other contact: who took part, what matters in the person’s own words, ratings from each viewpoint, GAS goals and attainment, and the next review date. Saved whole or not at all.',
        params: PersonParams,
        body: RecordConversation,
        response: responses({ 201: RecordedConversationSchema }, [404, 422]),
      },
    },
    async (request, reply) => {
      const result = await conversations.record(requireActor(request), request.params.personId, request.body);
      return reply.code(201).send(result);
    },
  );

  app.get(
    '/api/people/:personId/outcomes',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['outcomes'],
        summary: 'What matters to the person, with ratings by viewpoint and GAS',
        params: PersonParams,
        response: responses({ 200: Type.Array(PersonalOutcomeSchema) }, [404]),
      },
    },
    async (request) => outcomes.list(requireActor(request), request.params.personId),
  );

  app.post(
    '/api/people/:personId/outcomes',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['outcomes'],
        summary: 'Add something that matters, from your own viewpoint',
        description:
          'For the person themselves, or a carer the person has authorised to add to their record.',
        params: PersonParams,
        body: AddOutcome,
        response: responses({ 201: OutcomeAddedSchema }, [404, 422]),
      },
    },
    async (request, reply) => {
      const outcomeId = await outcomes.add(requireActor(request), request.params.personId, request.body);
      return reply.code(201).send({ outcomeId });
    },
  );

  app.post(
    '/api/people/:personId/outcomes/:outcomeId/ratings',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['outcomes'],
        summary: 'Rate how far an outcome is achieved, from your own viewpoint',
        params: OutcomeParams,
        body: RateOutcome,
        response: responses({ 201: RatingAddedSchema }, [404, 422]),
      },
    },
    async (request, reply) => {
      const ratingId = await outcomes.rate(
        requireActor(request),
        request.params.personId,
        request.params.outcomeId,
        request.body,
      );
      return reply.code(201).send({ ratingId });
    },
  );
}
