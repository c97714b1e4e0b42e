import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { requireActor } from '../../http/request-actor.js';
import { PersonParams, responses } from '../../http/schemas.js';
import type { Services } from '../../services/index.js';
import {
  ErasureDecisionBody,
  ErasureDecisionSchema,
  ErasurePreviewSchema,
  ErasureRequestBody,
  ErasureRequestSchema,
  EXPORT_FORMAT,
  PersonExportSchema,
  RectificationRequestBody,
  RectificationRequestSchema,
  RectificationResolutionBody,
  RequestMadeSchema,
  RequestParams,
} from './schema.js';

const admin = { roles: ['admin'] } as const;

/** The person's rights: export, rectification, erasure. */
export async function rightsApiRoutes(parent: FastifyInstance, opts: { services: Services }) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { rights } = opts.services;

  app.get(
    '/api/people/:personId/export',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['rights'],
        summary: 'Everything held about a person, as a JSON download',
        description:
          `Every person-owned table's rows for the person, names for the ids in them, and the audit trail about them (who, what, when, why). ` +
          `\`format\` is \`${EXPORT_FORMAT}\`. Sent as an attachment. The person themselves and their care team; anyone else gets 404 (403 for a carer).`,
        params: PersonParams,
        response: responses(
          {
            200: PersonExportSchema,
          },
          [404],
        ),
      },
    },
    async (request, reply) => {
      const { personId } = request.params;
      const data = await rights.exportRecord(requireActor(request), personId);
      return reply
        .header('content-disposition', `attachment; filename=whatmatters-${personId}.json`)
        .header('cache-control', 'no-store')
        .send(data);
    },
  );

  app.get(
    '/api/people/:personId/rectification-requests',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['rights'],
        summary: 'Requests to correct the record, newest first',
        description: 'Anyone who may see the record.',
        params: PersonParams,
        response: responses({ 200: Type.Array(RectificationRequestSchema) }, [404]),
      },
    },
    async (request) =>
      (await rights.listRequests(requireActor(request), request.params.personId)).rectification,
  );

  app.post(
    '/api/people/:personId/rectification-requests',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['rights'],
        summary: 'Ask for the record to be corrected',
        description:
          'The person, or a carer they have let add to their record (UK GDPR Article 16); or the care team, recording a request the person made to them. The care team answers it.',
        params: PersonParams,
        body: RectificationRequestBody,
        response: responses({ 201: RequestMadeSchema }, [404, 422]),
      },
    },
    async (request, reply) => {
      const requestId = await rights.requestRectification(
        requireActor(request),
        request.params.personId,
        request.body,
      );
      return reply.code(201).send({ requestId });
    },
  );

  app.post(
    '/api/people/:personId/rectification-requests/:requestId/resolve',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['rights'],
        summary: 'Answer a request to correct the record',
        description:
          'Practitioners in the care team: `corrected` with what was changed, or `declined` with the reason. The person sees the answer.',
        params: RequestParams,
        body: RectificationResolutionBody,
        response: responses({ 204: Type.Null() }, [404, 409, 422]),
      },
    },
    async (request, reply) => {
      await rights.resolveRectification(
        requireActor(request),
        request.params.personId,
        request.params.requestId,
        request.body,
      );
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/people/:personId/erasure-requests',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['rights'],
        summary: 'Requests to erase the record, newest first',
        description: 'Anyone who may see the record.',
        params: PersonParams,
        response: responses({ 200: Type.Array(ErasureRequestSchema) }, [404]),
      },
    },
    async (request) => (await rights.listRequests(requireActor(request), request.params.personId)).erasure,
  );

  app.post(
    '/api/people/:personId/erasure-requests',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['rights'],
        summary: 'Ask for the record to be erased',
        description:
          'The person, or their care team on their behalf, with the grounds (UK GDPR Article 17). An administrator decides; one request at a time (409 while one is open).',
        params: PersonParams,
        body: ErasureRequestBody,
        response: responses({ 201: RequestMadeSchema }, [404, 409, 422]),
      },
    },
    async (request, reply) => {
      const requestId = await rights.requestErasure(
        requireActor(request),
        request.params.personId,
        request.body,
      );
      return reply.code(201).send({ requestId });
    },
  );

  app.get(
    '/api/admin/erasure-requests',
    {
      config: { access: admin },
      schema: {
        tags: ['rights'],
        summary: 'Requests to erase records waiting for a decision, oldest first',
        response: responses({ 200: Type.Array(ErasureRequestSchema) }),
      },
    },
    async (request) => rights.openErasureRequests(requireActor(request)),
  );

  app.get(
    '/api/admin/erasure-requests/:personId/:requestId',
    {
      config: { access: admin },
      schema: {
        tags: ['rights'],
        summary: 'An open request to erase a record, with what erasure would delete and keep',
        params: RequestParams,
        response: responses({ 200: ErasurePreviewSchema }, [404, 409]),
      },
    },
    async (request) =>
      rights.erasurePreview(requireActor(request), request.params.personId, request.params.requestId),
  );

  app.post(
    '/api/admin/erasure-requests/:personId/:requestId/decide',
    {
      config: { access: admin },
      schema: {
        tags: ['rights'],
        summary: 'Decide on a request to erase a record',
        description:
          '`decline` with the reason (the person sees it), or `erase` with `confirm: true`: every row about the person is deleted in one transaction; the audit trail and an erasure record are kept.',
        params: RequestParams,
        body: ErasureDecisionBody,
        response: responses({ 200: ErasureDecisionSchema }, [404, 409, 422]),
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const { personId, requestId } = request.params;
      const body = request.body;
      if (body.decision === 'decline') {
        await rights.declineErasure(actor, personId, requestId, { reason: body.reason });
        return { status: 'declined' as const };
      }
      const result = await rights.erase(actor, personId, requestId, { confirm: body.confirm });
      return {
        status: 'erased' as const,
        erasedAt: result.erasedAt,
        rowsDeleted: result.rowsDeleted,
        kept: result.kept,
      };
    },
  );
}
