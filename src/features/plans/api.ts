import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { CarePlanContentSchema } from '../../domain/care-plan.js';
import { CARE_STAFF } from '../../domain/route-access.js';
import { requireActor } from '../../http/request-actor.js';
import { PersonParams, responses } from '../../http/schemas.js';
import type { Services } from '../../services/index.js';

const anyObject = Type.Object({}, { additionalProperties: true });

export async function plansApiRoutes(parent: FastifyInstance, opts: { services: Services }) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { plans } = opts.services;

  app.get(
    '/api/people/:personId/plan',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['plans'],
        summary: 'The care and support plan: the current version, every version, and comments',
        params: PersonParams,
        response: responses({ 200: anyObject }, [404]),
      },
    },
    async (request) => plans.view(requireActor(request), request.params.personId),
  );

  app.get(
    '/api/people/:personId/plan/versions/:version',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['plans'],
        summary: 'One version of the plan',
        params: Type.Object({
          personId: Type.String({ format: 'uuid' }),
          version: Type.Integer({ minimum: 1 }),
        }),
        response: responses({ 200: anyObject }, [404]),
      },
    },
    async (request) => plans.version(requireActor(request), request.params.personId, request.params.version),
  );

  app.get(
    '/api/people/:personId/plan/compare',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['plans'],
        summary: 'What changed between two versions of the plan',
        params: PersonParams,
        querystring: Type.Object(
          { from: Type.Integer({ minimum: 1 }), to: Type.Integer({ minimum: 1 }) },
          { additionalProperties: false },
        ),
        response: responses({ 200: anyObject }, [404]),
      },
    },
    async (request) =>
      plans.compare(requireActor(request), request.params.personId, request.query.from, request.query.to),
  );

  app.post(
    '/api/people/:personId/plan/versions',
    {
      config: { access: CARE_STAFF },
      schema: {
        tags: ['plans'],
        summary: 'Save a new version of the plan',
        description:
          'PRSB Personalised Care and Support Plan content. `basedOn` is the version you started from (0 for a first plan); if someone saved since, the answer is 409 and nothing is saved.',
        params: PersonParams,
        body: Type.Object(
          {
            content: CarePlanContentSchema,
            basedOn: Type.Integer({ minimum: 0 }),
            changeSummary: Type.Optional(Type.String({ maxLength: 1000 })),
          },
          { additionalProperties: false },
        ),
        response: responses({ 201: anyObject }, [404, 409, 422]),
      },
    },
    async (request, reply) => {
      const saved = await plans.save(requireActor(request), request.params.personId, request.body);
      return reply.code(201).send(saved);
    },
  );

  app.post(
    '/api/people/:personId/plan/comments',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['plans'],
        summary: 'Comment on a version of the plan',
        description: 'The person, a carer they have authorised, or a practitioner in the care team.',
        params: PersonParams,
        body: Type.Object(
          { version: Type.Integer({ minimum: 1 }), body: Type.String({ minLength: 1, maxLength: 4000 }) },
          { additionalProperties: false },
        ),
        response: responses({ 201: Type.Object({ commentId: Type.String() }) }, [404, 422]),
      },
    },
    async (request, reply) => {
      const commentId = await plans.comment(requireActor(request), request.params.personId, request.body);
      return reply.code(201).send({ commentId });
    },
  );
}
