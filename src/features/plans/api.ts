import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { CARE_STAFF } from '../../domain/route-access.js';
import { requireActor } from '../../http/request-actor.js';
import { PersonParams, responses } from '../../http/schemas.js';
import type { Services } from '../../services/index.js';
import {
  CommentAddedSchema,
  CommentOnPlan,
  CompareQuery,
  PlanComparisonSchema,
  PlanVersionSchema,
  PlanVersionSummarySchema,
  PlanViewSchema,
  SavePlanVersion,
  VersionParams,
} from './schema.js';

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
        response: responses({ 200: PlanViewSchema }, [404]),
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
        params: VersionParams,
        response: responses({ 200: PlanVersionSchema }, [404]),
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
        querystring: CompareQuery,
        response: responses({ 200: PlanComparisonSchema }, [404]),
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
        body: SavePlanVersion,
        response: responses({ 201: PlanVersionSummarySchema }, [404, 409, 422]),
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
        body: CommentOnPlan,
        response: responses({ 201: CommentAddedSchema }, [404, 422]),
      },
    },
    async (request, reply) => {
      const commentId = await plans.comment(requireActor(request), request.params.personId, request.body);
      return reply.code(201).send({ commentId });
    },
  );
}
