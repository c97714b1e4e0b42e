import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type TSchema, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { VIEWPOINTS } from '../../domain/ratings.js';
import { CARE_STAFF } from '../../domain/route-access.js';
import { requireActor } from '../../http/request-actor.js';
import { PersonParams, responses } from '../../http/schemas.js';
import type { Services } from '../../services/index.js';

const uuid = () => Type.String({ format: 'uuid' });
const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const isoDate = () => Type.String({ format: 'date', description: 'YYYY-MM-DD' });

const Rating = Type.Object(
  {
    viewpoint: Type.Union(VIEWPOINTS.map((v) => Type.Literal(v))),
    score: Type.Integer({ minimum: 1, maximum: 10, description: "On the framework's scale (default 1–4)" }),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);

const GasGoal = Type.Object(
  {
    levels: Type.Object(
      {
        '-2': Type.String({ minLength: 1, maxLength: 500 }),
        '-1': Type.String({ minLength: 1, maxLength: 500 }),
        '0': Type.String({ minLength: 1, maxLength: 500, description: 'The expected outcome' }),
        '1': Type.String({ minLength: 1, maxLength: 500 }),
        '2': Type.String({ minLength: 1, maxLength: 500 }),
      },
      { additionalProperties: false },
    ),
    baselineLevel: Type.Integer({ minimum: -2, maximum: -1 }),
    importance: Type.Optional(nullable(Type.Integer({ minimum: 0, maximum: 3 }))),
    difficulty: Type.Optional(nullable(Type.Integer({ minimum: 0, maximum: 3 }))),
    weight: Type.Optional(nullable(Type.Number({ minimum: 0, maximum: 100 }))),
  },
  { additionalProperties: false },
);

export const RecordConversationBody = Type.Object(
  {
    kind: Type.Union([Type.Literal('first'), Type.Literal('review'), Type.Literal('other')]),
    heldOn: isoDate(),
    summary: Type.String({ maxLength: 10_000 }),
    whatHelped: Type.Optional(Type.String({ maxLength: 5000 })),
    whatGotInTheWay: Type.Optional(Type.String({ maxLength: 5000 })),
    nextReviewDate: Type.Optional(nullable(isoDate())),
    participants: Type.Array(
      Type.Object(
        {
          kind: Type.Union([
            Type.Literal('person'),
            Type.Literal('carer'),
            Type.Literal('practitioner'),
            Type.Literal('other'),
          ]),
          name: Type.String({ minLength: 1, maxLength: 200 }),
          userId: Type.Optional(nullable(uuid())),
          organisationId: Type.Optional(nullable(uuid())),
          role: Type.Optional(Type.String({ maxLength: 200 })),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 20 },
    ),
    newOutcomes: Type.Optional(
      Type.Array(
        Type.Object(
          {
            statement: Type.String({
              minLength: 1,
              maxLength: 2000,
              description: "In the person's own words",
            }),
            whyItMatters: Type.Optional(Type.String({ maxLength: 2000 })),
            domainIds: Type.Array(uuid(), { maxItems: 10 }),
            importance: Type.Optional(nullable(Type.Integer({ minimum: 1, maximum: 10 }))),
            ratings: Type.Optional(Type.Array(Rating, { maxItems: 3 })),
            gas: Type.Optional(nullable(GasGoal)),
          },
          { additionalProperties: false },
        ),
        { maxItems: 20 },
      ),
    ),
    ratings: Type.Optional(
      Type.Array(
        Type.Composite([Rating, Type.Object({ outcomeId: uuid() })], { additionalProperties: false }),
        {
          maxItems: 60,
        },
      ),
    ),
    gasGoals: Type.Optional(
      Type.Array(
        Type.Composite([GasGoal, Type.Object({ outcomeId: uuid() })], { additionalProperties: false }),
        {
          maxItems: 20,
        },
      ),
    ),
    gasAttainments: Type.Optional(
      Type.Array(
        Type.Object(
          { outcomeId: uuid(), level: Type.Integer({ minimum: -2, maximum: 2 }) },
          { additionalProperties: false },
        ),
        { maxItems: 20 },
      ),
    ),
    outcomeStatuses: Type.Optional(
      Type.Array(
        Type.Object(
          {
            outcomeId: uuid(),
            status: Type.Union([
              Type.Literal('active'),
              Type.Literal('achieved'),
              Type.Literal('no-longer-relevant'),
            ]),
          },
          { additionalProperties: false },
        ),
        { maxItems: 20 },
      ),
    ),
  },
  { additionalProperties: false },
);

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
        body: RecordConversationBody,
        response: responses(
          { 201: Type.Object({ conversationId: Type.String(), outcomeIds: Type.Array(Type.String()) }) },
          [404, 422],
        ),
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
        response: responses({ 200: Type.Array(Type.Object({}, { additionalProperties: true })) }, [404]),
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
        body: Type.Object(
          {
            statement: Type.String({ minLength: 1, maxLength: 2000 }),
            whyItMatters: Type.Optional(Type.String({ maxLength: 2000 })),
            domainIds: Type.Optional(Type.Array(uuid(), { maxItems: 10 })),
            importance: Type.Optional(nullable(Type.Integer({ minimum: 1, maximum: 10 }))),
            score: Type.Optional(nullable(Type.Integer({ minimum: 1, maximum: 10 }))),
          },
          { additionalProperties: false },
        ),
        response: responses({ 201: Type.Object({ outcomeId: Type.String() }) }, [404, 422]),
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
        params: Type.Object({ personId: uuid(), outcomeId: uuid() }),
        body: Type.Object(
          {
            score: Type.Integer({ minimum: 1, maximum: 10 }),
            note: Type.Optional(Type.String({ maxLength: 2000 })),
          },
          { additionalProperties: false },
        ),
        response: responses({ 201: Type.Object({ ratingId: Type.String() }) }, [404, 422]),
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
