import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { requireActor } from '../../http/request-actor.js';
import { PersonParams, responses } from '../../http/schemas.js';
import type { Services } from '../../services/index.js';
import {
  RecordStepProgress,
  SelfManagementStepSchema,
  SetStep,
  StepParams,
  StepSetSchema,
} from './schema.js';

/**
 * The self-management steps as JSON, in the style of the outcome routes: open to any signed-in
 * user, with the record's access rule applied by the service (404 outside the record, 403 without
 * the permission needed). Like the outcome routes, they name no API-client scopes: a step is set
 * by someone, from their own viewpoint, so a system's bearer token is refused.
 */
export async function selfManagementApiRoutes(parent: FastifyInstance, opts: { services: Services }) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { selfManagement } = opts.services;

  app.get(
    '/api/people/:personId/self-management/steps',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['self-management'],
        summary: 'The small steps the person set themselves between reviews',
        description:
          'Every step, oldest set first: the outcome it is for, the words, the date to do it by, when it was done, and what helped and what got in the way.',
        params: PersonParams,
        response: responses({ 200: Type.Array(SelfManagementStepSchema) }, [404]),
      },
    },
    async (request) => selfManagement.list(requireActor(request), request.params.personId),
  );

  app.post(
    '/api/people/:personId/self-management/steps',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['self-management'],
        summary: 'Set a small step for one of the person’s outcomes',
        description:
          'For the person, a carer the person has authorised to add to their record, or a practitioner in the care team setting it with the person. The outcome must be one of the person’s, still being worked on; the date, if given, today or later and within a year.',
        params: PersonParams,
        body: SetStep,
        response: responses({ 201: StepSetSchema }, [404, 422]),
      },
    },
    async (request, reply) => {
      const stepId = await selfManagement.set(requireActor(request), request.params.personId, request.body);
      return reply.code(201).send({ stepId });
    },
  );

  app.put(
    '/api/people/:personId/self-management/steps/:stepId/progress',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['self-management'],
        summary: 'Tick a step off (or not yet), saying what helped and what got in the way',
        description:
          'Replaces what was said before. Ticking a step already done keeps the time it was first done; `done: false` unticks it.',
        params: StepParams,
        body: RecordStepProgress,
        response: responses({ 204: Type.Null() }, [404]),
      },
    },
    async (request, reply) => {
      const { personId, stepId } = request.params;
      await selfManagement.recordProgress(requireActor(request), personId, stepId, request.body);
      return reply.code(204).send();
    },
  );
}
