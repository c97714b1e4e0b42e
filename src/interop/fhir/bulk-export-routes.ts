import { createReadStream } from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { FHIR_JSON, FHIR_NDJSON, FHIR_RESOURCE_TYPES } from '../../domain/interop/fhir-types.js';
import { information, operationOutcome } from '../../domain/interop/operation-outcome.js';
import type { Role } from '../../domain/roles.js';
import type { Services } from '../../services/index.js';
import { type ExportLevel, exportScopeOf, parseExportParams, queryOfParameters } from './bulk-export.js';
import { callerContext, lenientOf } from './plugin.js';

/** Seconds a client is asked to wait between polls. */
const RETRY_AFTER_SECONDS = 2;

/** The route is open to a client with read access to some type; the kick-off checks each type asked for. */
const EXPORT_SCOPES = FHIR_RESOURCE_TYPES.map(exportScopeOf);

/**
 * FHIR Bulk Data export routes (docs/FHIR.md, "Bulk export"): kick-off at system, Patient and
 * Group level (GET, or POST with a Parameters body), the status to poll, the NDJSON files, and
 * DELETE to cancel a job or delete its files. Status and files answer only the client or user
 * who started the job; anyone else is told 404.
 */
export async function fhirBulkExportRoutes(app: FastifyInstance, opts: { services: Services }) {
  const { services } = opts;
  const exports = services.fhirExport;
  app.addHook('onClose', async () => exports.close());
  app.addContentTypeParser(FHIR_JSON, { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'));

  const kickOff = async (request: FastifyRequest, reply: FastifyReply, level: ExportLevel) => {
    const ctx = await callerContext(request, services);
    const query =
      request.method === 'POST'
        ? queryOfParameters(request.body)
        : (request.query as Record<string, string | string[]>);
    const params = parseExportParams(query, level, { lenient: lenientOf(request) });
    const jobId = await exports.kickOff({
      ctx,
      level,
      groupId: (request.params as { id?: string }).id ?? null,
      params,
      clientScopes: request.apiClient ? request.apiClient.scopes : null,
      requestUrl: `${request.protocol}://${request.host}${request.url}`,
    });
    return reply
      .code(202)
      .header('content-location', `${ctx.baseUrl}/$export-status/${jobId}`)
      .type(FHIR_JSON)
      .send(information(`Export ${jobId} started; poll the Content-Location for its status.`));
  };

  // Users start exports of their caseload, so only care staff; a system client is let in by its scopes.
  const config = { access: { roles: ['practitioner', 'team-manager'] as Role[] }, scopes: EXPORT_SCOPES };
  const jobConfig = { access: 'signed-in' as const, scopes: EXPORT_SCOPES };
  const groupParams = {
    type: 'object',
    properties: { id: { type: 'string', maxLength: 64 } },
  } as const;
  const jobParams = {
    type: 'object',
    properties: { jobId: { type: 'string', maxLength: 64 }, file: { type: 'string', maxLength: 100 } },
  } as const;

  app.get('/fhir/$export', { config, schema: { hide: true } }, (request, reply) =>
    kickOff(request, reply, 'system'),
  );
  app.post('/fhir/$export', { config, schema: { hide: true } }, (request, reply) =>
    kickOff(request, reply, 'system'),
  );
  app.get('/fhir/Patient/$export', { config, schema: { hide: true } }, (request, reply) =>
    kickOff(request, reply, 'patient'),
  );
  app.post('/fhir/Patient/$export', { config, schema: { hide: true } }, (request, reply) =>
    kickOff(request, reply, 'patient'),
  );
  app.get<{ Params: { id: string } }>(
    '/fhir/Group/:id/$export',
    { config, schema: { hide: true, params: groupParams } },
    (request, reply) => kickOff(request, reply, 'group'),
  );
  app.post<{ Params: { id: string } }>(
    '/fhir/Group/:id/$export',
    { config, schema: { hide: true, params: groupParams } },
    (request, reply) => kickOff(request, reply, 'group'),
  );

  app.get<{ Params: { jobId: string } }>(
    '/fhir/$export-status/:jobId',
    { config: jobConfig, schema: { hide: true, params: jobParams } },
    async (request, reply) => {
      const ctx = await callerContext(request, services);
      const status = await exports.status(ctx.actor, request.params.jobId);
      if (status.state === 'in-progress') {
        reply.code(202).header('retry-after', String(RETRY_AFTER_SECONDS));
        if (status.progress) reply.header('x-progress', status.progress.slice(0, 99));
        return reply.send();
      }
      if (status.state === 'failed') {
        return reply
          .code(500)
          .type(FHIR_JSON)
          .send(
            operationOutcome({
              status: 500,
              diagnostics: `The export failed: ${status.message ?? 'unknown error'}`,
            }),
          );
      }
      const url = (file: string) => `${ctx.baseUrl}/$export-files/${request.params.jobId}/${file}`;
      if (status.expires) reply.header('expires', status.expires.toUTCString());
      return reply
        .code(200)
        .type('application/json')
        .send({
          transactionTime: status.transactionTime.toISOString(),
          request: status.request,
          requiresAccessToken: true,
          output: status.output.map((f) => ({ type: f.type, url: url(f.file), count: f.count })),
          error: status.error.map((f) => ({ type: f.type, url: url(f.file), count: f.count })),
        });
    },
  );

  app.delete<{ Params: { jobId: string } }>(
    '/fhir/$export-status/:jobId',
    { config: jobConfig, schema: { hide: true, params: jobParams } },
    async (request, reply) => {
      const ctx = await callerContext(request, services);
      await exports.cancel(ctx.actor, request.params.jobId);
      return reply
        .code(202)
        .type(FHIR_JSON)
        .send(information(`Export ${request.params.jobId} deleted.`));
    },
  );

  app.get<{ Params: { jobId: string; file: string } }>(
    '/fhir/$export-files/:jobId/:file',
    { config: jobConfig, schema: { hide: true, params: jobParams } },
    async (request, reply) => {
      const ctx = await callerContext(request, services);
      const file = await exports.file(ctx.actor, request.params.jobId, request.params.file);
      return reply.code(200).type(FHIR_NDJSON).send(createReadStream(file.path));
    },
  );
}
