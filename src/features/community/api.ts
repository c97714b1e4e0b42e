import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type Actor, actorForClient } from '../../domain/actor.js';
import { requireActor } from '../../http/request-actor.js';
import { responses } from '../../http/schemas.js';
import { ServiceError } from '../../services/errors.js';
import type { Services } from '../../services/index.js';
import { ensureClientAccount } from '../auth/client-account.js';
import {
  AddCommunityResourceBody,
  CommunityResourceSchema,
  ResourceIdParams,
  UpdateCommunityResourceBody,
} from './schema.js';

/** The scope that lets an API client add and change its own organisation's entries. */
export const COMMUNITY_WRITE_SCOPE = 'community:write';

/**
 * The version a change was made from: an If-Match header (`W/"3"`, `"3"` or `3`, as the FHIR
 * facade's) or `version` in the body; both, they must agree.
 */
export function versionFrom(ifMatch: string | undefined, bodyVersion: number | undefined): number {
  const header = ifMatch?.trim();
  let fromHeader: number | undefined;
  if (header) {
    const match = /^(?:W\/)?"?(\d{1,9})"?$/.exec(header);
    if (!match) {
      throw new ServiceError(
        400,
        'Invalid If-Match',
        'If-Match must be the entry’s version, like W/"3".',
        'version',
      );
    }
    fromHeader = Number(match[1]);
  }
  if (fromHeader !== undefined && bodyVersion !== undefined && fromHeader !== bodyVersion) {
    throw new ServiceError(400, 'Two versions', 'If-Match and version name different versions.', 'version');
  }
  const version = fromHeader ?? bodyVersion;
  if (version === undefined || version < 1) {
    throw new ServiceError(
      400,
      'Version needed',
      'Give the version you changed, as version in the body or an If-Match header, so nobody’s change is overwritten.',
      'version',
    );
  }
  return version;
}

/** The caller: a signed-in user, or an API client acting for its organisation with its own account. */
async function callerOf(request: FastifyRequest, services: Services): Promise<Actor> {
  const client = request.apiClient;
  if (client) {
    if (!client.organisationId) {
      throw new ServiceError(
        403,
        'No organisation',
        'This client acts for no organisation, so it keeps no entries.',
      );
    }
    const userId = await ensureClientAccount(services.database.db, client.clientId);
    return actorForClient(
      { clientId: client.clientId, organisationId: client.organisationId, userId },
      request.ip,
    );
  }
  return requireActor(request);
}

/**
 * Writing the community directory over HTTP: staff (signed in) and API clients with the scope
 * community:write keep their organisation's entries. Searching and reading are public and live
 * with the search routes.
 */
export async function communityApiRoutes(parent: FastifyInstance, opts: { services: Services }) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { community } = opts.services;

  app.post(
    '/api/community/resources',
    {
      // Signed in at the door: the service refuses anyone not of the organisation, and audits it.
      config: { access: 'signed-in', scopes: [COMMUNITY_WRITE_SCOPE] },
      schema: {
        tags: ['community'],
        summary: 'Add an entry to the community resource directory',
        description:
          'Staff of the organisation that runs it, or an administrator; an API client for its own organisation. ' +
          'The entry is due for review six months on. A rule across fields broken (an end before a start) is 422, naming the field.',
        body: AddCommunityResourceBody,
        response: responses({ 201: CommunityResourceSchema }, [404, 422]),
      },
    },
    async (request, reply) => {
      const actor = await callerOf(request, opts.services);
      const added = await community.add(actor, request.body);
      return reply.code(201).header('etag', `W/"${added.version}"`).send(added);
    },
  );

  app.put(
    '/api/community/resources/:resourceId',
    {
      config: { access: 'signed-in', scopes: [COMMUNITY_WRITE_SCOPE] },
      schema: {
        tags: ['community'],
        summary: 'Change a directory entry',
        description:
          'Every field, from the version the change was made from (If-Match: W/"3", or version in the body): ' +
          '409 if someone changed it since. Saving confirms the entry, so its next review is six months on.',
        params: ResourceIdParams,
        headers: Type.Object({ 'if-match': Type.Optional(Type.String({ maxLength: 40 })) }),
        body: UpdateCommunityResourceBody,
        response: responses({ 200: CommunityResourceSchema }, [404, 409, 422]),
      },
    },
    async (request, reply) => {
      const actor = await callerOf(request, opts.services);
      const { version: bodyVersion, ...body } = request.body;
      const version = versionFrom(request.headers['if-match'], bodyVersion);
      const saved = await community.update(actor, request.params.resourceId, body, version);
      return reply.header('etag', `W/"${saved.version}"`).send(saved);
    },
  );
}
