import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { FEEDBACK_STAFF_ROLES } from '../../domain/feedback/access.js';
import { requireActor } from '../../http/request-actor.js';
import { responses } from '../../http/schemas.js';
import type { Services } from '../../services/index.js';
import { FeedbackListQuery, FeedbackPageSchema, StaffFeedbackBody } from './schema.js';

const Params = Type.Object({ serviceKey: Type.String({ minLength: 1, maxLength: 100 }) });

/** A service's feedback over HTTP, for its practitioners and team managers: read it, enter it. */
export async function feedbackApiRoutes(parent: FastifyInstance, opts: { services: Services }) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { feedback } = opts.services;
  const access = { roles: FEEDBACK_STAFF_ROLES };

  app.get(
    '/api/services/:serviceKey/feedback',
    {
      config: { access },
      schema: {
        tags: ['feedback'],
        summary: 'A service’s feedback, newest first, a page at a time',
        params: Params,
        querystring: FeedbackListQuery,
        response: responses({ 200: FeedbackPageSchema }, [403, 404]),
      },
    },
    async (request) => {
      const {
        service: _service,
        flagged: _flagged,
        ...page
      } = await feedback.list(requireActor(request), request.params.serviceKey, request.query.page);
      return page;
    },
  );

  app.post(
    '/api/services/:serviceKey/feedback',
    {
      config: { access },
      schema: {
        tags: ['feedback'],
        summary: 'Enter feedback the service received on paper or by phone',
        params: Params,
        body: StaffFeedbackBody,
        response: responses(
          { 201: Type.Object({ feedbackId: Type.String({ format: 'uuid' }) }) },
          [403, 404],
        ),
      },
    },
    async (request, reply) => {
      const feedbackId = await feedback.enter(requireActor(request), request.params.serviceKey, request.body);
      return reply.code(201).send({ feedbackId });
    },
  );
}
