import type { Bundle, Resource } from '@medplum/fhirtypes';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actorForClient } from '../../domain/actor.js';
import { FHIR_ID } from '../../domain/interop/fhir-ids.js';
import { type ParsedSearch, parseSearch, SearchError } from '../../domain/interop/fhir-search.js';
import { FHIR_JSON, FHIR_RESOURCE_TYPES, isFhirResourceType } from '../../domain/interop/fhir-types.js';
import { operationOutcome } from '../../domain/interop/operation-outcome.js';
import { grantsScope } from '../../domain/interop/smart-scopes.js';
import { ensureClientAccount } from '../../features/auth/client-account.js';
import { PersonNotInScope } from '../../features/record-access/person-access.js';
import { ContractError, MAX_FIELD_ERRORS } from '../../services/contract.js';
import { ServiceError } from '../../services/errors.js';
import type { Services } from '../../services/index.js';
import { searchBundle } from './bundle.js';
import { capabilityStatement } from './capability.js';
import type { FhirContext, FhirHandler } from './handler.js';
import { fhirHandler } from './registry.js';
import { structureErrors } from './structure-check.js';
import { etagOf, versionOfIfMatch } from './versions.js';

/** A transaction Bundle or a resource may be larger than a form; bulk import is the CLI's. */
const FHIR_BODY_LIMIT = 4 * 1024 * 1024;

type Interaction = 'read' | 'search' | 'create' | 'update';
const LETTER: Record<Interaction, string> = { read: 'r', search: 's', create: 'c', update: 'u' };

/** The scopes that let a system client call a route for some type; the handler checks the type's own. */
const scopesFor = (interaction: Interaction) =>
  FHIR_RESOURCE_TYPES.map((t) => `system/${t}.${LETTER[interaction]}`);

/** The absolute base URL of the endpoint as the caller reached it (behind a proxy, as trustProxy allows). */
export function fhirBase(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}/fhir`;
}

/** The caller as the services know them: a signed-in user, or a system client acting for its organisation. */
export async function callerContext(request: FastifyRequest, services: Services): Promise<FhirContext> {
  const baseUrl = fhirBase(request);
  if (request.apiClient) {
    if (!request.apiClient.organisationId) {
      throw new ServiceError(
        403,
        'No organisation',
        'This client acts for no organisation, so it may see no records.',
      );
    }
    return {
      actor: actorForClient(
        {
          clientId: request.apiClient.clientId,
          organisationId: request.apiClient.organisationId,
          userId: await ensureClientAccount(services.database.db, request.apiClient.clientId),
        },
        request.ip,
      ),
      services,
      baseUrl,
    };
  }
  if (!request.actor) throw new ServiceError(401, 'Not signed in', 'Sign in, or send an access token.');
  return { actor: request.actor, services, baseUrl };
}

/** The caller's context for an interaction with a type, or a refusal: a client needs the type's own scope. */
async function contextOf(
  request: FastifyRequest,
  services: Services,
  type: string,
  interaction: Interaction,
): Promise<FhirContext> {
  if (request.apiClient) {
    const needed = `system/${type}.${LETTER[interaction]}`;
    if (!grantsScope(request.apiClient.scopes, needed)) {
      throw new ServiceError(
        403,
        'Insufficient scope',
        `This needs an access token with the scope ${needed}.`,
      );
    }
  }
  return callerContext(request, services);
}

/**
 * A system client asking for a record its organisation does not hold is told 403, whether or not
 * the record exists (so nothing about who is registered leaks). Users keep the 404 the rest of
 * the service gives, for the same reason. See docs/FHIR.md, "Refusals".
 */
function clientRefusal(ctx: FhirContext, error: unknown): unknown {
  if (ctx.actor.client && error instanceof PersonNotInScope) {
    return new ServiceError(
      403,
      'Not allowed',
      'Your organisation holds no record of this person under a sharing basis in force.',
    );
  }
  return error;
}

function handlerOf(type: string): FhirHandler {
  const handler = isFhirResourceType(type) ? fhirHandler(type) : undefined;
  if (!handler) {
    throw new ServiceError(
      404,
      'Not found',
      `This server does not serve the resource type ${type}; see /fhir/metadata.`,
    );
  }
  return handler;
}

/** The query as a search of this type, or a 400 naming the parameter at fault. */
function searchOf(request: FastifyRequest, handler: FhirHandler): ParsedSearch {
  try {
    return parseSearch(request.query as Record<string, string | string[]>, handler.searchParams, {
      lenient: lenientOf(request),
      includes: handler.includes?.map((i) => i.name),
    });
  } catch (error) {
    if (error instanceof SearchError)
      throw new ServiceError(400, 'Invalid search', error.message, error.parameter);
    throw error;
  }
}

/** Every kept version of a resource, newest first, or 404. */
async function versionsOf(ctx: FhirContext, handler: FhirHandler, id: string): Promise<Resource[]> {
  checkId(id);
  const versions = await handler.history(ctx, id).catch((e) => {
    throw clientRefusal(ctx, e);
  });
  if (versions.length === 0) throw notFoundOf(handler.type, id);
  return versions;
}

function checkId(id: string): void {
  if (!FHIR_ID.test(id))
    throw new ServiceError(404, 'Not found', 'That is not a resource id this server gives.');
}

function sendResource(reply: FastifyReply, resource: Resource, status = 200) {
  reply.code(status).type(FHIR_JSON).header('etag', etagOf(resource));
  if (resource.meta?.lastUpdated)
    reply.header('last-modified', new Date(resource.meta.lastUpdated).toUTCString());
  return reply.send(resource);
}

const notFoundOf = (type: string, id: string) =>
  new ServiceError(404, 'Not found', `No ${type} with the id ${id}.`);

/** The body of a create or update: a resource of the type the address names. */
function resourceOfBody(body: unknown, type: string, id?: string): Resource {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ServiceError(
      400,
      'Invalid resource',
      'The body must be a FHIR resource in JSON.',
      'resourceType',
    );
  }
  const resource = body as Resource;
  if (resource.resourceType !== type) {
    throw new ServiceError(400, 'Invalid resource', `The body must be a ${type} resource.`, 'resourceType');
  }
  const errors = structureErrors(resource);
  if (errors.length) throw new ContractError(errors.slice(0, MAX_FIELD_ERRORS));
  if (id !== undefined && resource.id !== id) {
    throw new ServiceError(
      400,
      'Invalid resource',
      `The resource's id must be the one in the address (${id}).`,
      `${type}.id`,
    );
  }
  return resource;
}

export const lenientOf = (request: FastifyRequest) =>
  /handling\s*=\s*lenient/i.test(String(request.headers.prefer ?? ''));

/**
 * The FHIR R4 endpoint: one set of routes over every served type, each type's handler reading
 * and writing through the same services as the pages and the REST API. Every error under /fhir is
 * an OperationOutcome (errors.ts); the routes accept application/fhir+json and application/json.
 */
export async function fhirRoutes(app: FastifyInstance, opts: { services: Services }) {
  const { services } = opts;
  app.addContentTypeParser(
    FHIR_JSON,
    { parseAs: 'string', bodyLimit: FHIR_BODY_LIMIT },
    app.getDefaultJsonParser('error', 'error'),
  );

  const params = {
    type: 'object',
    properties: { type: { type: 'string', maxLength: 64 }, id: { type: 'string', maxLength: 64 } },
  } as const;

  app.get(
    '/fhir/metadata',
    { config: { access: 'public' }, schema: { hide: true } },
    async (request, reply) => reply.type(FHIR_JSON).send(capabilityStatement(fhirBase(request))),
  );

  app.get<{ Params: { type: string }; Querystring: Record<string, string | string[]> }>(
    '/fhir/:type',
    { config: { access: 'signed-in', scopes: scopesFor('search') }, schema: { hide: true, params } },
    async (request, reply) => {
      const handler = handlerOf(request.params.type);
      const ctx = await contextOf(request, services, handler.type, 'search');
      const search = searchOf(request, handler);
      try {
        const page = await handler.search(ctx, search);
        const bundle: Bundle = await searchBundle(ctx, handler, request, search, page);
        return reply.type(FHIR_JSON).send(bundle);
      } catch (error) {
        throw clientRefusal(ctx, error);
      }
    },
  );

  app.get<{ Params: { type: string; id: string } }>(
    '/fhir/:type/:id',
    { config: { access: 'signed-in', scopes: scopesFor('read') }, schema: { hide: true, params } },
    async (request, reply) => {
      const handler = handlerOf(request.params.type);
      const ctx = await contextOf(request, services, handler.type, 'read');
      checkId(request.params.id);
      const resource = await handler.read(ctx, request.params.id).catch((e) => {
        throw clientRefusal(ctx, e);
      });
      if (!resource) throw notFoundOf(handler.type, request.params.id);
      return sendResource(reply, resource);
    },
  );

  app.get<{ Params: { type: string; id: string } }>(
    '/fhir/:type/:id/_history',
    { config: { access: 'signed-in', scopes: scopesFor('read') }, schema: { hide: true, params } },
    async (request, reply) => {
      const handler = handlerOf(request.params.type);
      const ctx = await contextOf(request, services, handler.type, 'read');
      const versions = await versionsOf(ctx, handler, request.params.id);
      const bundle: Bundle = {
        resourceType: 'Bundle',
        type: 'history',
        total: versions.length,
        link: [{ relation: 'self', url: `${ctx.baseUrl}/${handler.type}/${request.params.id}/_history` }],
        entry: versions.map((resource) => ({
          fullUrl: `${ctx.baseUrl}/${handler.type}/${resource.id}`,
          resource,
          request: {
            method: resource.meta?.versionId === '1' ? 'POST' : 'PUT',
            url: `${handler.type}/${resource.id}`,
          },
          response: {
            status: resource.meta?.versionId === '1' ? '201 Created' : '200 OK',
            etag: etagOf(resource),
          },
        })),
      };
      return reply.type(FHIR_JSON).send(bundle);
    },
  );

  app.get<{ Params: { type: string; id: string; vid: string } }>(
    '/fhir/:type/:id/_history/:vid',
    {
      config: { access: 'signed-in', scopes: scopesFor('read') },
      schema: {
        hide: true,
        params: { ...params, properties: { ...params.properties, vid: { type: 'string', maxLength: 64 } } },
      },
    },
    async (request, reply) => {
      const handler = handlerOf(request.params.type);
      const ctx = await contextOf(request, services, handler.type, 'read');
      const versions = await versionsOf(ctx, handler, request.params.id);
      const version = versions.find((v) => v.meta?.versionId === request.params.vid);
      if (!version) {
        throw new ServiceError(
          404,
          'Not found',
          handler.keepsHistory
            ? `${handler.type}/${request.params.id} has no version ${request.params.vid}.`
            : `Only the current version of a ${handler.type} is kept (version ${versions[0]?.meta?.versionId}).`,
        );
      }
      return sendResource(reply, version);
    },
  );

  app.post<{ Params: { type: string } }>(
    '/fhir/:type',
    { config: { access: 'signed-in', scopes: scopesFor('create') }, schema: { hide: true, params } },
    async (request, reply) => {
      const handler = handlerOf(request.params.type);
      const ctx = await contextOf(request, services, handler.type, 'create');
      if (!handler.create) {
        throw new ServiceError(
          422,
          'Not supported',
          `${handler.type} cannot be created through FHIR here; see /fhir/metadata.`,
        );
      }
      const resource = resourceOfBody(request.body, handler.type);
      const created = await handler.create(ctx, resource).catch((e) => {
        throw clientRefusal(ctx, e);
      });
      reply.header(
        'location',
        `${ctx.baseUrl}/${handler.type}/${created.id}/_history/${created.meta?.versionId ?? '1'}`,
      );
      return sendResource(reply, created, 201);
    },
  );

  app.put<{ Params: { type: string; id: string } }>(
    '/fhir/:type/:id',
    { config: { access: 'signed-in', scopes: scopesFor('update') }, schema: { hide: true, params } },
    async (request, reply) => {
      const handler = handlerOf(request.params.type);
      const ctx = await contextOf(request, services, handler.type, 'update');
      checkId(request.params.id);
      if (!handler.update) {
        throw new ServiceError(
          422,
          'Not supported',
          `${handler.type} cannot be updated through FHIR here; see /fhir/metadata.`,
        );
      }
      const resource = resourceOfBody(request.body, handler.type, request.params.id);
      try {
        const current = await handler.read(ctx, request.params.id);
        if (!current) throw notFoundOf(handler.type, request.params.id);
        const wanted = versionOfIfMatch(request.headers['if-match'] as string | undefined);
        if (wanted !== null && wanted !== current.meta?.versionId) {
          return reply
            .code(412)
            .type(FHIR_JSON)
            .send(
              preconditionFailed(handler.type, request.params.id, current.meta?.versionId ?? '1', wanted),
            );
        }
        const updated = await handler.update(ctx, request.params.id, resource, current);
        return sendResource(reply, updated);
      } catch (error) {
        throw clientRefusal(ctx, error);
      }
    },
  );
}

function preconditionFailed(type: string, id: string, current: string, wanted: string) {
  return operationOutcome({
    status: 412,
    diagnostics: `${type}/${id} is at version ${current}, not ${wanted || 'the one If-Match names'}: it changed since you read it. Read it again and retry.`,
  });
}
